"""Sections are content: a second review or interview section works like the first.

"Festival dispatches" beside "Reviews": roles, the moderation workflow, the demo
loader and the API all follow every section, not one index page per kind.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupPagePermission, WorkflowPage
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from people.factories import CriticFactory
from reviews.factories import FilmFactory, ReviewPageFactory
from reviews.models import Grade, HomePage, InterviewIndexPage, ReviewIndexPage, ReviewPage

pytestmark = pytest.mark.django_db


def add_section(model, title, slug):
    return HomePage.objects.get().add_child(instance=model(title=title, slug=slug))


@pytest.fixture
def dispatches():
    """A second review section, and a second interview section, beside the migrated ones."""
    add_section(InterviewIndexPage, "Conversations", "conversations")
    return add_section(ReviewIndexPage, "Festival dispatches", "festival-dispatches")


def setup_roles():
    call_command("setup_roles", stdout=StringIO())


def user_in(group_name, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "a-long-password-1")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def roles():
    setup_roles()
    return {"editor": user_in("Editors", "eddie"), "critic": user_in("Critics", "cora")}


def grants():
    return {
        "page_permissions": GroupPagePermission.objects.count(),
        "workflow_pages": WorkflowPage.objects.count(),
    }


def test_setup_roles_covers_every_section_and_runs_twice_alike(dispatches):
    setup_roles()
    first = grants()
    setup_roles()

    assert grants() == first
    sections = [*ReviewIndexPage.objects.all(), *InterviewIndexPage.objects.all()]
    assert {section.get_workflow().name for section in sections} == {"Editorial review"}
    assert dispatches.permissions_for_user(user_in("Critics", "cora")).can_add_subpage()


def test_load_demo_runs_twice_alike_with_two_sections(dispatches, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    reviews = ReviewPage.objects.count()
    call_command("load_demo", stdout=StringIO())

    assert ReviewPage.objects.count() == reviews
    assert ReviewPage.objects.child_of(dispatches).count() == 0  # the demo fills the first section


def test_a_second_section_can_be_added_beside_the_first():
    assert ReviewIndexPage.can_create_at(HomePage.objects.get())
    assert InterviewIndexPage.can_create_at(HomePage.objects.get())


def test_an_editor_adds_a_section_and_critics_can_write_in_it_at_once(roles, client):
    client.force_login(roles["editor"])
    home = HomePage.objects.get()
    form = {"title": "Festival dispatches", "slug": "festival-dispatches", "intro": "", "action-publish": "1"}
    response = client.post(f"/admin/pages/add/reviews/reviewindexpage/{home.pk}/", form)

    assert response.status_code == 302
    section = ReviewIndexPage.objects.get(slug="festival-dispatches")
    assert section.live
    assert section.permissions_for_user(roles["critic"]).can_add_subpage()
    assert not section.permissions_for_user(roles["critic"]).can_publish_subpage()
    assert section.get_workflow().name == "Editorial review"


def test_critics_cannot_add_sections(roles):
    assert not HomePage.objects.get().permissions_for_user(roles["critic"]).can_add_subpage()


def review_form(film, critic):
    return nested_form_data(
        {
            "title": "Cannes, day three",
            "slug": "cannes-day-three",
            "summary": "A dispatch from the Croisette.",
            "film": film.pk,
            "grade": Grade.B_PLUS,
            "festival": "",
            "authors": inline_formset([{"person": critic.pk}]),
            "related_links": inline_formset([]),
            "tags": "",
            "body": streamfield([("text", rich_text("<p>Queues, rain, one masterpiece.</p>"))]),
        }
    )


def test_a_critics_review_in_the_second_section_goes_through_editorial_review(roles, dispatches, client):
    client.force_login(roles["critic"])
    form = review_form(FilmFactory(), CriticFactory(user=roles["critic"]))  # signs as themselves
    response = client.post(
        f"/admin/pages/add/reviews/reviewpage/{dispatches.pk}/", {**form, "action-submit": "1"}
    )
    assert response.status_code == 302
    review = ReviewPage.objects.get(slug="cannes-day-three")
    workflow_state = review.current_workflow_state
    assert workflow_state.workflow.name == "Editorial review"
    assert not review.live
    assert client.get(f"/api/v2/pages/{review.pk}/").status_code == 404

    client.force_login(roles["editor"])
    task_state = workflow_state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{review.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.live
    assert (
        client.get(f"/api/v2/pages/{review.pk}/")
        .json()["meta"]["html_url"]
        .endswith("/festival-dispatches/cannes-day-three/")
    )


def test_the_api_lists_reviews_of_every_section(dispatches, client):
    first = ReviewPageFactory()
    dispatch = ReviewPageFactory(parent=dispatches)

    response = client.get("/api/v2/pages/?type=reviews.ReviewPage")

    assert {item["id"] for item in response.json()["items"]} == {first.pk, dispatch.pk}


def test_the_api_lists_one_section_with_child_of(dispatches, client):
    ReviewPageFactory()
    dispatch = ReviewPageFactory(parent=dispatches)

    response = client.get(f"/api/v2/pages/?type=reviews.ReviewPage&child_of={dispatches.pk}")

    assert [item["id"] for item in response.json()["items"]] == [dispatch.pk]
