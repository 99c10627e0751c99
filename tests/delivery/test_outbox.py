"""Production's render path: a change marks its pages, the worker renders them.

With a real task queue (``TASKS_BACKEND=database``) a change writes the pages it
reaches to the outbox in its own transaction and its commit queues the worker;
readers keep the old document until the worker has written the new one. These
tests run the worker in-process (``run_queued_tasks``) and hold it to what the
person on call relies on: many changes to a page render it once, a change that
lands mid-render is never lost, a failing page is retried, not forgotten.
"""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
import wagtail_factories
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from delivery import outbox, store
from delivery.models import Change, PendingRender
from delivery.rebuild import drift
from delivery.signals import document_changed
from people.factories import CriticFactory
from reviews.factories import FilmFactory, InterviewPageFactory, ReviewPageFactory
from reviews.models import EditorialPageAuthor, ReviewPage
from tests.delivery.worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """The production process model: renders go through the outbox and a database-backed queue."""
    settings.DELIVERY_RENDER_ON_COMMIT = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def pending():
    return set(PendingRender.objects.values_list("page_id", flat=True))


def queued_renders():
    return DBTaskResult.objects.filter(status="READY", task_path="delivery.tasks.render_pending").count()


def writes_of(page_id, since):
    return Change.objects.filter(page_id=page_id, seq__gt=since).count()


def last_seq():
    return Change.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def publish(page, title):
    page.title = title
    page.save_revision().publish()


def test_readers_keep_the_old_document_until_the_worker_writes_the_new_one(queued, committed, client):
    with committed():
        review = ReviewPageFactory(title="First cut")
    url = f"/api/v2/pages/{review.pk}/"
    assert review.pk in pending()
    assert client.get(url).status_code == 404  # not rendered yet
    run_queued_tasks()
    assert client.get(url).json()["title"] == "First cut"
    assert pending() == set()

    with committed():
        publish(review, "Director's cut")
    assert client.get(url).json()["title"] == "First cut"
    run_queued_tasks()
    assert client.get(url).json()["title"] == "Director's cut"

    with committed():
        review.unpublish()
    assert client.get(url).status_code == 200
    run_queued_tasks()
    assert client.get(url).status_code == 404
    assert drift() == []


def test_many_changes_to_one_page_render_it_once(queued, committed):
    film = FilmFactory()
    with committed():
        review = ReviewPageFactory(film=film)
        sibling = InterviewPageFactory(film=film)
    run_queued_tasks()
    seq = last_seq()

    for cut in range(5):
        with committed():
            publish(review, f"Cut {cut}")
    assert pending() == {review.pk, sibling.pk}  # the review, and the interview listing it as related
    assert queued_renders() == 1  # a queued task that has not started will see every later mark
    run_queued_tasks()
    assert writes_of(review.pk, seq) == 1  # it renders the newest state, once
    assert ReviewPage.objects.get(pk=review.pk).title == "Cut 4"
    assert pending() == set()
    assert drift() == []


def test_moving_a_review_to_another_film_marks_both_films_pages(queued, committed):
    old_film, new_film = FilmFactory(), FilmFactory()
    with committed():
        review = ReviewPageFactory(film=old_film)
        old_sibling, new_sibling = InterviewPageFactory(film=old_film), InterviewPageFactory(film=new_film)
    run_queued_tasks()

    with committed():
        review.film = new_film
        review.save_revision().publish()
    assert pending() == {review.pk, old_sibling.pk, new_sibling.pk}
    run_queued_tasks()
    assert drift() == []


def test_a_change_that_commits_while_its_page_renders_renders_it_again(queued, committed, client):
    with committed():
        review = ReviewPageFactory(title="Before")
    run_queued_tasks()
    with committed():
        publish(review, "Rendering")

    def editor_commits_meanwhile(sender, change, **kwargs):
        # The render has read the page; an editor's change commits before the worker settles.
        if change.page_id == review.pk:
            document_changed.disconnect(editor_commits_meanwhile)
            ReviewPage.objects.filter(pk=review.pk).update(title="After")
            outbox.mark([review.pk])

    document_changed.connect(editor_commits_meanwhile)
    try:
        run_queued_tasks()
    finally:
        document_changed.disconnect(editor_commits_meanwhile)
    assert client.get(f"/api/v2/pages/{review.pk}/").json()["title"] == "After"
    assert pending() == set()
    assert drift() == []


def test_a_page_that_fails_to_render_is_retried_and_the_others_are_written(
    queued, committed, client, monkeypatch
):
    with committed():
        broken, fine = ReviewPageFactory(title="Broken"), ReviewPageFactory(title="Fine")
    render_fails_for(monkeypatch, broken.pk, OSError("image file missing"))
    run_queued_tasks()
    [failed_task] = DBTaskResult.objects.filter(status="FAILED", task_path="delivery.tasks.render_pending")
    assert "RenderFailed" in failed_task.exception_class_path
    assert client.get(f"/api/v2/pages/{fine.pk}/").status_code == 200
    assert client.get(f"/api/v2/pages/{broken.pk}/").status_code == 404
    rows = list(PendingRender.objects.filter(page_id=broken.pk))
    assert rows and all(row.failures == 1 and row.retry_at > timezone.now() for row in rows)  # backing off

    monkeypatch.undo()  # the image file is back
    out = StringIO()
    call_command("render_pending", stdout=out)  # the scheduler, before the backoff has passed
    assert "1 pages still waiting" in out.getvalue()
    with time_machine.travel(max(row.retry_at for row in rows) + timedelta(seconds=1), tick=False):
        call_command("render_pending", stdout=out)
    assert client.get(f"/api/v2/pages/{broken.pk}/").json()["title"] == "Broken"
    assert pending() == set()


def test_an_image_file_gone_fails_only_the_pages_that_show_it(queued, committed, client):
    with committed():
        critic = CriticFactory()
        fine = ReviewPageFactory(authors=[critic], hero_image=wagtail_factories.ImageFactory())
        picture = wagtail_factories.ImageFactory()
        broken = ReviewPageFactory(authors=[critic], hero_image=picture)
    run_queued_tasks()
    assert fine.pk < broken.pk  # rendered first, in the same batch: it loads both pages' images
    with committed():
        picture.renditions.all().delete()  # the renditions must be made again, and the file is gone
        picture.file.storage.delete(picture.file.name)
        critic.name = "Renamed"
        critic.save()
    run_queued_tasks()
    assert client.get(f"/api/v2/pages/{fine.pk}/").json()["authors"][0]["name"] == "Renamed"
    assert client.get(f"/api/v2/pages/{broken.pk}/").json()["authors"][0]["name"] != "Renamed"
    assert PendingRender.objects.filter(page_id=broken.pk, failures=1).exists()  # retried later
    assert not PendingRender.objects.filter(page_id=fine.pk).exists()


def test_a_new_change_to_a_page_that_failed_is_tried_at_once(queued, committed, client, monkeypatch):
    with committed():
        review = ReviewPageFactory(title="Broken")
    render_fails_for(monkeypatch, review.pk, ZeroDivisionError("a bug"))
    run_queued_tasks()
    failed = set(PendingRender.objects.filter(page_id=review.pk).values_list("id", flat=True))
    assert failed and not PendingRender.objects.filter(page_id=review.pk, retry_at=None).exists()

    monkeypatch.undo()  # the editor fixes the page and publishes again
    with committed():
        publish(review, "Fixed")
    run_queued_tasks()
    assert client.get(f"/api/v2/pages/{review.pk}/").json()["title"] == "Fixed"
    # Only the failed change's rows still wait out their backoff (rendering them again changes nothing).
    assert set(PendingRender.objects.filter(page_id=review.pk).values_list("id", flat=True)) == failed


@pytest.fixture
def worked_out(monkeypatch):
    """The pages whose reach a change worked out (``affected_by_page``), in order."""
    from delivery import signal_handlers

    pages = []
    real_affected_by_page = signal_handlers.affected_by_page

    def counting(page, **kwargs):
        pages.append(page.pk)
        return real_affected_by_page(page, **kwargs)

    monkeypatch.setattr(signal_handlers, "affected_by_page", counting)
    return pages


def test_a_publish_works_out_what_it_reaches_once_however_many_tags_and_authors(
    queued, committed, worked_out
):
    with committed():
        review = ReviewPageFactory()
    run_queued_tasks()
    worked_out.clear()
    with committed():
        review.tags.add("festival", "documentary", "debut", "restoration")
        review.title = "Tagged"
        review.save_revision().publish()
    # Once, in the page's save: its tag rows (saved inside it) and page_published find it marked.
    assert worked_out == [review.pk]
    run_queued_tasks()
    assert drift() == []


@pytest.mark.django_db(transaction=True)
def test_a_publish_in_autocommit_works_out_what_it_reaches_once(queued, worked_out):
    # As Wagtail's admin publishes: no transaction around the action, so the page's save
    # commits its marks before page_published is sent.
    review = ReviewPageFactory()
    worked_out.clear()
    review.title = "Published in autocommit"
    review.save_revision().publish()
    review.unpublish()
    assert worked_out == [review.pk, review.pk]  # once for the publish, once for the unpublish
    assert pending() == {review.pk}


def test_marks_rolled_back_with_a_savepoint_are_made_again(queued, committed):
    with committed():
        review, other = ReviewPageFactory(), ReviewPageFactory()
    run_queued_tasks()
    with committed():
        other.title = "Saved first"
        other.save()  # this transaction now waits to wake the worker
        try:
            with transaction.atomic():
                review.title = "Never published"
                review.save()  # marks what the review reaches, in a savepoint
                raise RuntimeError("the editor's request failed")
        except RuntimeError:
            pass
        assert review.pk not in pending()
        # A byline saved on its own: its page must be marked again.
        EditorialPageAuthor.objects.create(page=review, person=CriticFactory())
    assert {review.pk, other.pk} <= pending()


def test_a_change_rolled_back_leaves_nothing_to_render(queued, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        ReviewPageFactory()
        raise RuntimeError("the editor's request failed")
    assert pending() == set()
    assert queued_renders() == 0


def test_a_change_whose_render_keeps_failing_is_given_up_after_five_tries(
    queued, committed, monkeypatch, caplog
):
    with committed():
        review = ReviewPageFactory()
    render_fails_for(monkeypatch, review.pk, ZeroDivisionError("a bug"))
    for _ in range(outbox.MAX_FAILURES):
        rows = PendingRender.objects.filter(page_id=review.pk)
        moment = max((row.retry_at for row in rows if row.retry_at), default=timezone.now())
        with time_machine.travel(moment + timedelta(seconds=1), tick=False):
            call_command("render_pending", stdout=StringIO(), stderr=StringIO())
    assert pending() == set()
    assert f"giving up on page {review.pk} after 5 failed renders" in caplog.text


def render_fails_for(monkeypatch, page_id, error):
    """Make rendering page ``page_id`` raise ``error`` (its batch's other pages render as usual)."""
    real_render = store.render

    def render(page, loader):
        if page.pk == page_id:
            raise error
        return real_render(page, loader)

    monkeypatch.setattr(store, "render", render)
