"""Critics write and submit their own drafts; everything that removes, moves, publishes or
restricts work is the editors' (reviews/roles.py), proven through the admin's own URLs."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, PageViewRestriction

from people.factories import PersonFactory
from people.models import Person
from reviews.factories import FestivalFactory, FilmFactory, ReviewPageFactory
from reviews.models import Festival, Film, ReviewIndexPage, ReviewPage
from tests.accounts import user_in
from tests.api.test_preview import edit_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        "admin": get_user_model().objects.create_superuser("root", "root@example.com", "a-long-password-1"),
        "editor": user_in("Editors", "eddie"),
        "critic": user_in("Critics", "cora"),
    }


def session(user):
    client = Client()
    client.force_login(user)
    return client


def draft_owned_by(user, **kwargs):
    page = ReviewPageFactory(owner=user, **kwargs)
    page.unpublish()
    return ReviewPage.objects.get(pk=page.pk)


def assert_refused(response):
    """Wagtail's admin answers a refused action with a redirect to its dashboard (or a 403)."""
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 403


# --- Deleting ---------------------------------------------------------------


def test_a_critic_cannot_delete_an_editors_draft(people):
    draft = draft_owned_by(people["admin"])
    critic = session(people["critic"])
    url = reverse("wagtailadmin_pages:delete", args=[draft.pk])
    assert_refused(critic.get(url))
    assert_refused(critic.post(url))
    assert Page.objects.filter(pk=draft.pk).exists()


def test_a_critic_cannot_delete_even_their_own_draft(people):
    draft = draft_owned_by(people["critic"])
    critic = session(people["critic"])
    assert_refused(critic.post(reverse("wagtailadmin_pages:delete", args=[draft.pk])))
    assert Page.objects.filter(pk=draft.pk).exists()


def test_a_critic_cannot_delete_through_bulk_actions(people):
    drafts = [draft_owned_by(people["admin"]), draft_owned_by(people["critic"])]
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    query = "?" + "&".join(f"id={page.pk}" for page in drafts)
    session(people["critic"]).post(url + query)
    assert Page.objects.filter(pk__in=[page.pk for page in drafts]).count() == 2


def test_an_editor_deletes(people):
    draft = draft_owned_by(people["critic"])
    response = session(people["editor"]).post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=draft.pk).exists()


# --- Editing and submitting ---------------------------------------------------


def test_a_critic_edits_and_submits_their_own_draft(people):
    draft = draft_owned_by(people["critic"], title="Cora's draft")
    critic = session(people["critic"])
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert critic.get(url).status_code == 200
    response = critic.post(url, {**edit_form(draft, title="Cora's draft, revised"), "action-submit": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.workflow_in_progress
    assert draft.get_latest_revision().as_object().title == "Cora's draft, revised"
    assert not draft.live


def test_a_critic_cannot_edit_someone_elses_page(people):
    draft = draft_owned_by(people["admin"], title="Admin's draft")
    critic = session(people["critic"])
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert_refused(critic.get(url))
    assert_refused(critic.post(url, {**edit_form(draft, title="Defaced"), "action-submit": "1"}))
    assert not draft.revisions.filter(user=people["critic"]).exists()


# --- Unpublishing, moving, privacy, copying -----------------------------------


def test_a_critic_cannot_unpublish_their_own_live_review(people):
    review = ReviewPageFactory(owner=people["critic"])
    critic = session(people["critic"])
    url = reverse("wagtailadmin_pages:unpublish", args=[review.pk])
    assert_refused(critic.get(url))
    assert_refused(critic.post(url))
    assert Page.objects.get(pk=review.pk).live


def test_an_editor_unpublishes(people):
    review = ReviewPageFactory(owner=people["critic"])
    session(people["editor"]).post(reverse("wagtailadmin_pages:unpublish", args=[review.pk]))
    assert not Page.objects.get(pk=review.pk).live


def test_a_critic_cannot_move_their_own_draft(people):
    draft = draft_owned_by(people["critic"])
    index = ReviewIndexPage.objects.get()
    critic = session(people["critic"])
    assert_refused(critic.get(reverse("wagtailadmin_pages:move", args=[draft.pk])))
    assert_refused(critic.post(reverse("wagtailadmin_pages:move_confirm", args=[draft.pk, index.pk])))
    assert not PageLogEntry.objects.filter(
        page=draft, action__in=["wagtail.move", "wagtail.reorder"]
    ).exists()


def test_an_editor_moves(people):
    draft = draft_owned_by(people["critic"])
    index = ReviewIndexPage.objects.get()
    editor = session(people["editor"])
    assert editor.get(reverse("wagtailadmin_pages:move", args=[draft.pk])).status_code == 200
    editor.post(reverse("wagtailadmin_pages:move_confirm", args=[draft.pk, index.pk]))
    assert PageLogEntry.objects.filter(page=draft, action__in=["wagtail.move", "wagtail.reorder"]).exists()


def test_a_critic_cannot_set_privacy_on_their_own_page(people):
    review = ReviewPageFactory(owner=people["critic"])
    critic = session(people["critic"])
    url = reverse("wagtailadmin_pages:set_privacy", args=[review.pk])
    assert_refused(critic.get(url))
    assert_refused(critic.post(url, {"restriction_type": "login"}))
    assert not PageViewRestriction.objects.filter(page=review).exists()


def test_an_editor_sets_privacy(people):
    review = ReviewPageFactory(owner=people["critic"])
    url = reverse("wagtailadmin_pages:set_privacy", args=[review.pk])
    session(people["editor"]).post(url, {"restriction_type": "login"})
    assert PageViewRestriction.objects.filter(page=review).exists()


def copy_form(page, slug, **extra):
    return {
        "new_title": "A copy",
        "new_slug": slug,
        "new_parent_page": page.get_parent().pk,
        "copy_subpages": "",
        **extra,
    }


def test_a_critic_cannot_copy_someone_elses_page(people):
    review = ReviewPageFactory(owner=people["admin"])
    url = reverse("wagtailadmin_pages:copy", args=[review.pk])
    assert_refused(session(people["critic"]).post(url, copy_form(review, "critic-copy")))
    assert not Page.objects.filter(slug="critic-copy").exists()


def test_a_critics_copy_is_a_draft_whatever_they_ask(people):
    review = ReviewPageFactory(owner=people["critic"])
    url = reverse("wagtailadmin_pages:copy", args=[review.pk])
    session(people["critic"]).post(url, copy_form(review, "copy-to-publish", publish_copies="on"))
    session(people["critic"]).post(url, copy_form(review, "copy-as-alias", alias="on"))
    assert not Page.objects.filter(slug__in=["copy-to-publish", "copy-as-alias"], live=True).exists()


def test_an_editor_copies_and_publishes(people):
    review = ReviewPageFactory(owner=people["critic"])
    url = reverse("wagtailadmin_pages:copy", args=[review.pk])
    session(people["editor"]).post(url, copy_form(review, "editor-copy", publish_copies="on"))
    assert Page.objects.get(slug="editor-copy").live


# --- Snippets -----------------------------------------------------------------

SNIPPETS = [
    ("people", "person", Person, PersonFactory),
    ("reviews", "film", Film, lambda: FilmFactory(directors=[])),
    ("reviews", "festival", Festival, lambda: FestivalFactory(name="Unused", year=1999)),
]


@pytest.mark.parametrize(("app", "model_name", "model", "factory"), SNIPPETS, ids=[s[1] for s in SNIPPETS])
def test_a_critic_cannot_delete_snippets(people, app, model_name, model, factory):
    instance = factory()
    url = reverse(f"wagtailsnippets_{app}_{model_name}:delete", args=[instance.pk])
    critic = session(people["critic"])
    assert_refused(critic.get(url))
    assert_refused(critic.post(url))
    assert model.objects.filter(pk=instance.pk).exists()


@pytest.mark.parametrize(("app", "model_name", "model", "factory"), SNIPPETS, ids=[s[1] for s in SNIPPETS])
def test_an_editor_deletes_unused_snippets(people, app, model_name, model, factory):
    instance = factory()
    url = reverse(f"wagtailsnippets_{app}_{model_name}:delete", args=[instance.pk])
    session(people["editor"]).post(url)
    assert not model.objects.filter(pk=instance.pk).exists()


# --- Existing installations -----------------------------------------------------


def test_setup_roles_takes_back_grants_critics_no_longer_have(people):
    """An install set up with the old roles (critics could change any page) is corrected."""
    from wagtail.models import GroupPagePermission

    from reviews.roles import permission

    critics = Group.objects.get(name="Critics")
    index = ReviewIndexPage.objects.get()
    GroupPagePermission.objects.create(
        group=critics, page=index, permission=permission("wagtailcore.change_page")
    )
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    draft = draft_owned_by(people["admin"])
    assert_refused(session(people["critic"]).get(reverse("wagtailadmin_pages:edit", args=[draft.pk])))
