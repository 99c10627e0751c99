"""``manage.py setup_roles``: create the editorial roles and moderation workflow (reviews/roles.py)."""

from django.core.management.base import BaseCommand

from reviews.roles import WORKFLOW_NAME, setup_roles


class Command(BaseCommand):
    help = "Create the Editors and Critics groups and the editorial moderation workflow (idempotent)."

    def handle(self, *args, **options):
        groups = setup_roles()
        self.stdout.write(self.style.SUCCESS(f"Roles ready: {', '.join(groups)}; workflow: {WORKFLOW_NAME}"))
