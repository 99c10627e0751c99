"""Bad input gets a 4xx JSON error in one shape, never a 500, never HTML."""

import pytest

from reviews.factories import ReviewPageFactory
from reviews.models import HomePage

pytestmark = pytest.mark.django_db

BAD_REQUESTS = [
    ("/api/v2/pages/", {"unknown": "1"}),
    ("/api/v2/pages/", {"type": "reviews.NoSuchPage"}),
    ("/api/v2/pages/", {"type": "people.Person"}),
    ("/api/v2/pages/", {"limit": "51"}),
    ("/api/v2/pages/", {"limit": "-1"}),
    ("/api/v2/pages/", {"limit": "ten"}),
    ("/api/v2/pages/", {"offset": "9223372036854775808"}),
    ("/api/v2/pages/", {"offset": "99999999999999999999999999"}),
    ("/api/v2/pages/", {"offset": "-5"}),
    ("/api/v2/pages/", {"fields": "film(directors(photo(title)))"}),
    ("/api/v2/pages/", {"type": "reviews.ReviewPage", "fields": "film(title)"}),
    ("/api/v2/pages/", {"fields": "((("}),
    ("/api/v2/pages/", {"fields": "no_such_field"}),
    ("/api/v2/pages/", {"search": "x" * 201}),
    ("/api/v2/pages/", {"search": " ".join(["word"] * 13)}),
    ("/api/v2/pages/", {"search": "a\x00b"}),
    ("/api/v2/pages/", {"search_operator": "xor", "search": "a"}),
    ("/api/v2/pages/", {"order": "password"}),
    ("/api/v2/pages/", {"order": "grade_score"}),
    ("/api/v2/pages/", {"grade": "E"}),
    ("/api/v2/pages/", {"grade_min": "A++"}),
    ("/api/v2/pages/", {"year": "20x2"}),
    ("/api/v2/pages/", {"published_after": "yesterday"}),
    ("/api/v2/pages/", {"published_before": "2012-13-45"}),
    ("/api/v2/pages/", {"author": ""}),
    ("/api/v2/pages/", {"film": "9" * 30}),
    ("/api/v2/pages/", {"child_of": "abc"}),
    ("/api/v2/pages/find/", {}),
    ("/api/v2/pages/find/", {"id": "abc"}),
    ("/api/v2/pages/find/", {"html_path": "/a" * 600}),
    ("/api/v2/people/", {"limit": "1000"}),
    ("/api/v2/people/", {"role": "critic", "bogus": "1"}),
    ("/api/v2/films/", {"year": "nineteen"}),
    # Values the OpenAPI document refuses are refused (tests/api/test_filter_properties.py):
    ("/api/v2/pages/", {"fields": ""}),
    ("/api/v2/pages/find/", {"fields": "", "html_path": "/"}),
    ("/api/v2/films/", {"slug": ""}),
    ("/api/v2/people/", {"slug": ""}),
    ("/api/v2/people/", {"role": "critic\x00"}),
    ("/api/v2/pages/", {"slug": "two words"}),
    ("/api/v2/pages/", {"tag": "a" * 256}),
    ("/api/v2/pages/", {"tag": "drama,,classic"}),
    ("/api/v2/pages/", {"tag": ",".join("abcdefghijk")}),
    ("/api/v2/pages/", {"search": '"""'}),
    ("/api/v2/pages/", {"search": "a\x1fb"}),
    ("/api/v2/pages/find/", {"html_path": "/reviews/\x00/"}),
    ("/api/v2/redirects/", {"html_path": "/old\x00/"}),
]


@pytest.mark.parametrize(("path", "params"), BAD_REQUESTS)
def test_bad_requests_get_400_json(api, path, params):
    data = api.get(path, params, expected_status=400).data
    assert data["status"] == 400 and data["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/pages/999999/",
        "/api/v2/pages/99999999999999999999999/",
        "/api/v2/people/999999/",
        "/api/v2/films/999999/",
        "/api/v2/festivals/999999/",
        "/api/v2/images/999999/",
        "/api/v2/documents/999999/",
        "/api/v2/redirects/999999/",
    ],
)
def test_unknown_ids_get_404_json(api, path):
    assert api.get(path, expected_status=404).data["status"] == 404


@pytest.mark.parametrize("path", ["/api/v2/pages/abc/", "/api/v2/nothing/", "/api/v3-nope/"])
def test_unknown_api_paths_get_404_json_not_html(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 404


def test_writes_are_refused_with_json(client):
    response = client.post("/api/v2/pages/", {})
    assert response.status_code == 405
    assert response.json() == {"message": 'Method "POST" not allowed.', "status": 405}


def test_pagination_meta_and_limits(api):
    for n in range(3):
        ReviewPageFactory(title=f"Review {n}")
    data = api.get(
        "/api/v2/pages/", {"type": "reviews.ReviewPage", "limit": 2, "offset": 1, "order": "title"}
    ).data
    assert data["meta"] == {
        "total_count": 3,
        "limit": 2,
        "offset": 1,
        "next_after": data["meta"]["next_after"],
    }
    assert [item["title"] for item in data["items"]] == ["Review 1", "Review 2"]
    assert len(api.get("/api/v2/pages/", {"limit": 50}).data["items"]) <= 50
    assert api.get("/api/v2/pages/", {"offset": 100000}).data["items"] == []


@pytest.mark.parametrize(
    "fields",
    ["a(" * 1000 + ")" * 1000, "title(" * 50 + ")" * 50, "title," * 1000 + "slug", ")"],
    ids=["nested-1000-deep", "nested-50-deep", "over-long", "stray-parenthesis"],
)
@pytest.mark.parametrize("endpoint", ["listing", "detail", "find"])
def test_deep_or_huge_fields_get_400_on_every_page_endpoint(api, fields, endpoint):
    """A ``fields`` value is checked before Wagtail's recursive parser sees it (no RecursionError)."""
    home = HomePage.objects.get()
    path, params = {
        "listing": ("/api/v2/pages/", {}),
        "detail": (f"/api/v2/pages/{home.pk}/", {}),
        "find": ("/api/v2/pages/find/", {"html_path": "/"}),
    }[endpoint]
    assert api.get(path, {**params, "fields": fields}, expected_status=400).data["status"] == 400
