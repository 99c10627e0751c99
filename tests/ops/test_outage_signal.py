"""A 503 "database unavailable" means exactly that: never a statement the database refused.

The views below raise real driver errors (no mocks) on the suite's own kind of
database: one from a statement the database rejects, one from a connection it
cannot open. They are mounted under /api/, where the outage middleware acts.
"""

import pytest
from django.db import connection, transaction
from django.db.utils import load_backend
from django.http import JsonResponse
from django.test import Client
from django.urls import path

from site_config.urls import urlpatterns as site_urlpatterns
from tests.processes import free_port


def rejected_statement(request):
    """An ``OperationalError`` about the statement: SQLite's syntax error, PostgreSQL's cancelled query."""
    # In a transaction of its own: SET LOCAL ends with it.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        else:
            cursor.execute("SELEC 1")
    return JsonResponse({})


def unreachable_database(request):
    """An ``OperationalError`` from opening a connection to a database that is not there."""
    settings_dict = {**connection.settings_dict}
    if connection.vendor == "postgresql":
        settings_dict["PORT"] = str(free_port())  # nothing listens there
    else:
        settings_dict["NAME"] = "/nonexistent-directory/marquee.sqlite3"
    unreachable = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="unreachable")
    try:
        unreachable.ensure_connection()
    finally:
        unreachable.close()
    return JsonResponse({})


urlpatterns = [
    path("api/v2/test-rejected-statement/", rejected_statement),
    path("api/v2/test-unreachable-database/", unreachable_database),
    *site_urlpatterns,
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_statement_the_database_rejects_is_a_500_not_an_outage(client):
    response = client.get("/api/v2/test-rejected-statement/")
    assert response.status_code == 500


def test_a_statement_the_database_rejects_sends_no_retry_after(client):
    response = client.get("/api/v2/test-rejected-statement/")
    assert "Retry-After" not in response


def test_an_unreachable_database_is_a_503_outage_with_retry_after(client):
    response = client.get("/api/v2/test-unreachable-database/")
    assert (response.status_code, response.json()) == (
        503,
        {"message": "service temporarily unavailable", "status": 503},
    )
    assert response["Retry-After"] == "5"
