"""An index on Wagtail's page table for newest-first listings.

Listings order by first_published_at (then id); without an index every
listing request sorts the whole table. Wagtail's own migrations do not add one,
so it is added here, by name, and removed on reverse.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_alter_interviewpage_body_alter_reviewpage_body"), ("wagtailcore", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS marquee_page_published_idx ON wagtailcore_page (first_published_at, id)",
            "DROP INDEX IF EXISTS marquee_page_published_idx",
        )
    ]
