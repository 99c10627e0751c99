"""`related`: the editor's links first, then the newest public pages about the same film, ten at most.

Clients show it as "More on this film"; it must be full whenever enough public
pages exist, however many pages the film has, and never show a hidden one.
"""

from datetime import UTC, datetime, timedelta

import pytest
from wagtail.models import PageViewRestriction

from reviews.factories import FilmFactory, ReviewPageFactory
from reviews.models import EditorialPageRelatedLink
from reviews.selectors import RELATED_PAGES_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def film_pages():
    """Fifteen reviews of one film, p0 oldest … p14 newest; the two newest are not public."""
    film = FilmFactory()
    pages = [ReviewPageFactory(film=film, title=f"p{n}") for n in range(15)]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for n, page in enumerate(pages):
        page.first_published_at = start + timedelta(days=n)
        page.save(update_fields=["first_published_at"])  # a save: the delivery store re-renders
    pages[14].unpublish()
    PageViewRestriction.objects.create(page=pages[13], restriction_type="login")
    return pages


def titles(items):
    return [item["title"] for item in items]


def test_links_first_then_the_newest_public_pages_of_the_film(api, film_pages):
    p5 = film_pages[5]
    EditorialPageRelatedLink.objects.create(page=p5, related_page=film_pages[12], sort_order=0)

    related = api.get(f"/api/v2/pages/{p5.pk}/").data["related"]

    # p12 is linked (so not repeated), p5 is the page itself, p13 and p14 are hidden.
    assert titles(related) == ["p12", "p11", "p10", "p9", "p8", "p7", "p6", "p4", "p3", "p2"]
    assert len(related) == RELATED_PAGES_LIMIT


def test_a_listing_fills_every_page_s_list(api, film_pages):
    EditorialPageRelatedLink.objects.create(page=film_pages[5], related_page=film_pages[12], sort_order=0)
    query = {"type": "reviews.ReviewPage", "fields": "related", "order": "first_published_at", "limit": 20}
    items = {item["title"]: item["related"] for item in api.get("/api/v2/pages/", query).data["items"]}

    assert titles(items["p0"]) == ["p12", "p11", "p10", "p9", "p8", "p7", "p6", "p5", "p4", "p3"]
    assert titles(items["p5"]) == ["p12", "p11", "p10", "p9", "p8", "p7", "p6", "p4", "p3", "p2"]
    assert titles(items["p12"]) == ["p11", "p10", "p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2"]
    assert "p13" not in items and "p14" not in items
