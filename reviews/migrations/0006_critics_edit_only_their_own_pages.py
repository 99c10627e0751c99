"""Critics lose change_page (it let them edit, and delete drafts of, everyone's pages).

Installs that ran ``setup_roles`` before the change keep the grant otherwise;
``setup_roles`` revokes it too. Reversing restores nothing: the grant was the bug.
"""

from django.db import migrations


def revoke_change_page_from_critics(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name="Critics",
        permission__content_type__app_label="wagtailcore",
        permission__codename="change_page",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_page_url_path_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(revoke_change_page_from_critics, migrations.RunPython.noop)]
