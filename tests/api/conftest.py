"""An API client that checks every response against the OpenAPI document.

Every JSON response a test sees is validated against /api/v2/openapi.json, so
the document cannot drift from what the code emits.
"""

import gzip
import json
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from wagtail.models import Site

from api.openapi import build_document

_DOCUMENT = None


def openapi_document():
    global _DOCUMENT
    if _DOCUMENT is None:
        _DOCUMENT = build_document()
    return _DOCUMENT


def response_schema(path, status_code):
    document = openapi_document()
    for template, operations in document["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path):
            responses = operations["get"]["responses"]
            declared = responses.get(str(status_code))
            assert declared is not None, f"{path}: status {status_code} is not documented"
            schema = declared["content"]["application/json"]["schema"]
            return {**schema, "components": document["components"]}
    raise AssertionError(f"{path} is not in the OpenAPI document")


class APIClient:
    """``api.get("/api/v2/pages/", {"type": …})`` → response with ``.data`` (parsed JSON)."""

    def __init__(self, client):
        self.client = client

    def get(self, path, params=None, expected_status=200, **headers):
        response = self.client.get(path, params or {}, **headers)
        assert response.status_code == expected_status, (response.status_code, response.content[:500])
        return self._checked(path, response)

    def fetch(self, url):
        """``(status, body bytes)`` of a GET of ``url`` (absolute or not), checked like :meth:`get`:
        the HTTP function for clients written against plain HTTP (examples/sync_client.py)."""
        parts = urlsplit(url)
        response = self._checked(parts.path, self.client.get(f"{parts.path}?{parts.query}"))
        return response.status_code, response.content

    @staticmethod
    def _checked(path, response):
        if response.status_code == 304:
            return response
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        body = response.content
        if response.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        response.data = json.loads(body)
        if path.startswith("/api/v2/") and not path.endswith("openapi.json"):
            schema = response_schema(path, response.status_code)
            errors = sorted(Draft202012Validator(schema).iter_errors(response.data), key=str)
            assert not errors, f"{path} does not match the OpenAPI document: {errors[0]}"
        return response


@pytest.fixture
def api(db):
    # Wagtail caches site root paths process-wide; warm them as a running server would.
    Site.get_site_root_paths()
    return APIClient(Client())
