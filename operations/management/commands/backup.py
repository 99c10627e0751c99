from django.core.management.base import BaseCommand

from operations.backups import backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite backup) and local media into a timestamped folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="Folder to write into (default: ./backups).")

    def handle(self, *args, output, **options):
        folder = backup(output)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
