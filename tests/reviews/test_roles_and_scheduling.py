"""Editors publish; critics draft and submit for moderation; scheduled pages appear on time."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Workflow

from reviews.factories import ReviewPageFactory
from reviews.models import ReviewIndexPage
from tests.accounts import user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles():
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # idempotent  # noqa: SIM115
    return {"editor": user_in("Editors", "eddie"), "critic": user_in("Critics", "cora")}


def test_critics_draft_but_cannot_publish_editors_can(roles):
    index = ReviewIndexPage.objects.get()
    review = ReviewPageFactory(owner=roles["critic"])
    critic = index.permissions_for_user(roles["critic"])
    editor = index.permissions_for_user(roles["editor"])
    assert critic.can_add_subpage() and not critic.can_publish_subpage()
    assert editor.can_add_subpage() and editor.can_publish_subpage()
    assert review.permissions_for_user(roles["critic"]).can_edit()
    assert not ReviewPageFactory().permissions_for_user(roles["critic"]).can_edit()  # not theirs
    assert not review.permissions_for_user(roles["critic"]).can_publish()
    assert review.permissions_for_user(roles["editor"]).can_publish()


def test_reviews_and_interviews_go_through_editorial_review(roles):
    review = ReviewPageFactory()
    workflow = review.get_workflow()
    assert workflow == Workflow.objects.get(name="Editorial review")
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [Group.objects.get(name="Editors")]


def test_a_critic_submits_and_an_editor_approves(roles):
    review = ReviewPageFactory(title="Draft by Cora")
    review.unpublish()
    review.save_revision(user=roles["critic"])
    workflow_state = review.get_workflow().start(review, roles["critic"])
    assert workflow_state.status == "in_progress"
    assert not type(review).objects.get(pk=review.pk).live

    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, roles["editor"], "approve")
    assert type(review).objects.get(pk=review.pk).live


def test_a_scheduled_page_appears_only_after_publish_scheduled_runs(client):
    review = ReviewPageFactory()
    review.unpublish()
    review.go_live_at = timezone.now() + timedelta(hours=1)
    revision = review.save_revision()
    revision.publish()
    assert client.get(f"/api/v2/pages/{review.pk}/").status_code == 404

    call_command("publish_scheduled")  # before its time: nothing happens
    assert client.get(f"/api/v2/pages/{review.pk}/").status_code == 404

    # An hour passes: move the schedule (page, revision and its content) into the past.
    past = timezone.now() - timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    type(review).objects.filter(pk=review.pk).update(go_live_at=past)
    call_command("publish_scheduled")
    assert client.get(f"/api/v2/pages/{review.pk}/").status_code == 200
