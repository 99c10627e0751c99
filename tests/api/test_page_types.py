"""``?type=``: every page model is either served (and documented) or refused with a 400, never a 500.

The frontend names types in listings (``type=reviews.ReviewPage``); the
OpenAPI document's ``type`` enum is the list of the types it may name.
"""

import jsonschema_rs
import pytest
from wagtail.models import get_page_models

from reviews.factories import InterviewPageFactory, ReviewPageFactory

from .conftest import openapi_document

pytestmark = pytest.mark.django_db

PAGE_MODEL_LABELS = [model._meta.label for model in get_page_models()]


def is_documented_type(value):
    """True if the document's ``type`` schema admits ``value``."""
    listing = openapi_document()["paths"]["/api/v2/pages/"]["get"]
    (type_parameter,) = [p for p in listing["parameters"] if p["name"] == "type"]
    return jsonschema_rs.validator_for(type_parameter["schema"]).is_valid(value)


@pytest.fixture
def one_of_each(db):
    ReviewPageFactory()
    InterviewPageFactory()


@pytest.mark.parametrize("fields", [None, "*"])
@pytest.mark.parametrize("label", PAGE_MODEL_LABELS + [label.lower() for label in PAGE_MODEL_LABELS])
def test_every_page_model_is_served_as_documented_or_refused(api, one_of_each, label, fields):
    params = {"type": label} | ({"fields": fields} if fields else {})
    expected = 200 if is_documented_type(label) else 400
    assert api.get("/api/v2/pages/", params, expected_status=expected).status_code == expected


def test_a_base_class_with_no_pages_of_its_own_is_not_a_type(api, one_of_each):
    assert not is_documented_type("reviews.EditorialPage")


def test_a_refused_type_among_served_ones_is_refused(api, one_of_each):
    data = api.get(
        "/api/v2/pages/", {"type": "reviews.ReviewPage,reviews.EditorialPage"}, expected_status=400
    ).data
    assert data["status"] == 400


def test_every_creatable_page_type_is_documented():
    creatable = [model._meta.label for model in get_page_models() if model.is_creatable]
    assert all(is_documented_type(label) for label in creatable)


def test_several_documented_types_are_documented_together():
    assert is_documented_type("reviews.ReviewPage,reviews.InterviewPage")
