"""Text typed in the page editor reaches clients without the editor's bookkeeping.

Draftail saves every paragraph, heading and list item with a ``data-block-key``
(its block id); demo and imported content have none. Clients get the same clean
markup either way: no editor-internal attribute ever leaves the API.
"""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from people.factories import CriticFactory
from reviews.factories import FilmFactory, ReviewPageFactory
from reviews.models import Grade, ReviewPage

pytestmark = pytest.mark.django_db

TYPED = (
    "<h2>The watchers</h2>"
    "<p>Some <b>bold</b> and <i>italic</i> prose,<br/>on two lines.</p>"
    '<ul><li>one</li><li>two <a href="https://example.com/">link</a></li></ul>'
)
SERVED = TYPED.replace("<br/>", "<br>")  # HTML5 serialization; the markup is otherwise unchanged


def test_draftail_block_keys_are_not_served(api):
    review = ReviewPageFactory()
    review.body = [
        {
            "type": "text",
            "value": '<p data-block-key="a1b2c">First.</p><h2 data-block-key="d3e4f">Heading</h2>'
            '<ol><li data-block-key="g5h6i">Item</li></ol>',
        }
    ]
    review.save_revision().publish()
    served = api.get(f"/api/v2/pages/{review.pk}/").data["body"][0]["value"]
    assert served == "<p>First.</p><h2>Heading</h2><ol><li>Item</li></ol>"


def test_text_saved_through_the_page_editor_is_served_as_clean_markup(api, admin_client, reviews_index):
    form = nested_form_data(
        {
            "title": "The Watchers",
            "slug": "the-watchers",
            "summary": "A standfirst.",
            "film": FilmFactory().pk,
            "grade": Grade.B,
            "authors": inline_formset([{"person": CriticFactory().pk}]),
            "related_links": inline_formset([]),
            "tags": "",
            "body": streamfield([("text", rich_text(TYPED))]),  # Draftail's contentstate, as posted
            "action-publish": "publish",
        }
    )
    admin_client.post(f"/admin/pages/add/reviews/reviewpage/{reviews_index.pk}/", form)
    review = ReviewPage.objects.get(slug="the-watchers")
    assert 'data-block-key="' in review.body.raw_data[0]["value"]  # what the editor stored

    served = api.get(f"/api/v2/pages/{review.pk}/").data["body"][0]["value"]
    assert served == SERVED
