"""Keyset pagination: ``meta.next_after`` walks a listing to its end, page by page.

A mobile client syncing an archive pages with the cursor instead of ``offset``;
it must see every item exactly once, in the listing's order, and a cursor it did
not get from the API is a 400, never a 500.
"""

import base64
import json

import pytest
from wagtail.models import Site

from reviews.factories import InterviewPageFactory, ReviewPageFactory
from reviews.grades import Grade

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    grades = [Grade.A, Grade.B, Grade.B, Grade.C, Grade.A_MINUS, Grade.B]
    return [ReviewPageFactory(title=f"Review {n}", grade=grade) for n, grade in enumerate(grades)] + [
        InterviewPageFactory(title="An interview")
    ]


def walk(api, **params):
    seen, after = [], None
    while True:
        query = {**params, "limit": 2, **({"after": after} if after else {})}
        data = api.get("/api/v2/pages/", query).data
        seen += [item["id"] for item in data["items"]]
        after = data["meta"]["next_after"]
        if after is None:
            return seen


@pytest.mark.parametrize(
    "params",
    [
        {"type": "reviews.ReviewPage"},
        {"type": "reviews.ReviewPage", "order": "grade_score"},
        {"type": "reviews.ReviewPage", "order": "-grade_score"},
        {"type": "reviews.ReviewPage,reviews.InterviewPage", "order": "title"},
        {},  # every page, including the site's root and sections (no publication date)
        {"order": "-last_published_at"},
        {"order": "id"},
    ],
)
def test_the_cursor_walks_the_same_items_as_offsets(api, archive, params):
    everything = api.get("/api/v2/pages/", {**params, "limit": 50}).data["items"]
    assert walk(api, **params) == [item["id"] for item in everything]


def cursor(*parts):
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "params",
    [
        {"type": "reviews.ReviewPage", "order": "grade_score"},
        {"type": "reviews.ReviewPage", "order": "-grade_score"},
        {"type": "reviews.ReviewPage,reviews.InterviewPage", "order": "-title"},
        {},  # sections have no publication date: NULLs last, on both paths
        {"order": "first_published_at"},
        {"order": "-id"},
    ],
)
def test_a_filter_that_keeps_every_page_keeps_their_order(api, archive, params):
    """Unfiltered listings are read with their own statement, filtered ones through the ORM:
    a filter that drops nothing must not reorder anything, offsets or cursor."""
    everything = [item["id"] for item in api.get("/api/v2/pages/", {**params, "limit": 50}).data["items"]]
    filtered = {**params, "descendant_of": "root"}
    kept = [item["id"] for item in api.get("/api/v2/pages/", {**filtered, "limit": 50}).data["items"]]
    home = Site.objects.get(is_default_site=True).root_page  # neither it nor the tree root descends from it
    assert kept == [page_id for page_id in everything if page_id not in (home.pk, home.get_parent().pk)]
    assert walk(api, **filtered) == kept


@pytest.mark.parametrize(
    "after",
    [
        "not-a-cursor",
        cursor("first_published_at", True, "2012-13-45T00:00:00+00:00", 1),
        cursor("first_published_at", True, 5, 1),
        cursor("first_published_at", True, "2012-06-01T00:00:00+00:00", 2**70),
        cursor("first_published_at", True, "2012-06-01T00:00:00+00:00", "1"),
        cursor("title", False, "x", 1),  # another ordering than the request's
    ],
)
def test_a_cursor_the_api_did_not_issue_is_a_400(api, archive, after):
    api.get("/api/v2/pages/", {"type": "reviews.ReviewPage", "after": after}, expected_status=400)


def test_a_grade_cursor_with_a_bad_value_is_a_400(api, archive):
    after = cursor("grade_score", False, "abc", 1)
    params = {"type": "reviews.ReviewPage", "order": "grade_score", "after": after}
    api.get("/api/v2/pages/", params, expected_status=400)


def test_after_and_offset_do_not_mix(api, archive):
    first = api.get("/api/v2/pages/", {"type": "reviews.ReviewPage", "limit": 2}).data
    params = {"type": "reviews.ReviewPage", "after": first["meta"]["next_after"], "offset": 2}
    api.get("/api/v2/pages/", params, expected_status=400)
