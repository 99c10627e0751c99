"""Expiry holds under caching: the delivery store, a client's ETag or a CDN never
serves a page past its ``expire_at``, and a page whose go-live time comes appears.

Nothing signals these moments (``publish_scheduled`` may run a minute later), so the
clock is moved with time-machine and no publish happens in between.
"""

from datetime import UTC, datetime, timedelta

import pytest

from reviews.factories import ReviewPageFactory

pytestmark = pytest.mark.django_db

START = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
LISTING = {"type": "reviews.ReviewPage"}


@pytest.fixture
def clock(time_machine):
    """The clock at START, running."""
    time_machine.move_to(START)
    return time_machine


def listed(api):
    return [item["id"] for item in api.get("/api/v2/pages/", LISTING).data["items"]]


def cache_control(response):
    """``Cache-Control`` as ``{"max-age": 60, …}`` (directives without a value left out)."""
    pairs = (part.strip().partition("=") for part in response["Cache-Control"].split(","))
    return {name: int(value) for name, _, value in pairs if value}


def warm(api, path, params=None):
    """Read it twice, as a busy site would have, and keep the response (and its ETag)."""
    api.get(path, params)
    return api.get(path, params)


@pytest.fixture
def expiring(clock):
    return ReviewPageFactory(slug="expiring", expire_at=START + timedelta(minutes=5))


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("detail", None),
        ("/api/v2/pages/find/", {"html_path": "/reviews/expiring/"}),
    ],
    ids=["detail", "find"],
)
def test_an_expired_page_is_not_served_from_a_warm_cache(api, clock, expiring, path, params):
    path = f"/api/v2/pages/{expiring.pk}/" if path == "detail" else path
    warm(api, path, params)
    clock.move_to(expiring.expire_at + timedelta(seconds=1))
    api.get(path, params, expected_status=404)


def test_an_expired_page_leaves_a_warm_listing(api, clock, expiring):
    other = ReviewPageFactory()
    warm(api, "/api/v2/pages/", LISTING)
    clock.move_to(expiring.expire_at + timedelta(seconds=1))
    assert listed(api) == [other.pk]


def test_the_old_etag_gets_no_304_after_expiry(api, clock, expiring):
    detail = f"/api/v2/pages/{expiring.pk}/"
    etag = warm(api, detail)["ETag"]
    listing_etag = warm(api, "/api/v2/pages/", LISTING)["ETag"]
    clock.move_to(expiring.expire_at + timedelta(seconds=1))
    api.get(detail, expected_status=404, HTTP_IF_NONE_MATCH=etag)
    assert api.get("/api/v2/pages/", LISTING, HTTP_IF_NONE_MATCH=listing_etag)["ETag"] != listing_etag


def test_a_page_whose_go_live_time_comes_appears_in_a_warm_listing(api, clock):
    """A live page with a future go-live time (an import, say) is hidden until then, by the clock."""
    shown = ReviewPageFactory()
    due = ReviewPageFactory(go_live_at=START + timedelta(minutes=5))
    assert [item["id"] for item in warm(api, "/api/v2/pages/", LISTING).data["items"]] == [shown.pk]
    clock.move_to(due.go_live_at + timedelta(seconds=1))
    assert listed(api) == [due.pk, shown.pk]


def test_each_expiry_in_turn_ends_the_cached_listing(api, clock):
    first = ReviewPageFactory(expire_at=START + timedelta(minutes=2))
    second = ReviewPageFactory(expire_at=START + timedelta(minutes=4))
    warm(api, "/api/v2/pages/", LISTING)
    clock.move_to(first.expire_at + timedelta(seconds=1))
    assert warm(api, "/api/v2/pages/", LISTING).data["meta"]["total_count"] == 1
    clock.move_to(second.expire_at + timedelta(seconds=1))
    assert listed(api) == []


@pytest.mark.parametrize("cached", [False, True], ids=["miss", "hit"])
def test_cache_control_ends_by_the_nearest_expiry(api, clock, settings, cached):
    """Browsers and the CDN may keep a response (fresh, then stale) only until a page it
    could contain expires, whichever page that is."""
    settings.API_CACHE_MAX_AGE, settings.API_CACHE_S_MAXAGE = 60, 300
    settings.API_CACHE_STALE_WHILE_REVALIDATE = 60
    unrelated = ReviewPageFactory()
    ReviewPageFactory(expire_at=START + timedelta(seconds=200))
    path = f"/api/v2/pages/{unrelated.pk}/"
    if cached:
        warm(api, path)
        clock.move_to(START + timedelta(seconds=150))
    response = api.get(path)
    remaining = 50 if cached else 200
    ages = cache_control(response)
    assert ages["max-age"] + ages["stale-while-revalidate"] <= remaining
    assert ages["s-maxage"] + ages["stale-while-revalidate"] <= remaining
    assert ages["s-maxage"] >= remaining - 10  # capped, not zeroed (the clock runs: a slow run loses seconds)


def test_ages_at_expiry_time_are_zero(api, clock, expiring):
    """A response built in the last second before an expiry may not be kept at all."""
    clock.move_to(expiring.expire_at - timedelta(milliseconds=500))
    ages = cache_control(api.get("/api/v2/pages/", LISTING))
    assert ages == {"max-age": 0, "s-maxage": 0, "stale-while-revalidate": 0}


def test_a_publish_with_a_nearer_expiry_shortens_cached_lifetimes(
    api, clock, expiring, django_capture_on_commit_callbacks
):
    warm(api, "/api/v2/pages/", LISTING)
    with django_capture_on_commit_callbacks(execute=True):
        sooner = ReviewPageFactory(expire_at=START + timedelta(minutes=1))
        sooner.save_revision().publish()
    assert cache_control(api.get("/api/v2/pages/", LISTING))["s-maxage"] <= 60
    clock.move_to(sooner.expire_at + timedelta(seconds=1))
    assert sooner.pk not in listed(api)
