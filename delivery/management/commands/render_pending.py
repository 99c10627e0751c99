"""``manage.py render_pending``: render the pages waiting in the outbox, in this process.

The worker does this after every change. The scheduler runs it every minute (Procfile)
for what the worker could not: pages whose render failed and whose backoff has passed,
pages whose worker died holding them (after the lease), and changes whose commit could
not reach the queue.
"""

from django.core.management.base import BaseCommand

from delivery.models import PendingRender
from delivery.tasks import RenderFailed, render_pending


class Command(BaseCommand):
    help = "Render the pages waiting in the delivery outbox (retries, and any whose task was lost)."

    def handle(self, *args, **options):
        try:
            outcomes = render_pending.call()
        except RenderFailed as failure:
            self.stderr.write(f"rendering failed for pages {failure.page_ids}; they will be retried")
            outcomes = {}
        waiting = PendingRender.objects.values("page_id").distinct().count()
        self.stdout.write(f"rendered {outcomes or 'nothing'}; {waiting} pages still waiting")
