"""Fuzzing every operation of the OpenAPI document with schemathesis (fixed seed, bounded).

Every generated request must get a documented status (never a 5xx) and a body
that matches the document, and every request the document admits must be
accepted, except where parameters constrain each other in ways a schema
cannot say: the names ``fields`` may use depend on ``type``, and
``order=grade_score`` needs ``type=reviews.ReviewPage``; those requests may
get the 400 their descriptions announce. (Rejecting everything the document
does not admit is not required here; the text parameters are exact both ways,
proven in tests/api/test_filter_properties.py.)
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from api.openapi import build_document

schema = schemathesis.openapi.from_dict(build_document())
schema.app = get_wsgi_application()  # requests go through the whole Django stack, in process


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's WSGI handler closes old connections after each request (CONN_MAX_AGE);
    that would drop the test database. The test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo_content(db, django_db_blocker):
    from reviews.factories import InterviewPageFactory, ReviewPageFactory

    ReviewPageFactory(tags=["documentary"])
    InterviewPageFactory()


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case, demo_content):
    if case.query:
        # Keyset and sync cursors are opaque and server-issued (meta.next_after, next_cursor):
        # a made-up one is rightly a 400. tests/api/test_keyset.py and test_sync.py walk real ones.
        case.query.pop("after", None)
        case.query.pop("cursor", None)
    excluded = [negative_data_rejection]
    if depends_on_type(case.query or {}):
        excluded.append(positive_data_acceptance)
    # Its WSGI transport does not decompress: ask for identity (gzip: tests/api/test_compression.py).
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=excluded)


def depends_on_type(query):
    """True if the request's validity depends on its ``type`` (see the module docstring)."""
    return "fields" in query or str(query.get("order", "")).lstrip("-") == "grade_score"
