"""``manage.py prune_changes``: drop change-log entries older than the sync cursors' retention.

The scheduler runs it with ``publish_scheduled`` (Procfile). Entries newer than
``SYNC_RETENTION_DAYS`` (plus the settle time) are kept, so every cursor the sync
endpoint still accepts finds all the changes and tombstones it needs.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from api.sync import prune_changes


class Command(BaseCommand):
    help = "Delete change-log entries older than SYNC_RETENTION_DAYS (their cursors answer 410)."

    def handle(self, *args, **options):
        deleted = prune_changes(timezone.now())
        self.stdout.write(f"pruned {deleted} change-log entries")
