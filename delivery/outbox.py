"""The pages waiting to be re-rendered, and the worker's way through them.

With a real task queue, a change does not enqueue its renders: :func:`mark` adds a
:class:`~delivery.models.PendingRender` row for each page it reaches, in the change's
own transaction, and the commit wakes the worker (``render_pending``). The rows are
append-only: a change never updates or waits on another change's rows, so editors
publishing at once neither queue on shared rows nor deadlock. The mark is durable:
if the queue is unreachable at commit, the scheduler's ``render_pending`` command
finds the rows a minute later.

:func:`drain` is what the worker runs. It claims a batch of rows, oldest first,
skipping rows another worker holds (``SKIP LOCKED`` on PostgreSQL), renders each page
they name once (together, in one transaction: ``delivery.store.write_batch``), and
deletes exactly the rows it claimed (every due row of a claimed page: a page marked by
twenty commits renders once).
Every claimed row was committed before the claim, so the render that follows reads
at least that change; a row added while the page rendered was not claimed, stays,
and the page renders again. Marks coalesce: twenty commits that touch one review
leave twenty rows that one claim takes and one render clears.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from .models import PendingRender

logger = logging.getLogger(__name__)

#: Pages per claim: a change marked now waits behind at most this many pages' renders
#: in the worker that claimed them.
BATCH = 10
#: A claimed row nobody settled by then (its worker died) may be claimed again.
LEASE = timedelta(minutes=10)
#: A page whose render fails is tried again after this long times its failures, and the
#: change is given up after MAX_FAILURES tries (logged; ``check_delivery`` reports the
#: drift). A newer change to the page has its own row and is tried at once.
RETRY_AFTER = timedelta(seconds=30)
MAX_FAILURES = 5
#: A drain stops claiming after this long and queues its continuation behind the other
#: delivery tasks already waiting (webhook sends), so a long burst cannot starve them.
DRAIN_SECONDS = 5.0


def mark(page_ids):
    """Record that ``page_ids`` must be re-rendered, in the caller's transaction."""
    PendingRender.objects.bulk_create(PendingRender(page_id=page_id) for page_id in sorted(page_ids))


def claim(limit=BATCH):
    """Take the ``limit`` pages marked longest ago that no live claim holds, with every due row
    of each: ``(claim, {page_id: [row ids]})``. All rows committed for a page so far are cleared
    by the one render that follows, however many changes marked it."""
    now = timezone.now()
    token = uuid.uuid4()
    due = (Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)) & (
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )
    with transaction.atomic():
        oldest = (
            PendingRender.objects.filter(due)
            .values("page_id")
            .annotate(first=Min("id"))
            .order_by("first")
            .values_list("page_id", flat=True)[:limit]
        )
        rows = list(
            PendingRender.objects.select_for_update(skip_locked=True)
            .filter(due, page_id__in=list(oldest))
            .values_list("id", "page_id")
        )
        if rows:
            PendingRender.objects.filter(id__in=[row_id for row_id, _ in rows]).update(
                claim=token, claimed_until=now + LEASE
            )
    pages = {}
    for row_id, page_id in rows:
        pages.setdefault(page_id, []).append(row_id)
    return token, pages


def settle(token, pages, failed_page_ids):
    """After rendering a claim's pages: delete the rows of those written, schedule retries
    for the others (``pages`` as :func:`claim` returns them)."""
    written = [
        row_id for page_id, row_ids in pages.items() if page_id not in failed_page_ids for row_id in row_ids
    ]
    PendingRender.objects.filter(id__in=written, claim=token).delete()
    failed_rows = [row_id for page_id in failed_page_ids for row_id in pages.get(page_id, ())]
    for row in PendingRender.objects.filter(id__in=failed_rows, claim=token):
        row.failures += 1
        if row.failures >= MAX_FAILURES:
            logger.error("delivery: giving up on page %s after %d failed renders", row.page_id, row.failures)
            row.delete()
            continue
        row.claim = row.claimed_until = None
        row.retry_at = timezone.now() + RETRY_AFTER * row.failures
        row.save(update_fields=["failures", "claim", "claimed_until", "retry_at"])


def release(token):
    """Give back whatever ``token`` still holds (a drain that stopped half-way)."""
    PendingRender.objects.filter(claim=token).update(claim=None, claimed_until=None)


def drain(render, seconds=DRAIN_SECONDS):
    """Render pending pages in batches until none is due or ``seconds`` have passed.

    ``render(page_ids)`` writes the pages and returns ``(outcomes, failed_ids)``.
    Returns the summed outcomes, the failed ids, and whether due rows may remain.
    """
    deadline = time.monotonic() + seconds
    outcomes, failed = {}, []
    while True:
        token, pages = claim()
        if not pages:
            return outcomes, failed, False
        try:
            batch_outcomes, batch_failed = render(sorted(pages))
            for outcome, count in batch_outcomes.items():
                outcomes[outcome] = outcomes.get(outcome, 0) + count
            failed += batch_failed
            settle(token, pages, set(batch_failed))
        finally:
            release(token)  # nothing, unless rendering or settling raised
        if time.monotonic() >= deadline:
            return outcomes, failed, True
