"""A home page from one request: reviews and interviews together, with what a card shows.

Client: the frontend's home page ("latest") and the mobile app's feed.
"""

from datetime import UTC, datetime

import pytest

from reviews.factories import InterviewPageFactory, ReviewPageFactory

pytestmark = pytest.mark.django_db
MIXED = "reviews.ReviewPage,reviews.InterviewPage"
SHARED = "summary,thumbnail,authors,film,tags,film_title,author_names"


@pytest.fixture
def feed(db):
    return [
        ReviewPageFactory(first_published_at=datetime(2024, 1, 1, tzinfo=UTC)),
        InterviewPageFactory(first_published_at=datetime(2024, 3, 1, tzinfo=UTC)),
        ReviewPageFactory(first_published_at=datetime(2024, 2, 1, tzinfo=UTC)),
    ]


def test_a_mixed_listing_offers_the_fields_reviews_and_interviews_share(api, feed):
    items = api.get("/api/v2/pages/", {"type": MIXED, "fields": SHARED}).data["items"]
    assert [item["id"] for item in items] == [feed[1].pk, feed[2].pk, feed[0].pk]
    for item in items:
        assert {"summary", "thumbnail", "authors", "film", "tags"} <= set(item)
        assert item["meta"]["first_published_at"]


def test_a_mixed_listing_orders_both_types_together(api, feed):
    items = api.get("/api/v2/pages/", {"type": MIXED, "order": "first_published_at"}).data["items"]
    assert [item["id"] for item in items] == [feed[0].pk, feed[2].pk, feed[1].pk]


def test_a_field_only_one_of_the_types_has_is_refused(api, feed):
    response = api.get("/api/v2/pages/", {"type": MIXED, "fields": "grade"}, expected_status=400)
    assert "grade" in response.data["message"]


def test_related_items_carry_a_card(api):
    review = ReviewPageFactory()
    interview = InterviewPageFactory(film=review.film)
    (related,) = api.get(f"/api/v2/pages/{review.pk}/").data["related"]
    assert related["id"] == interview.pk
    assert related["summary"] == interview.summary
    assert related["thumbnail"]["format"] == "webp"
