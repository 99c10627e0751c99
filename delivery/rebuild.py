"""Bulk (re)building of the delivery store: new deployments, changed settings, drift checks."""

import gzip
import json

from django.db import connection
from django.db.models import Count
from wagtail.models import Page

from reviews.selectors import publishable_pages

from .loader import Loader
from .models import StoredCount, StoredPage
from .render import render, settings_fingerprint, to_json
from .store import write_all


def pages_to_render(only_missing=False, only_stale=False):
    """Ids that a rebuild visits: every public page and every stored one (to drop the ones no
    longer public); ``only_missing``: public pages without a document; ``only_stale``: documents
    rendered under other settings."""
    public = set(publishable_pages(Page).values_list("pk", flat=True))
    stored = dict(StoredPage.objects.values_list("pk", "rendered_with"))
    if only_missing:
        return sorted(public - stored.keys())
    if only_stale:
        fingerprint = settings_fingerprint()
        return sorted(pk for pk, rendered_with in stored.items() if rendered_with != fingerprint)
    return sorted(public | stored.keys())


def rebuild(page_ids=None, progress=None, **selection):
    """Write every page in ``page_ids`` (default: :func:`pages_to_render`), a batch of
    :data:`REBUILD_BATCH` per transaction (``delivery.store.write_batch``).

    Safe while editors publish: each page is locked and re-read when it is written,
    so a rebuild never stores an older version over a newer one. Returns outcome counts.
    """
    page_ids = pages_to_render(**selection) if page_ids is None else list(page_ids)
    outcomes = {"stored": 0, "removed": 0, "unchanged": 0}
    done = 0
    for batch, written in write_all(page_ids, size=REBUILD_BATCH):
        for outcome in written.values():
            outcomes[outcome] += 1
        done += len(batch)
        if progress is not None:
            progress(done, len(page_ids))
    if outcomes["stored"] + outcomes["removed"] >= ANALYZE_AFTER_ROWS:
        analyze_store()
    return outcomes


# Pages rendered together (delivery.store.write_batch): a batch shares its queries.
REBUILD_BATCH = 20

# A rebuild that wrote this many rows refreshes the planner's statistics at once.
ANALYZE_AFTER_ROWS = 500


def analyze_store():
    """Refresh PostgreSQL's statistics of the store. After a bulk build the planner would
    otherwise take the table for empty until autovacuum gets to it, and sort every row of
    a type for each listing instead of reading the first twenty off an index."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(StoredPage._meta.db_table)}")


def drift(page_ids=None):
    """``[(page_id, problem)]`` where the store differs from a fresh render of the database."""
    public = (
        {page.pk: page for page in publishable_pages(Page).specific()}
        if page_ids is None
        else {page.pk: page for page in publishable_pages(Page).filter(pk__in=page_ids).specific()}
    )
    stored = StoredPage.objects.all() if page_ids is None else StoredPage.objects.filter(pk__in=page_ids)
    stored = {row.pk: row for row in stored.only("page_id", "full", "detail", "detail_gzip", "rendered_with")}
    problems = []
    fingerprint = settings_fingerprint()
    for page_id in sorted(public.keys() | stored.keys()):
        row, page = stored.get(page_id), public.get(page_id)
        if page is None:
            problems.append((page_id, "stored but not public"))
        elif row is None:
            problems.append((page_id, "public but not stored"))
        elif row.rendered_with != fingerprint:
            problems.append((page_id, "rendered under other settings"))
        elif json.loads(row.full) != json.loads(to_json(render(page, Loader([page])))):
            problems.append((page_id, "stored document differs from a fresh render"))
        elif gzip.decompress(row.detail_gzip) != row.detail.encode():
            problems.append((page_id, "stored gzip differs from the stored detail"))
    if page_ids is None:
        problems += [(None, problem) for problem in count_drift()]
    return problems


def count_drift():
    """Where the writer's row counters (``StoredCount``, listings' ``total_count``) differ from
    the rows the store holds."""
    held = dict(StoredPage.objects.values_list("page_type").annotate(rows=Count("pk")))
    counted = {page_type: rows for page_type, rows in StoredCount.objects.values_list("pk", "rows") if rows}
    return [
        f"{page_type}: counter says {counted.get(page_type, 0)}, the store holds {held.get(page_type, 0)}"
        for page_type in sorted(held.keys() | counted.keys())
        if counted.get(page_type, 0) != held.get(page_type, 0)
    ]
