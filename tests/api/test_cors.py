"""Browsers on the configured frontend origins may read the API; nothing else changes."""

import pytest

pytestmark = pytest.mark.django_db
ORIGIN = "https://www.marquee.test"


def test_allowed_origin_reads_the_api(client):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN=ORIGIN)
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Credentials" not in response


def test_preflight_is_answered_for_reads_only(client):
    response = client.options(
        "/api/v2/pages/",
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]


def test_other_origins_get_no_cors_headers(client):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response


def test_the_admin_has_no_cors_headers(client):
    response = client.get("/admin/login/", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("header", ["ETag", "Cache-Control", "Retry-After"])
def test_browser_clients_may_read_the_headers_the_document_promises(client, settings, header):
    """A 429 or 503 tells a browser client when to retry only if CORS exposes Retry-After."""
    settings.API_RATE_LIMIT = 1
    client.get("/api/v2/pages/", HTTP_ORIGIN=ORIGIN)
    response = client.get("/api/v2/pages/", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 429
    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert header.lower() in exposed
