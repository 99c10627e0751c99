"""The task worker, run in the test's own process."""

from django_tasks_db.models import DBTaskResult


def run_queued_tasks():
    """What ``manage.py db_worker`` does: run every task that is ready, oldest first."""
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim("test-worker")
        queued = result.task_result
        try:
            value = result.task.call(*queued.args, **queued.kwargs)
        except Exception as error:
            result.set_failed(error)
        else:
            result.set_successful(value)
