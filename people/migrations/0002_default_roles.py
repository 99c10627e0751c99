from django.db import migrations

DEFAULT_ROLES = [
    ("critic", "Critic"),
    ("director", "Director"),
    ("actor", "Actor"),
    ("writer", "Writer"),
    ("producer", "Producer"),
    ("cinematographer", "Cinematographer"),
    ("artist", "Artist"),
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("people", "Role")
    for slug, name in DEFAULT_ROLES:
        Role.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
