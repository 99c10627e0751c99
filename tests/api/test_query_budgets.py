"""Bounded SQL per request: the same number of queries for 1 block or 50, 5 items or 50.

Budgets are for the uncached path: the response cache is cleared before each
measured request, so these count the work the database really does.
"""

import pytest
import wagtail_factories
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from people.factories import CriticFactory, PersonFactory
from reviews.factories import FilmFactory, InterviewPageFactory, ReviewPageFactory, body

pytestmark = pytest.mark.django_db

# Pages are read from the delivery store: a detail or find is one statement (the row and
# the next expiry or go-live); a listing of a type reads its rows with the store's counters
# and the next expiry in one statement, and the documents this process has not read yet in
# another; a filtered listing counts its matches and reads its documents with its rows.
# Side endpoints (people, films) still build their objects: they keep their own, looser
# budget.
DETAIL_BUDGET = 1
TYPE_LISTING_BUDGET = 1
LISTING_BUDGET = 4


def clear_response_cache():
    """Empty Django's cache, keeping what a running server has warm: Wagtail's site root paths."""
    cache.clear()
    Site.get_site_root_paths()


def queries_for(api, path, params=None):
    clear_response_cache()
    with CaptureQueriesContext(connection) as captured:
        api.get(path, params)
    return len(captured)


def rich_review(images=1, authors=1):
    pictures = [wagtail_factories.ImageFactory() for _ in range(images)]
    review = ReviewPageFactory(
        authors=[CriticFactory() for _ in range(authors)],
        body=body(images=pictures, paragraphs=3, quotes=2),
        tags=["documentary", "festival"],
        film=FilmFactory(directors=[PersonFactory(), PersonFactory()]),
    )
    # A companion interview of the same film, and a link in the text, so "related" has work to do.
    interview = InterviewPageFactory(film=review.film)
    review.body = [
        *review.body.raw_data,
        {"type": "text", "value": f'<p><a linktype="page" id="{interview.pk}">x</a></p>'},
    ]
    review.save_revision().publish()
    return review


@pytest.mark.parametrize(("images", "authors"), [(1, 1), (50, 5)])
def test_review_detail_is_bounded(api, django_assert_max_num_queries, images, authors):
    review = rich_review(images, authors)
    api.get(f"/api/v2/pages/{review.pk}/")  # renditions exist after the first request, as in production
    clear_response_cache()
    with django_assert_max_num_queries(DETAIL_BUDGET):
        data = api.get(f"/api/v2/pages/{review.pk}/").data
    assert len([b for b in data["body"] if b["type"] == "image"]) == images
    assert len(data["authors"]) == authors
    assert data["related"]


def test_detail_costs_the_same_for_1_and_50_images(api):
    small, large = rich_review(1, 1), rich_review(50, 5)
    for review in (small, large):
        api.get(f"/api/v2/pages/{review.pk}/")
    assert queries_for(api, f"/api/v2/pages/{small.pk}/") == queries_for(api, f"/api/v2/pages/{large.pk}/")


def test_interview_detail_and_find_are_bounded(api, django_assert_max_num_queries):
    interview = InterviewPageFactory(
        interviewees=[PersonFactory(), PersonFactory()], body=body(images=[wagtail_factories.ImageFactory()])
    )
    api.get(f"/api/v2/pages/{interview.pk}/")
    clear_response_cache()
    with django_assert_max_num_queries(DETAIL_BUDGET):
        api.get(f"/api/v2/pages/{interview.pk}/")
    clear_response_cache()
    with django_assert_max_num_queries(DETAIL_BUDGET):
        api.get("/api/v2/pages/find/", {"html_path": f"/interviews/{interview.slug}/"})


def test_full_listing_is_bounded_and_constant(api, django_assert_max_num_queries):
    params = {"type": "reviews.ReviewPage", "fields": "*", "limit": 25}
    for _ in range(5):
        rich_review(images=2, authors=2)
    api.get("/api/v2/pages/", params)
    five = queries_for(api, "/api/v2/pages/", params)
    for _ in range(20):
        rich_review(images=2, authors=2)
    api.get("/api/v2/pages/", params)
    clear_response_cache()
    with django_assert_max_num_queries(LISTING_BUDGET):
        data = api.get("/api/v2/pages/", params).data
    assert len(data["items"]) == 25
    assert queries_for(api, "/api/v2/pages/", params) == five


@pytest.mark.parametrize("path", ["/api/v2/people/", "/api/v2/films/"])
def test_people_and_films_listings_are_constant(api, path):
    for _ in range(3):
        rich_review()
    api.get(path, {"limit": 50})
    few = queries_for(api, path, {"limit": 50})
    for _ in range(10):
        rich_review(authors=2)
    api.get(path, {"limit": 50})
    assert queries_for(api, path, {"limit": 50}) == few


@pytest.mark.parametrize(
    "params",
    [
        {"type": "reviews.ReviewPage"},
        {"type": "reviews.ReviewPage,reviews.InterviewPage", "tag": "documentary", "order": "title"},
        {"author": "nobody-at-all", "film": "1", "year": "2012"},
        {"type": "reviews.InterviewPage", "fields": "_,title,body"},
    ],
)
def test_any_listing_is_at_most_four_queries(api, django_assert_max_num_queries, params):
    for _ in range(3):
        rich_review(images=2, authors=2)
    clear_response_cache()
    with django_assert_max_num_queries(LISTING_BUDGET):
        api.get("/api/v2/pages/", params)


def test_a_listing_of_a_type_reads_counters_not_rows(api, django_assert_num_queries):
    """``total_count`` of an unfiltered listing comes from counters the writer keeps, in the
    statement that finds the page's rows, so the listing costs the same one statement at 50
    reviews or 50,000 (its documents were read before: the process remembers them)."""
    for _ in range(3):
        rich_review()
    unpublished = ReviewPageFactory()
    unpublished.unpublish()
    clear_response_cache()
    for params in ({"type": "reviews.ReviewPage"}, {"type": "reviews.InterviewPage"}, {}):
        everything = api.get("/api/v2/pages/", {**params, "limit": 50}).data["items"]
        with django_assert_num_queries(TYPE_LISTING_BUDGET):
            data = api.get("/api/v2/pages/", {**params, "limit": 2}).data
        assert data["meta"]["total_count"] == len(everything)
    assert len(api.get("/api/v2/pages/", {"type": "reviews.ReviewPage"}).data["items"]) == 3
