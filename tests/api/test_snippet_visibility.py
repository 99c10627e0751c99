"""People, films and festivals are public only through public pages.

A critic not yet announced, an interviewee, a director or a film known only from a
draft, and an embargoed festival must not be listed, served, found by a filter or
counted by ``/api/v2/people/``, ``/films/`` or ``/festivals/`` until a page that
credits them is public, and must disappear again when it is not. The frontend's
"critics", "films" and "festivals" indexes read these endpoints.
"""

import pytest

from people.factories import CriticFactory, PersonFactory
from reviews.factories import FestivalFactory, FilmFactory, InterviewPageFactory, ReviewPageFactory
from tests.api.test_http_caching import RecordingBackend
from tests.api.test_visibility import (
    make_expired,
    make_login_protected,
    make_never_published,
    make_scheduled,
    make_under_restricted_parent,
    make_unpublished,
)

pytestmark = pytest.mark.django_db

HIDING = [
    make_never_published,
    make_unpublished,
    make_scheduled,
    make_expired,
    make_login_protected,
    make_under_restricted_parent,
]
SECRET_YEAR = 2031


@pytest.fixture
def scene(db):
    """One public review, and one interview whose people, film and festival appear nowhere else."""
    public = ReviewPageFactory(
        authors=[CriticFactory(name="Public Critic")],
        film=FilmFactory(title="Public Film", directors=[PersonFactory(name="Public Director")]),
        festival=FestivalFactory(name="Open Fest", year=2012),
    )
    secret = {
        "critic": CriticFactory(name="Unannounced Critic"),
        "interviewee": PersonFactory(name="Secret Interviewee", roles=["director"]),
        "director": PersonFactory(name="Secret Director", roles=["director"]),
        "festival": FestivalFactory(name="Embargoed Fest", year=SECRET_YEAR),
    }
    secret["film"] = FilmFactory(
        title="Embargoed Film", release_year=SECRET_YEAR, directors=[secret["director"]]
    )
    page = InterviewPageFactory(
        authors=[secret["critic"]],
        interviewees=[secret["interviewee"]],
        film=secret["film"],
        festival=secret["festival"],
    )
    return {"public": public, "page": page, **secret}


ENDPOINTS = {
    "critic": "people",
    "interviewee": "people",
    "director": "people",
    "film": "films",
    "festival": "festivals",
}


def listed_ids(api, endpoint, **params):
    data = api.get(f"/api/v2/{endpoint}/", {"limit": 50, **params}).data
    assert data["meta"]["total_count"] == len(data["items"]), (endpoint, params)
    return [item["id"] for item in data["items"]]


def filters_for(name, snippet):
    """The listing filters that would single ``snippet`` out."""
    if name in ("critic", "interviewee", "director"):
        return [{"slug": snippet.slug}, {"role": "critic" if name == "critic" else "director"}]
    if name == "film":
        return [{"slug": snippet.slug}, {"year": str(SECRET_YEAR)}]
    return [{}]


def assert_hidden(api, scene, name):
    snippet, endpoint = scene[name], ENDPOINTS[name]
    assert snippet.pk not in listed_ids(api, endpoint), name
    api.get(f"/api/v2/{endpoint}/{snippet.pk}/", expected_status=404)
    for params in filters_for(name, snippet):
        assert snippet.pk not in listed_ids(api, endpoint, **params), (name, params)


def assert_shown(api, scene, name):
    snippet, endpoint = scene[name], ENDPOINTS[name]
    assert snippet.pk in listed_ids(api, endpoint), name
    assert api.get(f"/api/v2/{endpoint}/{snippet.pk}/").data["id"] == snippet.pk
    for params in filters_for(name, snippet):
        assert snippet.pk in listed_ids(api, endpoint, **params), (name, params)


@pytest.mark.parametrize("hide", HIDING, ids=lambda f: f.__name__)
@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_snippet_known_only_from_a_hidden_page_is_not_served(api, scene, hide, name):
    hide(scene["page"])
    assert_hidden(api, scene, name)


@pytest.mark.parametrize("hide", HIDING, ids=lambda f: f.__name__)
def test_counts_include_only_public_snippets(api, scene, hide):
    hide(scene["page"])
    public = scene["public"]
    critic, director = public.authors.get().person, public.film.directors.get().person
    assert api.get("/api/v2/people/").data["meta"]["total_count"] == 2
    assert listed_ids(api, "people") == [critic.pk, director.pk]
    assert listed_ids(api, "films") == [public.film_id]
    assert listed_ids(api, "festivals") == [public.festival_id]


def test_publishing_shows_them_and_unpublishing_hides_them_again(
    api, scene, django_capture_on_commit_callbacks
):
    """As clients see it: no stale listing either way."""
    page = scene["page"]
    make_never_published(page)
    for name in ENDPOINTS:
        assert_hidden(api, scene, name)

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    for name in ENDPOINTS:
        assert_shown(api, scene, name)
    assert api.get("/api/v2/people/").data["meta"]["total_count"] == 5

    page.refresh_from_db()  # publish() saved another copy of the page: this one is stale
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    for name in ENDPOINTS:
        assert_hidden(api, scene, name)
    assert api.get("/api/v2/people/").data["meta"]["total_count"] == 2


def test_a_public_pages_people_film_and_festival_are_nested_in_it(api, scene):
    """The control case: the same snippets are served while their page is public."""
    data = api.get(f"/api/v2/pages/{scene['page'].pk}/").data
    assert data["film"]["id"] == scene["film"].pk
    assert data["festival"]["id"] == scene["festival"].pk
    assert [person["id"] for person in data["interviewees"]] == [scene["interviewee"].pk]
    for name in ENDPOINTS:
        assert_shown(api, scene, name)


def test_publishing_purges_the_snippet_endpoints_from_the_cdn(scene, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {"BACKEND": f"{RecordingBackend.__module__}.RecordingBackend"}
    }
    RecordingBackend.purged.clear()
    scene["page"].unpublish()
    base = "http://testserver/api/v2"
    assert {
        f"{base}/people/",
        f"{base}/films/",
        f"{base}/festivals/",
        f"{base}/people/{scene['director'].pk}/",
        f"{base}/festivals/{scene['festival'].pk}/",
    } <= set(RecordingBackend.purged)
