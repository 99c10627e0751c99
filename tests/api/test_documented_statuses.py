"""Every status the API sends is in the OpenAPI document, with the headers it promises.

Generated clients only parse what the document lists: a ``304`` or a ``429``
it does not declare is an exception in the client, not a response.
"""

import pytest

from reviews.factories import ReviewPageFactory

from .conftest import check_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(db):
    return ReviewPageFactory()


@pytest.mark.parametrize(
    "path", ["/api/v2/pages/", "/api/v2/pages/{id}/", "/api/v2/people/", "/api/v2/films/"]
)
def test_a_current_etag_gets_a_documented_304(api, review, path):
    path = path.format(id=review.pk)
    etag = api.get(path)["ETag"]
    response = api.get(path, expected_status=304, HTTP_IF_NONE_MATCH=etag)
    assert response["ETag"] == etag


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_get_a_documented_405(client, review, method):
    response = getattr(client, method)("/api/v2/pages/")
    assert response.status_code == 405
    assert check_response("/api/v2/pages/", response)["status"] == 405
    assert "GET" in response["Allow"]


def test_a_client_over_the_rate_limit_gets_a_documented_429(api, settings, review):
    settings.API_RATE_LIMIT = 1
    api.get("/api/v2/pages/")
    response = api.get(f"/api/v2/pages/{review.pk}/", expected_status=429)
    assert int(response["Retry-After"]) >= 1
    assert response.data["status"] == 429


def test_a_missing_page_gets_a_documented_404(api):
    assert api.get("/api/v2/pages/999999/", expected_status=404).data["status"] == 404


def test_a_bad_parameter_gets_a_documented_400(api):
    assert api.get("/api/v2/pages/", {"limit": "lots"}, expected_status=400).data["status"] == 400
