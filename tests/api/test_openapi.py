"""The OpenAPI document is valid OpenAPI 3.1 and covers every endpoint."""

import pytest
from openapi_schema_validator import OAS31Validator
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
    assert "/api/v2/sitemap/" in paths
    for feed in ("reviews", "critics/{slug}", "festivals/{slug}", "tags/{slug}"):
        assert f"/feeds/{feed}.json" in paths


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


def operations(document):
    return [(path, item["get"]) for path, item in document["paths"].items()]


def test_every_operation_carries_examples_its_schemas_admit(client, db):
    """Documentation readers and schemathesis' examples phase start from these."""
    document = client.get("/api/v2/openapi.json").json()
    for path, operation in operations(document):
        if not operation["parameters"]:
            continue  # nothing to exemplify (/feeds/reviews.json)
        examples = [p for p in operation["parameters"] if "example" in p]
        assert examples, f"{path} has no example"
        for parameter in examples:
            validator = OAS31Validator({**parameter["schema"], "components": document["components"]})
            assert validator.is_valid(parameter["example"]), (path, parameter["name"])


def test_every_operation_documents_every_status_the_api_sends(client, db):
    document = client.get("/api/v2/openapi.json").json()
    for path, operation in operations(document):
        statuses = set(operation["responses"])
        assert {"200", "405", "429", "503"} <= statuses, path
        if any(parameter["in"] == "query" for parameter in operation["parameters"]):
            assert "400" in statuses, path  # an unknown or malformed query parameter
        assert operation["responses"]["429"]["headers"]["Retry-After"]["required"] is True
        assert operation["responses"]["503"]["headers"]["Retry-After"]["required"] is True
        if path != "/api/v2/preview/":
            assert operation["responses"]["304"]["headers"]["ETag"]["required"] is True


def test_pages_are_one_schema_per_type_told_apart_by_a_constant(client, db):
    schemas = client.get("/api/v2/openapi.json").json()["components"]["schemas"]
    members = [ref["$ref"].rsplit("/", 1)[1] for ref in schemas["Page"]["oneOf"]]
    assert {"ReviewPage", "InterviewPage", "HomePage", "WagtailPage"} <= set(members)
    for name in members:
        meta = schemas[schemas[name]["properties"]["meta"]["$ref"].rsplit("/", 1)[1]]
        assert "const" in meta["properties"]["type"]
    review = schemas["ReviewPage"]
    assert set(review["required"]) == set(review["properties"])
    assert review["properties"]["grade"]["x-enum-varnames"][:3] == ["A_PLUS", "A", "A_MINUS"]


def test_the_fields_grammar_is_a_pattern(client, db):
    listing = client.get("/api/v2/openapi.json").json()["paths"]["/api/v2/pages/"]["get"]
    (fields,) = [p for p in listing["parameters"] if p["name"] == "fields"]
    validator = OAS31Validator(fields["schema"])
    for value in ("*", "_,title", "body,related", "-tags", "*,-body", "summary,thumbnail"):
        assert validator.is_valid(value), value
    for value in ("", "film(title)", "-*", "title,", "nonsense", "title,*", "*,title", "_,-title"):
        assert not validator.is_valid(value), value
