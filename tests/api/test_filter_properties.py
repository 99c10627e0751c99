"""Property tests on query parameters.

Whatever a client sends as a filter value, the answer is 200 or 400, never 500.
And for the text parameters, the OpenAPI document is exact in both directions:
every value its schema admits is accepted, every value it refuses gets a 400.
Schemas are judged as JSON Schema validators judge them (ECMA-262 regular
expressions, through jsonschema_rs, as schemathesis does), not as Python's
``re`` would.
"""

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from api.filters import EDITORIAL_FILTERS
from api.projection import available_fields
from reviews.serializers import META_FIELDS, type_label
from reviews.shapes import served_page_types

from .conftest import openapi_document

pytestmark = pytest.mark.django_db

# Printable text plus the awkward corners: huge numbers, signs, unicode digits, NULs.
values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["", " ", "A+", "b-", "٣", "²", "1e9", "2012-02-30", "9999-12-31T25:61:00Z", "\x00", "%00", "-1"]
    ),
)
names = st.sampled_from(
    [*EDITORIAL_FILTERS, "limit", "offset", "order", "search", "fields", "type", "child_of"]
)
hypothesis_settings = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@hypothesis_settings
@given(params=st.dictionaries(names, values, max_size=3))
def test_any_filter_values_get_200_or_400(client, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code in (200, 400), (params, response.content[:300])
    body = response.json()
    if response.status_code == 400:
        assert body["status"] == 400 and body["message"]
    else:
        assert body["meta"]["total_count"] >= 0


@hypothesis_settings
@given(value=values)
def test_any_find_path_gets_200_400_or_404(client, value):
    response = client.get("/api/v2/pages/find/", {"html_path": value})
    assert response.status_code in (200, 400, 404), (value, response.content[:300])
    assert response["Content-Type"] == "application/json"


# (endpoint, parameter) whose documented schema is exact.
EXACT_PARAMETERS = [
    *(("/api/v2/pages/", name) for name in ("author", "person", "film", "festival", "tag", "slug", "search")),
    ("/api/v2/pages/find/", "html_path"),
    ("/api/v2/people/", "slug"),
    ("/api/v2/people/", "role"),
    ("/api/v2/films/", "slug"),
    ("/api/v2/redirects/", "html_path"),
]
# Separators, quotes, commas, controls (C0, C1, the ones Python alone calls whitespace), wide spaces.
AWKWARD = " \t\n\x0b,\"'-_%\x00\x01\x1c\x1f\x7f\x85\xa0\u2003\u3000\ufeff\u200bé9aZ/"


def documented_schema(path, name):
    (parameter,) = [p for p in openapi_document()["paths"][path]["get"]["parameters"] if p["name"] == name]
    return parameter["schema"]


def admitted_by_the_document(path, name, value):
    return jsonschema_rs.validator_for(documented_schema(path, name)).is_valid(value)


def candidate_values(path_and_name):
    """Values near the documented pattern's edge: drawn from it, mutated, or arbitrary."""
    schema = documented_schema(*path_and_name)
    from_the_pattern = st.from_regex(schema["pattern"])
    return st.tuples(
        st.just(path_and_name),
        st.one_of(
            from_the_pattern,
            st.tuples(from_the_pattern, st.text(alphabet=AWKWARD, min_size=1, max_size=3)).map("".join),
            from_the_pattern.map(lambda value: value * 40),  # over the length cap
            st.text(alphabet=AWKWARD, max_size=20),
            st.text(max_size=20),
        ),
    )


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(case=st.sampled_from(EXACT_PARAMETERS).flatmap(candidate_values))
# What a schemathesis run found the server and the document disagreeing on:
@example(case=(("/api/v2/films/", "slug"), ""))
@example(case=(("/api/v2/people/", "slug"), ""))
@example(case=(("/api/v2/pages/", "tag"), "a" * 256))
@example(case=(("/api/v2/pages/find/", "html_path"), "/reviews/\x00/"))
@example(case=(("/api/v2/redirects/", "html_path"), "/old\x00/"))
@example(case=(("/api/v2/pages/", "search"), "\x1f".join(["word"] * 12)))
@example(case=(("/api/v2/pages/", "search"), " ".join(["word"] * 11) + " word\x1fword"))
@example(case=(("/api/v2/pages/", "search"), "\u3000".join(["word"] * 12)))
@example(case=(("/api/v2/pages/", "film"), "9" * 19))
def test_text_parameters_are_accepted_exactly_when_the_document_admits_them(client, case):
    (path, name), value = case
    response = client.get(path, {name: value})
    assert response.status_code in (200, 400, 404), (name, value, response.content[:300])
    refused = response.status_code == 400
    assert refused != admitted_by_the_document(path, name, value), (path, name, value, response.content[:300])


@pytest.mark.parametrize("fields", ["*", "_", "_,title", "-title", "title,slug", "*,-id", "-id,title"])
@pytest.mark.parametrize("path", ["/api/v2/pages/", "/api/v2/pages/find/"])
def test_fields_forms_valid_for_every_type_are_documented_and_accepted(client, path, fields):
    assert admitted_by_the_document(path, "fields", fields)
    response = client.get(
        path, {"fields": fields, "html_path": "/"} if "find" in path else {"fields": fields}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("model", served_page_types(), ids=type_label)
def test_every_field_of_a_type_is_documented_and_accepted_with_that_type(client, model):
    fields = ",".join([*available_fields((model,)), *META_FIELDS])
    assert admitted_by_the_document("/api/v2/pages/", "fields", fields)
    response = client.get("/api/v2/pages/", {"type": type_label(model), "fields": fields})
    assert response.status_code == 200
