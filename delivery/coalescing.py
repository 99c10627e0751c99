"""One run for identical waiting tasks, on the database queue (django-tasks-db).

Every publish queues Wagtail's search index task twice (``save_revision()`` saves the
page, so does ``publish()``) and its reference index task for each object saved; an
editor who saves three times in a minute queues the lot three times. Each of these
tasks reads the current state of one object when it runs, so one run stands for every
identical task that was waiting when it started: the worker would otherwise index the
same page again and again, behind the store's renders and ahead of everything else.

When the worker starts such a task, the identical ones waiting beside it (same task,
arguments, backend and queue) are noted; when the run succeeds, those still waiting are
closed as done by it. That is safe because of when they are noted: after the running
task's own claim has committed and before its function reads anything, so each was
queued by a transaction that had committed, and the run read that transaction's changes.
One queued later is not noted and runs on its own. Nothing is closed before the run has
succeeded: after a failed run, or a worker that died, they wait and run as they would have.
"""

import logging

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from modelsearch.backends import get_search_backends

logger = logging.getLogger(__name__)

SEARCH_INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"

#: Tasks that read the current state of what their arguments name, and write only what
#: follows from it: one successful run stands for every identical one queued before it.
COALESCED_TASKS = frozenset(
    {
        SEARCH_INDEX_TASK,
        "wagtail.tasks.update_reference_index_task",
        "delivery.tasks.generate_api_renditions",
    }
)


def _coalesced(task_path):
    if task_path == SEARCH_INDEX_TASK:
        # A search backend that logs and swallows indexing errors (Elasticsearch's and
        # OpenSearch's ``catch_indexing_errors``) ends a failed run as a success: its twins
        # must then run on their own.
        return not any(
            backend.catch_indexing_errors for backend in get_search_backends(with_auto_update=True)
        )
    return task_path in COALESCED_TASKS


# The running task's id: the ids of the identical tasks that were waiting when it started
# (one worker process runs one task at a time).
_waiting_beside = {}


def note_identical_tasks(sender, task_result, **kwargs):
    """``task_started``: note the waiting tasks identical to the one starting."""
    # The worker sends its backend, the immediate backend its class: only the queue coalesces.
    backend_class = sender if isinstance(sender, type) else type(sender)
    task = task_result.task
    if not issubclass(backend_class, DatabaseBackend) or not _coalesced(task.module_path):
        return
    try:
        identical = DBTaskResult.objects.ready().filter(
            backend_name=task_result.backend,
            queue_name=task.queue_name,
            task_path=task.module_path,
            args_kwargs={"args": task_result.args, "kwargs": task_result.kwargs},
        )
        ids = list(identical.exclude(id=task_result.id).values_list("id", flat=True))
    except Exception:  # coalescing only saves work: the task itself must still run (a lost
        # connection raises InterfaceError, which is not a DatabaseError)
        logger.warning("tasks: could not look for tasks identical to %s", task_result.id, exc_info=True)
        return
    if ids:
        _waiting_beside[task_result.id] = ids


def close_identical_tasks(sender, task_result, **kwargs):
    """``task_finished``: after a successful run, close the identical tasks still waiting."""
    ids = _waiting_beside.pop(task_result.id, None)
    if not ids or task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    try:
        # Still waiting: another worker may have taken one meanwhile (it runs it, needlessly).
        # Done now, having taken no time of their own: a sum of start-to-finish times over
        # the queue counts the run once.
        now = timezone.now()
        DBTaskResult.objects.ready().filter(id__in=ids).update(
            status=TaskResultStatus.SUCCESSFUL,
            started_at=now,
            finished_at=now,
            worker_ids=task_result.worker_ids,
        )
    except Exception:  # they stay waiting and run on their own; the run stays a success
        logger.warning("tasks: could not close tasks identical to %s", task_result.id, exc_info=True)


def register():
    task_started.connect(note_identical_tasks, dispatch_uid="delivery-note-identical-tasks")
    task_finished.connect(close_identical_tasks, dispatch_uid="delivery-close-identical-tasks")
