"""Background work of the delivery pipeline, on Django's task framework (``TASKS`` in settings).

In production the tasks run on a worker (``manage.py db_worker``, django-tasks-db);
in development and tests the immediate backend runs them inline.
"""

import logging

from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model

from reviews.images import RENDITION_SPECS

from .links import forget_site_root_paths
from .outbox import drain
from .purge import cdn_configured, purge, snapshot
from .store import batches, write_batch

logger = logging.getLogger(__name__)


@task()
def render_pages(page_ids):
    """Re-render (or remove) each page's stored document (:func:`write_pages`).

    Run inline by the immediate backend; a task still, so that render tasks queued before
    the outbox existed run after a deploy."""
    # Another process may have changed the sites: URLs must come from the database's truth.
    forget_site_root_paths()
    outcomes, failed = write_pages(page_ids)
    logger.info("delivery: %s", outcomes)
    if failed:
        raise RenderFailed(failed)
    return outcomes


#: Delivery work (store renders, webhook sends) runs ahead of the search and reference index
#: updates a publish also queues: readers and integrators see the store, and editors
#: publishing in a burst must not push their pages behind a backlog of those.
DELIVERY_PRIORITY = 50


@task(priority=DELIVERY_PRIORITY)
def render_pending():
    """Render the pages the outbox holds (delivery/outbox.py); what the worker runs after every change."""
    forget_site_root_paths()
    outcomes, failed, more = drain(write_pages)
    if more:
        wake_worker()  # behind the delivery tasks already waiting
    if outcomes:
        logger.info("delivery: %s", outcomes)
    if failed:
        raise RenderFailed(failed)
    return outcomes


def wake_worker():
    """Queue ``render_pending`` unless one is queued and not started: that one will see every
    row committed before it starts, ours included (the database backend; any other queues)."""
    backend = render_pending.get_backend()
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.ready().filter(task_path=render_pending.module_path)
        if waiting.filter(backend_name=backend.alias).exists():
            return
    render_pending.enqueue()


def write_pages(page_ids):
    """Write the pages, :data:`~delivery.store.RENDER_BATCH` at a time (``write_batch``), and
    purge the URLs of those that changed.

    Returns ``(outcomes, failed_ids)``: a count per outcome of ``write_page``, and the
    pages whose render raised (logged; their stored documents are left as they were).
    """
    outcomes, changed, failed = {}, [], []
    purging = cdn_configured()
    page_ids = sorted(set(page_ids))
    try:
        for batch in batches(page_ids):
            before = {page_id: snapshot(page_id) for page_id in batch} if purging else {}
            for page_id, outcome in _write_batch(batch).items():
                if isinstance(outcome, Exception):
                    # One broken page (a missing image file, bad stored data) must not keep the
                    # others, removals included, from being written: log it, go on, fail at the end.
                    logger.error("delivery: rendering page %s failed", page_id, exc_info=outcome)
                    failed.append(page_id)
                    continue
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                if purging and outcome != "unchanged":
                    changed += [before[page_id], snapshot(page_id)]
    finally:
        purge(changed)  # what was written is purged, whatever stopped the rest
    return outcomes, failed


def _write_batch(page_ids):
    """``write_batch``, or one page at a time if the batch as a whole failed (a lock wait or
    a deadlock the database broke, an error loading what the pages share)."""
    try:
        return write_batch(page_ids)
    except Exception:
        logger.exception("delivery: rendering pages %s together failed; one at a time", page_ids)
    outcomes = {}
    for page_id in page_ids:
        try:
            outcomes.update(write_batch([page_id]))
        except Exception as exc:
            outcomes[page_id] = exc
    return outcomes


class RenderFailed(Exception):
    """Some pages could not be rendered; their stored documents are unchanged (check_delivery reports them)."""

    def __init__(self, page_ids):
        super().__init__(f"rendering failed for pages {page_ids}")
        self.page_ids = page_ids


@task()
def generate_api_renditions(image_id):
    """Create the API's fixed renditions for one image, so no render has to."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        image.get_renditions(*RENDITION_SPECS.values())
