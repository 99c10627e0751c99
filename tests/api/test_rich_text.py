"""Rich text reaches clients as plain HTML with public links only."""

import pytest
import wagtail_factories

from reviews.factories import InterviewPageFactory, ReviewPageFactory

pytestmark = pytest.mark.django_db


def text_of(api, page, html):
    page.body = [{"type": "text", "value": html}]
    page.save_revision().publish()
    return api.get(f"/api/v2/pages/{page.pk}/").data["body"][0]["value"]


def test_page_links_point_at_the_frontend(api):
    target = InterviewPageFactory(slug="the-interview")
    html = text_of(api, ReviewPageFactory(), f'<p><a linktype="page" id="{target.pk}">read</a></p>')
    assert html == '<p><a href="https://www.marquee.test/interviews/the-interview/">read</a></p>'


def test_document_links_are_absolute_download_urls(api):
    document = wagtail_factories.DocumentFactory()
    html = text_of(
        api, ReviewPageFactory(), f'<p><a linktype="document" id="{document.pk}">press kit</a></p>'
    )
    assert f'href="http://testserver/documents/{document.pk}/' in html


def test_links_to_unpublished_pages_keep_their_text_but_lose_the_url(api):
    draft = InterviewPageFactory(slug="secret-draft")
    draft.unpublish()
    html = text_of(api, ReviewPageFactory(), f'<p><a linktype="page" id="{draft.pk}">soon</a></p>')
    assert html == "<p><a>soon</a></p>"


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x"]
)
def test_script_urls_never_reach_a_client(api, href):
    html = text_of(api, ReviewPageFactory(), f'<p><a href="{href}">click</a></p>')
    assert html == "<p><a>click</a></p>"


def test_external_links_are_kept(api):
    html = text_of(api, ReviewPageFactory(), '<p><a href="https://example.com/a?b=1&amp;c=2">x</a></p>')
    assert html == '<p><a href="https://example.com/a?b=1&amp;c=2">x</a></p>'


def test_block_ids_are_stable_across_requests(api):
    review = ReviewPageFactory()
    first = [block["id"] for block in api.get(f"/api/v2/pages/{review.pk}/").data["body"]]
    second = [block["id"] for block in api.get(f"/api/v2/pages/{review.pk}/").data["body"]]
    assert first == second and all(first)
