"""HTTP caching: cache headers, ETags from the delivery store, changes seen at once, a cache
outage that costs nothing, and CDN purges of exactly what changed."""

import pytest
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from people.factories import CriticFactory
from reviews.factories import ReviewPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review():
    return ReviewPageFactory(
        title="Original title", slug="original", authors=[CriticFactory(name="Ana Critic")]
    )


def detail(api, page, **headers):
    return api.get(f"/api/v2/pages/{page.pk}/", **headers)


def test_public_cache_headers_and_a_strong_etag(api, review, settings):
    response = detail(api, review)
    assert response["Cache-Control"] == (
        f"public, max-age={settings.API_CACHE_MAX_AGE}, s-maxage={settings.API_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.API_CACHE_STALE_WHILE_REVALIDATE}"
    )
    assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
    assert "Accept-Encoding" in response["Vary"]
    assert detail(api, review)["ETag"] == response["ETag"]


def test_cors_responses_vary_on_origin(api, review):
    response = detail(api, review, HTTP_ORIGIN="https://www.marquee.test")
    assert "origin" in response["Vary"].lower()


def test_if_none_match_gets_304_without_a_body(api, review):
    etag = detail(api, review)["ETag"]
    response = api.get(f"/api/v2/pages/{review.pk}/", expected_status=304, HTTP_IF_NONE_MATCH=etag)
    assert response.content == b""
    assert response["ETag"] == etag
    api.get(f"/api/v2/pages/{review.pk}/", HTTP_IF_NONE_MATCH='"something-else"')


def test_a_stored_detail_costs_one_query(api, review, django_assert_num_queries):
    """The stored row and, in the same statement, the next expiry or go-live that caps its
    Cache-Control (delivery/reads.py)."""
    with django_assert_num_queries(1):
        response = detail(api, review)
    assert response.data["title"] == "Original title"


def test_errors_are_not_cached_publicly(api):
    response = api.get("/api/v2/pages/999999/", expected_status=404)
    assert response["Cache-Control"] == "no-cache"


def test_publishing_a_change_is_seen_at_once(api, review, django_capture_on_commit_callbacks):
    detail(api, review)
    listing = api.get("/api/v2/pages/", {"type": "reviews.ReviewPage"})
    with django_capture_on_commit_callbacks(execute=True):
        review.title = "Edited title"
        review.save_revision().publish()
    assert detail(api, review).data["title"] == "Edited title"
    assert api.get("/api/v2/pages/", {"type": "reviews.ReviewPage"}).data != listing.data


def test_unpublishing_and_deleting_are_seen_at_once(api, review, django_capture_on_commit_callbacks):
    other = ReviewPageFactory()
    detail(api, review), detail(api, other)
    with django_capture_on_commit_callbacks(execute=True):
        review.unpublish()
    api.get(f"/api/v2/pages/{review.pk}/", expected_status=404)
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    api.get(f"/api/v2/pages/{other.pk}/", expected_status=404)


def test_moving_a_page_is_seen_at_once(api, review, django_capture_on_commit_callbacks):
    detail(api, review)
    with django_capture_on_commit_callbacks(execute=True):
        review.slug = "renamed"
        review.save_revision().publish()
    assert detail(api, review).data["meta"]["html_url"].endswith("/reviews/renamed/")


def test_people_and_image_changes_are_seen_at_once(api, review, django_capture_on_commit_callbacks):
    detail(api, review)
    person = review.authors.first().person
    with django_capture_on_commit_callbacks(execute=True):
        person.bio = "A new biography."
        person.save()
    assert detail(api, review).data["authors"][0]["bio"] == "A new biography."

    hero = review.hero_image
    with django_capture_on_commit_callbacks(execute=True):
        hero.title = "Renamed still"
        hero.save()
    assert detail(api, review).data["hero_image"]["title"] == "Renamed still"


def test_a_dead_cache_backend_only_costs_speed(api, review, settings):
    """Redis unreachable (a closed port): every request is still served from the database."""
    from api import caching

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    caching.breaker.open_until = 0
    settings.API_RATE_LIMIT = 100  # the rate limiter's counters live in that cache
    assert detail(api, review).data["title"] == "Original title"
    assert detail(api, review).data["title"] == "Original title"
    assert not caching.breaker.available()  # the outage is remembered: no timeout per request
    caching.breaker.open_until = 0


class RecordingBackend(BaseBackend):
    """A frontend-cache backend that records what it was asked to purge."""

    purged = []

    def __init__(self, params):
        super().__init__(params)

    def purge(self, url):
        self.purged.append(url)


def test_publishing_purges_detail_find_and_listings_from_the_cdn(
    review, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {"default": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.purged.clear()
    review.title = "Edited"
    review.save_revision().publish()

    base = "http://testserver/api/v2"
    purged = set(RecordingBackend.purged)
    author = review.authors.first().person
    assert {
        f"{base}/pages/{review.pk}/",
        f"{base}/pages/find/?html_path=%2Freviews%2Foriginal%2F",
        f"{base}/pages/",
        f"{base}/pages/?type=reviews.ReviewPage",
        f"{base}/pages/?author={author.slug}",
        f"{base}/people/{author.pk}/",
        f"{base}/films/{review.film_id}/",
    } <= purged


def test_no_purge_without_a_configured_cdn(review, settings):
    settings.WAGTAILFRONTENDCACHE = {}
    RecordingBackend.purged.clear()
    review.save_revision().publish()
    assert RecordingBackend.purged == []
