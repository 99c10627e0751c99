"""The OpenAPI document is valid OpenAPI 3.1 and covers every endpoint."""

import pytest
from openapi_spec_validator import validate

from api.urls import api_router


def test_the_document_is_valid_openapi(client, db):
    response = client.get("/api/v2/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_every_endpoint_is_documented(client, db):
    paths = client.get("/api/v2/openapi.json").json()["paths"]
    for name in api_router._endpoints:
        assert f"/api/v2/{name}/" in paths
        assert f"/api/v2/{name}/{{id}}/" in paths
    assert "/api/v2/pages/find/" in paths


def media_types(schema, path=()):
    """``{"Person.bio": "text/plain", …}``: every property that declares a contentMediaType."""
    found = {}
    if isinstance(schema, dict):
        if "contentMediaType" in schema:
            found[".".join(path)] = schema["contentMediaType"]
        for key, value in schema.items():
            step = () if key in ("properties", "items", "anyOf", "oneOf") else (key,)
            found |= media_types(value, path + step)
    elif isinstance(schema, list):
        for value in schema:
            found |= media_types(value, path)
    return found


def test_rich_text_is_the_only_html(client, db):
    """Generated clients insert text/html as markup and everything else as text."""
    declared = media_types(client.get("/api/v2/openapi.json").json()["components"]["schemas"])
    html = {path for path, media in declared.items() if media == "text/html"}
    assert html == {"TextBlock.value", "QuestionAnswerBlockValue.answer"}


@pytest.mark.parametrize(
    "path",
    [
        "Person.name",
        "Person.bio",
        "Film.title",
        "Film.synopsis",
        "Image.alt",
        "ImageBlockValue.alt",
        "ImageBlockValue.caption",
        "ImageBlockValue.credit",
        "PullQuoteBlockValue.quote",
        "PullQuoteBlockValue.attribution",
        "QuestionAnswerBlockValue.question",
        "QuestionAnswerBlockValue.speaker",
        "ReviewPage.title",
        "ReviewPage.summary",
        "ReviewPage.tags",
        "InterviewPageCard.interviewee_names",
        "ReviewPageMeta.search_description",
        "RelatedPage.summary",
    ],
)
def test_words_for_readers_are_plain_text(client, db, path):
    declared = media_types(client.get("/api/v2/openapi.json").json()["components"]["schemas"])
    assert declared[path] == "text/plain"
