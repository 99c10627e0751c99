"""The pages waiting to be re-rendered, and the worker's way through them.

With a real task queue, a change does not enqueue its renders: :func:`mark` writes
the pages it reaches to :class:`~delivery.models.PendingRender` in the change's own
transaction, and the commit enqueues one ``render_pending`` task. Marks coalesce by
page: twenty commits that touch the same review leave one row, rendered once, by
whichever drain reaches it first; the other tasks find nothing to do. The mark is
durable: if the queue is unreachable at commit, the scheduler's ``render_pending``
command finds the rows a minute later.

:func:`drain` is what the worker runs. It claims a batch, oldest first, skipping rows
another worker holds (``SKIP LOCKED`` on PostgreSQL), renders each page in its own
transaction, then deletes each row only if it still holds the request it claimed.
A change that committed while its page was rendering has replaced the request, so
the row goes back to the pool and the page renders again: the store never keeps a
document older than the newest commit.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import PendingRender

logger = logging.getLogger(__name__)

BATCH = 5
#: A claimed row nobody settled by then (its worker died) may be claimed again.
LEASE = timedelta(minutes=10)
#: A page whose render fails waits this long times its failures, and is dropped after
#: MAX_FAILURES (logged; ``check_delivery`` reports its drift).
RETRY_AFTER = timedelta(seconds=30)
MAX_FAILURES = 5
#: A drain stops claiming after this long and hands the rest to a new task, so other
#: queued work (webhooks) is not starved while editors keep publishing.
DRAIN_SECONDS = 5.0


def mark(page_ids):
    """Record that ``page_ids`` must be re-rendered, in the caller's transaction."""
    request = uuid.uuid4()
    now = timezone.now()
    PendingRender.objects.bulk_create(
        # Sorted, so concurrent marks of overlapping pages lock their rows in one order.
        [PendingRender(page_id=page_id, request=request, requested_at=now) for page_id in sorted(page_ids)],
        update_conflicts=True,
        unique_fields=["page_id"],
        update_fields=["request", "failures"],
    )


def claim(limit=BATCH):
    """Take up to ``limit`` rows no live claim holds: ``(claim, [(page_id, request), ...])``."""
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        rows = list(
            PendingRender.objects.select_for_update(skip_locked=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .order_by("requested_at", "page_id")
            .values_list("page_id", "request")[:limit]
        )
        if rows:
            PendingRender.objects.filter(pk__in=[page_id for page_id, _ in rows]).update(
                claim=token, claimed_until=now + LEASE
            )
    return token, rows


def settle(token, page_id, request, failed=False):
    """After rendering ``page_id``: clear its row, or put it back for another render."""
    if failed:
        _back_off(token, page_id)
    elif not PendingRender.objects.filter(pk=page_id, request=request).delete()[0]:
        # Asked for again while it rendered: the next claim renders the newer state.
        PendingRender.objects.filter(pk=page_id, claim=token).update(claim=None, claimed_until=None)


def _back_off(token, page_id):
    row = PendingRender.objects.filter(pk=page_id, claim=token).first()
    if row is None:
        return
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        logger.error("delivery: giving up on page %s after %d failed renders", page_id, row.failures)
        row.delete()
        return
    row.claim, row.claimed_until = None, timezone.now() + RETRY_AFTER * row.failures
    row.save(update_fields=["failures", "claim", "claimed_until"])


def drain(render, seconds=DRAIN_SECONDS):
    """Render pending pages in batches until none is claimable or ``seconds`` have passed.

    ``render(page_ids)`` writes the pages and returns ``(outcomes, failed_ids)``.
    Returns the summed outcomes, the failed ids, and whether claimable rows remain.
    """
    deadline = time.monotonic() + seconds
    outcomes, failed = {}, []
    while True:
        token, rows = claim()
        if not rows:
            return outcomes, failed, False
        batch_outcomes, batch_failed = render([page_id for page_id, _ in rows])
        for outcome, count in batch_outcomes.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
        failed += batch_failed
        for page_id, request in rows:
            settle(token, page_id, request, failed=page_id in batch_failed)
        if time.monotonic() >= deadline:
            return outcomes, failed, True
