"""``manage.py deliver_webhooks``: queue every webhook delivery that is due.

The scheduler runs it every minute (Procfile). With the database task backend,
retries are queued with their own run time and this only picks up deliveries
whose task was lost; with the immediate backend it is what sends retries.
"""

from django.core.management.base import BaseCommand

from delivery.webhooks import deliver_due


class Command(BaseCommand):
    help = "Queue webhook deliveries that are due (retries, and any whose task was lost)."

    def handle(self, *args, **options):
        queued = deliver_due()
        self.stdout.write(f"{queued} webhook deliveries queued")
