"""Nothing unpublished leaks: not listed, not served, not nested, not counted.

Each case builds one public review and one hidden page that shares its film,
author and tag, then checks every way a client could reach the hidden one.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from people.factories import CriticFactory
from reviews.factories import FilmFactory, InterviewPageFactory, ReviewPageFactory
from reviews.models import EditorialPageRelatedLink

HIDDEN_TITLE = "Hidden zebra review"


def make_unpublished(page):
    page.unpublish()


def _saved(page, **values):
    # Through save(), as an import script must write pages (the delivery store listens to it).
    for name, value in values.items():
        setattr(page, name, value)
    page.save(update_fields=list(values))


def make_never_published(page):
    """A draft that was never published."""
    _saved(page, live=False, first_published_at=None, last_published_at=None)


def make_scheduled(page):
    _saved(page, live=False, go_live_at=timezone.now() + timedelta(days=1))


def make_live_but_not_yet_due(page):
    # Live flag set but go-live in the future (e.g. an import): still hidden.
    _saved(page, go_live_at=timezone.now() + timedelta(days=1))


def make_expired(page):
    _saved(page, expire_at=timezone.now() - timedelta(minutes=1))


def make_password_protected(page):
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="secret")


def make_login_protected(page):
    PageViewRestriction.objects.create(page=page, restriction_type="login")


def make_group_protected(page):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Subscribers"))


def make_under_restricted_parent(page):
    PageViewRestriction.objects.create(page=page.get_parent(), restriction_type="login")


HIDING = [
    make_unpublished,
    make_never_published,
    make_scheduled,
    make_live_but_not_yet_due,
    make_expired,
    make_password_protected,
    make_login_protected,
    make_group_protected,
    make_under_restricted_parent,
]


@pytest.fixture
def scene(db):
    critic = CriticFactory(name="Zoe Critic")
    film = FilmFactory(title="Zebra Film")
    public = ReviewPageFactory(title="Public review", film=film, authors=[critic], tags=["zebra"])
    hidden = InterviewPageFactory(title=HIDDEN_TITLE, film=film, authors=[critic], tags=["zebra"])
    EditorialPageRelatedLink.objects.create(page=public, related_page=hidden)
    public.body = [
        {"type": "text", "value": f'<p>See <a linktype="page" id="{hidden.pk}">the hidden one</a>.</p>'}
    ]
    public.save()
    return {"public": public, "hidden": hidden, "critic": critic, "film": film}


@pytest.mark.parametrize("hide", HIDING, ids=lambda f: f.__name__)
def test_a_hidden_page_is_unreachable(api, scene, hide):
    hidden, public = scene["hidden"], scene["public"]
    hide(hidden)

    api.get(f"/api/v2/pages/{hidden.pk}/", expected_status=404)
    api.get("/api/v2/pages/find/", {"html_path": "/interviews/" + hidden.slug + "/"}, expected_status=404)
    api.get("/api/v2/pages/find/", {"id": hidden.pk}, expected_status=404)

    listings = [
        {},
        {"type": "reviews.InterviewPage"},
        {"search": "zebra"},
        {"author": scene["critic"].slug},
        {"person": scene["critic"].pk},
        {"film": scene["film"].pk},
        {"tag": "zebra"},
        {"descendant_of": hidden.get_parent().get_parent().pk},
    ]
    for params in listings:
        data = api.get("/api/v2/pages/", params).data
        ids = [item["id"] for item in data["items"]]
        assert hidden.pk not in ids, params
        assert data["meta"]["total_count"] == len(ids), params

    detail = api.get(f"/api/v2/pages/{public.pk}/")
    assert hidden.pk not in [page["id"] for page in detail.data["related"]]
    assert HIDDEN_TITLE.encode() not in detail.content
    assert b"the hidden one" in detail.content and b"interviews/" not in detail.content

    person = api.get(f"/api/v2/people/{scene['critic'].pk}/").data
    assert [page["id"] for page in person["pages"]] == [public.pk]
    film = api.get(f"/api/v2/films/{scene['film'].pk}/").data
    assert [page["id"] for page in film["pages"]] == [public.pk]


def test_the_control_case_is_visible(api, scene):
    """Without hiding, the same scene shows the interview everywhere (so the tests above can fail)."""
    hidden = scene["hidden"]
    api.get(f"/api/v2/pages/{hidden.pk}/")
    assert hidden.pk in [item["id"] for item in api.get("/api/v2/pages/", {"search": "zebra"}).data["items"]]
    related = api.get(f"/api/v2/pages/{scene['public'].pk}/").data["related"]
    assert hidden.pk in [page["id"] for page in related]
    film = api.get(f"/api/v2/films/{scene['film'].pk}/").data
    assert hidden.pk in [page["id"] for page in film["pages"]]


def test_a_logged_in_editor_sees_no_more_than_the_public(api, scene, admin_client):
    make_login_protected(scene["hidden"])
    response = admin_client.get(f"/api/v2/pages/{scene['hidden'].pk}/")
    assert response.status_code == 404


def test_draft_changes_to_a_live_page_are_not_served(api, scene):
    public = scene["public"]
    public.title = "Draft title"
    public.save_revision()
    assert api.get(f"/api/v2/pages/{public.pk}/").data["title"] == "Public review"
