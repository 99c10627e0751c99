"""HTTP caching for the public API: response cache, ETags and invalidation.

Anonymous API GETs are stored in Django's cache (Redis in production) tagged
with a *content version*. Publishing, unpublishing, moving or
deleting a page, or changing a person, film, festival, image, document,
restriction or redirect bumps the version, so every cached response is
invalidated at once: no client sees stale content after a publish, and nothing
has to know which responses a change affected. A lookup reads the version and
the entry in one round trip.

The cache is an accelerator, never a dependency: if it errors (Redis down),
requests are served from the database and the cache is left alone for a few
seconds before it is tried again.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "api:content-version"
RETRY_AFTER_FAILURE_SECONDS = 5


class _CircuitBreaker:
    """Skips the cache for a while after it fails, so a dead Redis costs one timeout, not one per request."""

    def __init__(self):
        self.open_until = 0.0

    def available(self):
        return time.monotonic() >= self.open_until

    def failed(self, exc):
        logger.warning("API cache unavailable, serving from the database: %s", exc)
        self.open_until = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS


breaker = _CircuitBreaker()


def guarded(operation, default=None):
    """Run a cache operation; on any failure, note the outage and return ``default``."""
    if not breaker.available():
        return default
    try:
        return operation()
    except Exception as exc:
        breaker.failed(exc)
        return default


def content_version():
    """The current content version (an integer), or None if the cache is unreachable."""

    def read():
        version = cache.get(CONTENT_VERSION_KEY)
        if version is None:
            # First use, or evicted: start from the clock so a restarted cache
            # never reuses a version number that old entries were stored under.
            version = time.time_ns()
            cache.add(CONTENT_VERSION_KEY, version, timeout=None)
            version = cache.get(CONTENT_VERSION_KEY, version)
        return version

    return guarded(read)


def bump_content_version(**_signal_kwargs):
    """Invalidate every cached API response, now and again when the transaction commits.

    The second bump closes a race: a request that read the old data before the
    commit and stored it after the first bump would otherwise stay cached.
    """

    def bump():
        guarded(lambda: cache.set(CONTENT_VERSION_KEY, time.time_ns(), timeout=None))

    bump()
    transaction.on_commit(bump)


def cache_headers(response):
    """Public caching headers and a strong ETag for a successful API response."""
    digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
    response["ETag"] = f'"{digest}"'
    response["Cache-Control"] = (
        f"public, max-age={settings.API_CACHE_MAX_AGE}, s-maxage={settings.API_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.API_CACHE_STALE_WHILE_REVALIDATE}"
    )
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _not_modified(request, etag):
    candidates = [
        tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")
    ]
    return etag in candidates or "*" in candidates


def _response_key(request):
    digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=20).hexdigest()
    return f"api:response:{digest}"


class APICacheMiddleware:
    """Serves anonymous API GETs from the response cache and answers conditional requests.

    Applies to ``/api/v2/`` except paths in ``API_CACHE_EXCLUDED_PREFIXES`` (previews).
    Adds ``X-Cache: HIT|MISS|BYPASS`` for whoever is on call.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)

        version, cached = self._lookup(request) if settings.API_CACHE_ENABLED else (None, None)
        if cached is not None:
            response = HttpResponse(cached["body"], content_type="application/json")
            response["X-Cache"] = "HIT"
        else:
            response = self.get_response(request)
            if response.status_code != 200:
                response.setdefault("Cache-Control", "no-cache")
                return response
            response["X-Cache"] = "MISS" if version is not None else "BYPASS"
            if version is not None:
                entry = {"version": version, "body": response.content}
                key = _response_key(request)
                guarded(lambda: cache.set(key, entry, timeout=settings.API_CACHE_TIMEOUT))

        cache_headers(response)
        if _not_modified(request, response["ETag"]):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "X-Cache"):
                not_modified[header] = response[header]
            return not_modified
        return response

    @staticmethod
    def _lookup(request):
        """``(content version, cached entry or None)`` in one cache round trip.

        Entries carry the version they were built under; an entry from an older
        version is a miss. ``(None, None)`` when the cache is unreachable.
        """
        key = _response_key(request)
        found = guarded(lambda: cache.get_many([CONTENT_VERSION_KEY, key]))
        if found is None:
            return None, None
        version = found.get(CONTENT_VERSION_KEY)
        if version is None:
            version = content_version()
            return version, None
        entry = found.get(key)
        return version, entry if entry is not None and entry["version"] == version else None

    @staticmethod
    def _cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and request.path.startswith("/api/v2/")
            and not request.path.startswith(tuple(settings.API_CACHE_EXCLUDED_PREFIXES))
        )
