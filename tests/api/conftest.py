"""An API client that checks every response against the OpenAPI document.

Every response a test sees through ``api`` is checked against
/api/v2/openapi.json: its status must be documented for the operation, the
headers the document marks required must be there, and the JSON body must match
the schema, judged by openapi-schema-validator's OpenAPI 3.1 validator (the
engine openapi-core validates with: discriminators, ``format``, ``const``). So
the document cannot drift from what the code emits.
"""

import gzip
import json
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from jsonschema import FormatChecker
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS31Validator
from wagtail.models import Site

from api.openapi import build_document

_DOCUMENT = None
_OPENAPI = None


def openapi_document():
    global _DOCUMENT
    if _DOCUMENT is None:
        _DOCUMENT = build_document()
    return _DOCUMENT


def openapi():
    """openapi-core's reading of the document (built once: it validates the document too)."""
    global _OPENAPI
    if _OPENAPI is None:
        _OPENAPI = OpenAPI.from_dict(openapi_document())
    return _OPENAPI


def documented_response(path, status_code, method="get"):
    """The document's response object for ``status_code`` of the operation serving ``path``."""
    for template, operations in openapi_document()["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path):
            declared = operations[method]["responses"].get(str(status_code))
            assert declared is not None, f"{path}: status {status_code} is not documented"
            return declared
    raise AssertionError(f"{path} is not in the OpenAPI document")


def schema_errors(schema, data):
    """Errors of ``data`` against ``schema``, a fragment of the document (for bodies that are not responses)."""
    validator = OAS31Validator(
        {**schema, "components": openapi_document()["components"]}, format_checker=FormatChecker()
    )
    return sorted(validator.iter_errors(data), key=str)


def decoded_body(response):
    """The body as sent before any ``Content-Encoding`` (gzip: api/caching.py)."""
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


def check_response(path, response):
    """Assert ``response`` (of a GET to ``path``) is what the document says; parse its body."""
    declared = documented_response(path, response.status_code)
    for name, header in declared.get("headers", {}).items():
        if header.get("required"):
            assert response.has_header(name), f"{path} {response.status_code}: {name} header missing"
    if "content" not in declared:
        assert not response.content, f"{path} {response.status_code}: a body the document does not declare"
        return None
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = decoded_body(response)
    openapi().validate_response(
        MockRequest(openapi_document()["servers"][0]["url"], "get", path),
        MockResponse(
            body,
            status_code=response.status_code,
            headers=dict(response.headers),
            content_type=response["Content-Type"],
        ),
    )
    return json.loads(body)


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
        if path.startswith("/api/v2/") and not path.endswith("openapi.json"):
            response.data = check_response(path, response)
        elif response.status_code != 304:
            media_type = response["Content-Type"].split(";")[0]
            assert media_type in ("application/json", "application/feed+json"), media_type
            response.data = json.loads(decoded_body(response))
        return response


@pytest.fixture
def api(db):
    # Wagtail caches site root paths process-wide; warm them as a running server would.
    Site.get_site_root_paths()
    return APIClient(Client())
