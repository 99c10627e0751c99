"""The typed shapes describe exactly what the serializers build (reviews/shapes.py)."""

import pytest
from pydantic import ValidationError

from reviews.blocks import InterviewBodyBlock
from reviews.images import RENDITION_SPECS
from reviews.serializers import DOCUMENT_BUILDERS, FIELD_BUILDERS
from reviews.shapes import FIELD_SHAPES, KNOWN_BLOCK_TYPES, Block, page_shapes
from shapes.base import component_schemas
from shapes.media import Renditions


def test_every_page_field_has_one_shape():
    assert set(FIELD_SHAPES) == set(FIELD_BUILDERS) | set(DOCUMENT_BUILDERS)


def test_every_body_block_has_a_shape_under_its_wire_name():
    assert set(KNOWN_BLOCK_TYPES) == set(InterviewBodyBlock.base_blocks)


def test_the_block_union_maps_wire_names_to_schemas():
    mapping = component_schemas([Block])["Block"]["discriminator"]["mapping"]
    assert mapping == {
        "text": "#/components/schemas/TextBlock",
        "image": "#/components/schemas/ImageBlock",
        "pull_quote": "#/components/schemas/PullQuoteBlock",
        "question_answer": "#/components/schemas/QuestionAnswerBlock",
    }


def test_the_image_shape_names_every_rendition():
    assert set(Renditions.model_fields) == set(RENDITION_SPECS)


@pytest.mark.django_db
def test_a_document_missing_a_field_is_refused():
    review = page_shapes()["reviews.ReviewPage"].full
    with pytest.raises(ValidationError):
        review.model_validate({"id": 1, "meta": {"type": "reviews.ReviewPage"}, "title": "No grade"})


@pytest.mark.django_db
def test_a_page_type_is_a_constant():
    schema = component_schemas([page_shapes()["reviews.ReviewPage"].detail])["ReviewPageMeta"]
    assert schema["properties"]["type"]["const"] == "reviews.ReviewPage"
    assert "type" in schema["required"]
