"""The OpenAPI document is valid OpenAPI 3.1 and covers every endpoint."""

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
