from django.core.management.base import BaseCommand, CommandError

from operations.backups import restore


class Command(BaseCommand):
    help = "Restore the database and local media from a backup folder. Replaces current content."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, yes, **options):
        if not yes and input(f"Replace this site's database and media with {folder}? [y/N] ").lower() != "y":
            raise CommandError("Restore cancelled.")
        restore(folder)
        self.stdout.write(self.style.SUCCESS(f"Restored from {folder}"))
