"""HTTP caching for the public API: response cache, ETags and invalidation.

Anonymous API GETs are stored in Django's cache (Redis in production) tagged
with a *content version*. Publishing, unpublishing, moving or
deleting a page, or changing a person, film, festival, image, document,
restriction or redirect bumps the version, so every cached response is
invalidated at once: no client sees stale content after a publish, and nothing
has to know which responses a change affected. A lookup reads the version and
the entry in one round trip.

Expiry and go-live need no change to happen: a page whose ``expire_at`` passes
leaves the public set by the clock alone (reviews/selectors.py). So every entry
also carries a *deadline*, the next moment any page expires or goes live, and is
a miss from then on; the ``Cache-Control`` ages handed to browsers and the CDN
end by it too. The deadline costs one aggregate query over the page table; it is
stored beside the content version, worked out by the publisher after each
publish, and again by a request only once it has passed (or the cache lost it):
a cache hit never queries the database, and a miss rarely pays for it.

The cache is an accelerator, never a dependency: if it errors (Redis down),
requests are served from the database and the cache is left alone for a few
seconds before it is tried again.
"""

import hashlib
import logging
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from reviews.selectors import next_visibility_change

logger = logging.getLogger(__name__)

CONTENT_VERSION_KEY = "api:content-version"
DEADLINE_KEY = "api:visibility-deadline"
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
    commit and stored it after the first bump would otherwise stay cached. After
    it, the publisher also works out the next expiry or go-live for the new
    version, so the requests that follow a publish need not.
    """

    def bump():
        guarded(lambda: cache.set(CONTENT_VERSION_KEY, time.time_ns(), timeout=None))

    def bump_and_refresh():
        bump()
        refresh_visibility_deadline()

    bump()
    transaction.on_commit(bump_and_refresh)


def refresh_visibility_deadline():
    """Remember the next expiry or go-live for the current content version.

    The version is read first: a deadline must never be stored under a version
    newer than the data it was computed from.
    """
    version = content_version()
    if version is not None:
        visibility_deadline(version, since=time.time())


def visibility_deadline(version, since):
    """The next moment (a timestamp) a page expires or goes live after ``since``, or None.

    Computed from the database and remembered under ``version``: until the
    content version changes or the moment passes, every process reuses it.
    A database error gives ``since`` itself (remembered by no one), so nothing
    built now is cached.
    """
    try:
        moment = next_visibility_change(datetime.fromtimestamp(since, UTC))
    except DatabaseError as exc:
        logger.warning("Cannot read the next expiry, caching nothing: %s", exc)
        return since
    deadline = moment.timestamp() if moment else None
    if version is not None:
        record = {"version": version, "since": since, "at": deadline}
        guarded(lambda: cache.set(DEADLINE_KEY, record, timeout=None))
    return deadline


def cache_headers(response, fresh_for=None):
    """Public caching headers and a strong ETag for a successful API response.

    ``fresh_for``: seconds until the response may change by the clock alone (the
    nearest expiry or go-live). No cache may keep it longer, fresh or stale:
    ``max-age``, ``s-maxage`` and ``stale-while-revalidate`` shrink to fit.
    """
    max_age, s_maxage = settings.API_CACHE_MAX_AGE, settings.API_CACHE_S_MAXAGE
    stale = settings.API_CACHE_STALE_WHILE_REVALIDATE
    if fresh_for is not None:
        fresh_for = max(0, math.floor(fresh_for))
        max_age, s_maxage = min(max_age, fresh_for), min(s_maxage, fresh_for)
        stale = max(0, min(stale, fresh_for - max(max_age, s_maxage)))
    digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
    response["ETag"] = f'"{digest}"'
    response["Cache-Control"] = (
        f"public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate={stale}"
    )
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _before(now, deadline):
    """True while ``deadline`` (a timestamp, None for never) has not come."""
    return deadline is None or now < deadline


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

        started = time.time()
        version, deadline_record, cached = self._lookup(request, started)
        if cached is not None:
            response = HttpResponse(cached["body"], content_type="application/json")
            response["X-Cache"] = "HIT"
            deadline = cached["deadline"]
        else:
            response = self.get_response(request)
            if response.status_code != 200:
                response.setdefault("Cache-Control", "no-cache")
                return response
            # Taken from before the view ran: a page that expired while it ran is
            # in the response, so the deadline must not skip past its expiry.
            if deadline_record is not None:
                deadline = deadline_record["at"]
            else:
                deadline = visibility_deadline(version, since=started)
            storing = version is not None and settings.API_CACHE_ENABLED
            response["X-Cache"] = "MISS" if storing else "BYPASS"
            if storing:
                self._store(request, version, response.content, deadline)

        cache_headers(response, fresh_for=None if deadline is None else deadline - time.time())
        if _not_modified(request, response["ETag"]):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "X-Cache"):
                not_modified[header] = response[header]
            return not_modified
        return response

    @staticmethod
    def _lookup(request, now):
        """``(content version, deadline record, cached entry)`` in one cache round trip.

        Entries carry the version they were built under and their deadline; an
        entry from an older version or past its deadline is a miss (None), and so
        is a deadline record. ``(None, None, None)`` when the cache is unreachable.
        """
        key = _response_key(request)
        keys = [CONTENT_VERSION_KEY, DEADLINE_KEY] + ([key] if settings.API_CACHE_ENABLED else [])
        found = guarded(lambda: cache.get_many(keys))
        if found is None:
            return None, None, None
        version = found.get(CONTENT_VERSION_KEY)
        if version is None:
            return content_version(), None, None
        record, entry = found.get(DEADLINE_KEY), found.get(key)
        if not (
            record and record["version"] == version and record["since"] <= now and _before(now, record["at"])
        ):
            record = None
        if not (entry and entry["version"] == version and _before(now, entry.get("deadline", now))):
            entry = None
        return version, record, entry

    @staticmethod
    def _store(request, version, body, deadline):
        """Keep ``body`` until the response cache timeout or the deadline, whichever comes first."""
        timeout = settings.API_CACHE_TIMEOUT
        if deadline is not None:
            timeout = min(timeout, math.ceil(deadline - time.time()))
        if timeout > 0:
            entry = {"version": version, "body": body, "deadline": deadline}
            key = _response_key(request)
            guarded(lambda: cache.set(key, entry, timeout=timeout))

    @staticmethod
    def _cacheable_request(request):
        return (
            request.method in ("GET", "HEAD")
            and request.path.startswith("/api/v2/")
            and not request.path.startswith(tuple(settings.API_CACHE_EXCLUDED_PREFIXES))
        )
