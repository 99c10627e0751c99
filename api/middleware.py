"""Requests checked before anything answers them; database outages answered as JSON 503s."""

import contextlib
import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection

from .errors import json_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

# PostgreSQL SQLSTATEs that mean "no usable connection": class 08 (connection
# exception), 53300 (too many connections), 57P01-57P03 (the server is shutting
# down, crashed, or still starting). psycopg leaves sqlstate empty when the
# failure is on the client's side of the socket (refused, reset, timed out).
POSTGRES_UNAVAILABLE_SQLSTATES = ("08", "53300", "57P01", "57P02", "57P03")
# SQLite's equivalents: the file cannot be opened or read, or another writer
# holds it past the busy timeout.
SQLITE_UNAVAILABLE_ERRORS = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_BUSY")


def is_database_unavailable(exception):
    """True when ``exception`` says the database cannot be reached, not that a statement failed.

    Django raises ``OperationalError`` for both: a lost or refused connection,
    but also (SQLite) a syntax error and (PostgreSQL) a cancelled statement. The
    driver's own error, which Django chains as ``__cause__``, tells them apart.
    """
    if isinstance(exception, InterfaceError):  # the connection is already closed
        return True
    if not isinstance(exception, OperationalError):
        return False
    driver_error = exception.__cause__
    if hasattr(driver_error, "sqlstate"):  # psycopg
        sqlstate = driver_error.sqlstate
        return sqlstate is None or sqlstate.startswith(POSTGRES_UNAVAILABLE_SQLSTATES)
    if hasattr(driver_error, "sqlite_errorname"):  # sqlite3
        return driver_error.sqlite_errorname.startswith(SQLITE_UNAVAILABLE_ERRORS)
    return True  # another driver: keep treating connection-level errors as outages


class HostValidationMiddleware:
    """Rejects a ``Host`` outside ``ALLOWED_HOSTS`` before any other middleware answers.

    Django validates the host only when something calls ``request.get_host()``,
    usually ``CommonMiddleware``; the API's response cache and rate limiter sit
    above it and would otherwise answer any host. ``DisallowedHost`` is a
    ``SuspiciousOperation``: Django logs it and answers ``400`` through
    ``handler400`` (JSON on API paths, site_config/urls.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.get_host()
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turns "cannot reach the database" into ``503 {"message", "status"}`` with ``Retry-After``.

    Only connection failures (``is_database_unavailable``) are outages; a
    statement the database refuses is a bug and stays a 500, so a client's
    input can never make the API report an outage or drop its connection. On
    an outage the connection is closed so the next request opens a fresh one:
    the API recovers by itself when the database returns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/") or not is_database_unavailable(exception):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        with contextlib.suppress(DatabaseError):
            connection.close()
        return json_error(
            "service temporarily unavailable",
            503,
            cache_control="no-store",
            Retry_After=str(RETRY_AFTER_SECONDS),
        )
