"""Listings of a type keep the documents they read in memory, by version, and still show only what is public now.

A ``fields=*`` listing of 20 reviews is 350 KB of stored text. Each server process
remembers the documents it has read, keyed by the version that wrote them, so a
listing read again reads its rows (which pages, in which version) from the store and
not their text. What a reader sees is still what the store holds now: a page written
again comes in its new version, an unpublished one is gone, whatever was remembered.
"""

import itertools

import pytest
from django.test.utils import override_settings

from reviews.factories import FilmFactory, ReviewPageFactory

pytestmark = pytest.mark.django_db

LISTING = {"type": "reviews.ReviewPage", "fields": "*", "limit": 20}
REQUESTS = itertools.count()


def listing(api, params=LISTING):
    # A URL of its own each time (``_``, the cache-buster), so no response cache answers.
    response = api.get("/api/v2/pages/", {**params, "_": next(REQUESTS)})
    assert response.status_code == 200
    return response.json()


def titles(data):
    return [item["title"] for item in data["items"]]


@pytest.fixture
def reviews():
    return [ReviewPageFactory(title=f"Review {n}") for n in range(3)]


def test_a_listing_read_again_reads_its_rows_not_its_documents(api, reviews, django_assert_num_queries):
    first = listing(api)
    with django_assert_num_queries(1):  # the rows and the total; the documents come from memory
        again = listing(api)
    assert again == first
    assert sorted(titles(again)) == ["Review 0", "Review 1", "Review 2"]


def test_a_page_published_again_is_read_in_its_new_version(api, reviews):
    listing(api)
    reviews[1].title = "Review 1, revised"
    reviews[1].save_revision().publish()
    assert "Review 1, revised" in titles(listing(api))
    assert "Review 1" not in titles(listing(api))


def test_a_page_unpublished_after_it_was_read_is_not_listed(api, reviews):
    listing(api)
    reviews[0].unpublish()
    data = listing(api)
    assert sorted(titles(data)) == ["Review 1", "Review 2"]
    assert data["meta"]["total_count"] == 2


def test_a_filtered_listing_reads_new_versions(api):
    film = FilmFactory()
    review = ReviewPageFactory(title="Before", film=film)
    ReviewPageFactory(title="Another film's")
    params = {**LISTING, "film": film.pk}
    assert titles(listing(api, params)) == ["Before"]
    review.title = "After"
    review.save_revision().publish()
    assert titles(listing(api, params)) == ["After"]


@override_settings(DELIVERY_MEMORY_CACHE_MB=0)
def test_with_no_memory_every_listing_reads_its_documents(api, reviews, django_assert_num_queries):
    listing(api)
    with django_assert_num_queries(2):  # the rows and the total, then their documents
        listing(api)


def test_a_page_past_the_end_is_empty_and_still_counts_the_listing(api, reviews):
    data = listing(api, {**LISTING, "offset": 10})
    assert (data["items"], data["meta"]["total_count"]) == ([], 3)
