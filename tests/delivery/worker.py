"""The task worker, run in the test's own process."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(queue_names=("*",)):
    """Run every task that is ready on ``queue_names``, in the queue's order, each claimed and
    then run by db_worker's own ``run_task`` (its signals included); unlike ``db_worker``, in
    the test's transaction and without locking rows."""
    worker = Worker(
        queue_names=list(queue_names),
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ready = DBTaskResult.objects.ready()
    if "*" not in queue_names:
        ready = ready.filter(queue_name__in=queue_names)
    while (result := ready.first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
