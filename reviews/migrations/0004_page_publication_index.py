"""A composite index on Wagtail's page table for newest-first listings.

Listings order by (first_published_at, id). Wagtail indexes first_published_at
alone, which still leaves a sort for the tie-break; this index lets the
database walk the listing order directly. Added by name, removed on reverse.
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
