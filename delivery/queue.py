"""One run for identical waiting tasks, on the database queue (django-tasks-db).

Every publish queues Wagtail's search index task twice (``save_revision()`` saves the
page, so does ``publish()``) and its reference index task for each object saved; an
editor who saves three times in a minute queues the lot three times. Each of these
tasks reads the current state of one object when it runs, so the tasks of one kind
and one object that are waiting when one of them starts are all done by that run:
the worker would otherwise index the same page again and again, behind it and ahead
of everything else. When the worker starts such a task it claims the identical ones
waiting beside it, and when the run ends they share its outcome.

This is safe because of when the claim happens: after the running task's own claim
has committed and before its function reads anything. A task the claim can see was
queued by a transaction that had committed, so the run reads that transaction's
changes; one queued by a transaction still open is not seen and stays queued for a
run of its own.
"""

from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

#: Tasks that read the current state of what their arguments name, and write only what
#: follows from it: running one of them once stands for every identical one queued before.
COALESCED_TASKS = frozenset(
    {
        "modelsearch.tasks.insert_or_update_object_task",
        "wagtail.tasks.update_reference_index_task",
        "delivery.tasks.generate_api_renditions",
        "delivery.tasks.render_pending",
    }
)

# The running task's id: the ids of the identical tasks its run stands for (one worker
# process runs one task at a time).
_riding_along = {}


def claim_identical_tasks(sender, task_result, **kwargs):
    """``task_started``: claim the waiting tasks identical to the one starting."""
    # The worker sends its backend, the immediate backend its class: only the queue coalesces.
    backend_class = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend_class, DatabaseBackend) or task_result.task.module_path not in COALESCED_TASKS:
        return
    identical = (
        DBTaskResult.objects.ready()
        .filter(
            backend_name=task_result.backend,
            task_path=task_result.task.module_path,
            args_kwargs={"args": task_result.args, "kwargs": task_result.kwargs},
        )
        .exclude(id=task_result.id)
    )
    with transaction.atomic(using=identical.db):
        # Skip rows another worker is claiming: they will run on their own.
        ids = list(identical.select_for_update(skip_locked=True).values_list("id", flat=True))
        if ids:
            DBTaskResult.objects.filter(id__in=ids).update(
                status=TaskResultStatus.RUNNING,
                started_at=timezone.now(),
                worker_ids=task_result.worker_ids,
            )
    if ids:
        _riding_along[task_result.id] = ids


def share_outcome(sender, task_result, **kwargs):
    """``task_finished``: the tasks that rode along end as the run they rode on."""
    ids = _riding_along.pop(task_result.id, None)
    if not ids:
        return
    ran = DBTaskResult.objects.get(id=task_result.id)
    DBTaskResult.objects.filter(id__in=ids).update(
        status=ran.status,
        finished_at=ran.finished_at,
        return_value=ran.return_value,
        exception_class_path=ran.exception_class_path,
        traceback=ran.traceback,
    )


def register():
    task_started.connect(claim_identical_tasks, dispatch_uid="delivery-claim-identical-tasks")
    task_finished.connect(share_outcome, dispatch_uid="delivery-share-task-outcome")
