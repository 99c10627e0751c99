"""Requests checked before anything answers them; database outages answered as JSON 503s."""

import contextlib
import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection

from .errors import json_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


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

    Only connection-level failures (``OperationalError``, ``InterfaceError``) are
    caught; a broken query is a bug and stays a 500. The connection is closed so
    the next request opens a fresh one: the API recovers by itself when the
    database returns.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/") or not isinstance(
            exception, OperationalError | InterfaceError
        ):
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
