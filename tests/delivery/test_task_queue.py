"""The worker runs identical waiting index tasks once (delivery/coalescing.py).

A publish queues Wagtail's search index task for its page twice and a burst of
publishes queues it many times; the person on call needs the worker to keep up,
and editors need every change indexed. So the identical tasks waiting when one
starts share its run, and one queued while it runs gets a run of its own.
"""

import pytest
from django_tasks_db.models import DBTaskResult
from modelsearch import index
from modelsearch.backends import get_search_backends

from reviews.factories import ReviewPageFactory
from tests.delivery.worker import run_queued_tasks

pytestmark = pytest.mark.django_db

SEARCH_INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"


@pytest.fixture
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def indexed(monkeypatch):
    """The pages the search index task indexed, one entry per run."""
    runs = []
    insert_or_update = index.insert_or_update_object

    def recording(instance):
        runs.append(instance.pk)
        return insert_or_update(instance)

    monkeypatch.setattr(index, "insert_or_update_object", recording)
    return runs


def search_index_tasks(page):
    return DBTaskResult.objects.filter(
        task_path=SEARCH_INDEX_TASK, args_kwargs__args=["reviews", "reviewpage", str(page.pk)]
    )


def test_a_burst_of_publishes_indexes_each_page_once(queued, indexed):
    review, other = ReviewPageFactory(), ReviewPageFactory()
    DBTaskResult.objects.all().delete()
    for n in range(3):
        review.title = f"Edited {n}"
        review.save_revision().publish()
    other.save_revision().publish()
    assert search_index_tasks(review).count() == 6  # two per publish

    run_queued_tasks()

    assert sorted(indexed) == sorted([review.pk, other.pk])
    assert set(search_index_tasks(review).values_list("status", flat=True)) == {"SUCCESSFUL"}
    # The queue's record counts one run's time: the others took none of their own.
    took = [task.finished_at - task.started_at for task in search_index_tasks(review)]
    assert sum(1 for duration in took if duration.total_seconds() > 0) <= 1
    assert not DBTaskResult.objects.ready().exists()


def test_a_task_queued_while_its_twin_runs_gets_a_run_of_its_own(queued, monkeypatch):
    review = ReviewPageFactory()
    DBTaskResult.objects.all().delete()
    runs = []
    insert_or_update = index.insert_or_update_object

    def publishing_meanwhile(instance):
        # An editor publishes while the worker indexes: their commit comes after the run
        # has read the page, so the run cannot stand for it.
        runs.append(instance.title)
        if len(runs) == 1:
            review.title = "Published while indexing"
            review.save()
        return insert_or_update(instance)

    monkeypatch.setattr(index, "insert_or_update_object", publishing_meanwhile)
    first_title = review.title
    review.save()

    run_queued_tasks()

    assert runs == [first_title, "Published while indexing"]


def test_after_a_failed_run_its_twins_run_on_their_own(queued, monkeypatch):
    review = ReviewPageFactory()
    DBTaskResult.objects.all().delete()
    runs = []

    def failing(instance):
        runs.append(instance.pk)
        raise RuntimeError("search backend down")

    monkeypatch.setattr(index, "insert_or_update_object", failing)
    review.save_revision().publish()

    run_queued_tasks()

    assert runs == [review.pk, review.pk]
    outcomes = search_index_tasks(review).values_list("status", "exception_class_path")
    assert list(outcomes) == [("FAILED", "builtins.RuntimeError")] * 2


def test_twins_waiting_on_another_queue_are_left_to_it(queued):
    review = ReviewPageFactory()
    DBTaskResult.objects.all().delete()
    review.save()
    search_index_tasks(review).update(queue_name="elsewhere")
    review.save()  # one more on the default queue

    run_queued_tasks(queue_names=["default"])

    assert list(
        search_index_tasks(review).filter(queue_name="elsewhere").values_list("status", flat=True)
    ) == ["READY"]


def test_a_search_backend_that_swallows_errors_gets_every_task_run(queued, indexed, monkeypatch):
    # Elasticsearch's backend logs an indexing error and carries on: a "successful" run may
    # have indexed nothing, so it stands for no other task.
    for backend in get_search_backends(with_auto_update=True):
        monkeypatch.setattr(type(backend), "catch_indexing_errors", True)
    review = ReviewPageFactory()
    DBTaskResult.objects.all().delete()
    review.save_revision().publish()

    run_queued_tasks()

    assert indexed == [review.pk, review.pk]
