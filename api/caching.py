"""HTTP caching for the public API: ETags, conditional requests, Cache-Control.

Page reads come from the delivery store, which already holds rendered bytes
and their ETag, so there is no server-side response cache to keep fresh: a
publish re-renders exactly the documents it reaches and purges their URLs at the
CDN (delivery/purge.py). What stays here is HTTP: a strong ETag on every
successful GET, ``304 Not Modified`` when the client has it, and
``Cache-Control`` whose ages never outlive the nearest expiry of a page the
response could contain.

The Django cache (Redis in production) is still used for rate-limit counters
and previews; :func:`guarded` keeps an outage of it from becoming an outage of
the API.
"""

import hashlib
import logging
import time
import zlib

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from delivery import reads
from delivery.reads import Remembered

logger = logging.getLogger(__name__)

RETRY_AFTER_FAILURE_SECONDS = 5


class _CircuitBreaker:
    """Skips the cache for a while after it fails, so a dead Redis costs one timeout, not one per request."""

    def __init__(self):
        self.open_until = 0.0

    def available(self):
        return time.monotonic() >= self.open_until

    def failed(self, exc):
        logger.warning("cache unavailable, carrying on without it: %s", exc)
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


def next_visibility_change():
    """The next moment the set of public pages changes by the clock alone, or None.

    A stored page's ``expire_at`` or go-live (delivery/reads.py, two index seeks):
    no listing may be cached past it.
    """
    return reads.next_visibility_change()


def cache_control(expires_at=None):
    """Public Cache-Control, with every age capped by the seconds left until ``expires_at``."""
    max_age, s_maxage = settings.API_CACHE_MAX_AGE, settings.API_CACHE_S_MAXAGE
    stale = settings.API_CACHE_STALE_WHILE_REVALIDATE
    if expires_at is not None:
        left = max(int((expires_at - timezone.now()).total_seconds()), 0)
        max_age, s_maxage, stale = min(max_age, left), min(s_maxage, left), 0
    return f"public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate={stale}"


def json_response(content, etag=None, expires_at=None):
    """A 200 with JSON (text or bytes); ETag from the store when known (else hashed by the middleware)."""
    response = HttpResponse(content, content_type="application/json")
    if etag:
        response["ETag"] = etag
    response["Cache-Control"] = cache_control(expires_at)
    return response


# API responses gzipped by this process, by version; a quarter of the documents' memory.
remembered_gzip = Remembered(share=0.25)

# What Django's GZipMiddleware leaves alone: a shorter body gains nothing from gzip.
GZIP_MIN_LENGTH = 200


def gzipped(content, etag):
    """``content`` (a response body) gzipped, compressed once per version in each process.

    A 20-item ``fields=*`` listing is 350 KB: compressing it on every request (4 ms) cost
    more than the rest of the request together, and it changes only when one of its rows
    does. The key is the response's ETag (a listing's names every row's version; any other's
    is a hash of its bytes) and a checksum of the bytes, so a change number that came round
    again (SQLite, after a rollback) cannot bring back another version's bytes. Public,
    secret-free JSON has nothing for BREACH to find, so the gzip header carries no random
    padding (GZipMiddleware's mitigation, which still covers everything else).
    """
    key = (etag, len(content), zlib.crc32(content))
    packed = remembered_gzip.get(key)
    if packed is None:
        packed = compress_string(content)
        remembered_gzip.put(key, packed)
    return packed


def accepts_gzip(request):
    """True when the client takes gzip (the test Django's GZipMiddleware uses)."""
    return bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))


def _etag(content):
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _not_modified(request, etag):
    """``If-None-Match`` by the weak comparison (RFC 9110 13.1.2): a gzipped response's weak
    ETag matches the strong one of the same document."""
    candidates = [
        tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")
    ]
    return etag.removeprefix("W/") in candidates or "*" in candidates


class APICacheMiddleware:
    """ETag, Cache-Control, ``304 Not Modified`` and gzip for successful GETs under ``/api/v2/``.

    The ``304`` is decided before anything is compressed; a body is then gzipped once per
    version (:func:`gzipped`) for clients that accept it, with the weak form of its ETag, as
    Django's GZipMiddleware (outside this one) would send it. Paths in
    ``API_CACHE_EXCLUDED_PREFIXES`` (previews) are left alone: they are private and never
    stored by anyone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not self._applies(request):
            return response
        if response.status_code != 200:
            response.setdefault("Cache-Control", "no-cache")
            return response
        if not response.has_header("ETag"):
            response["ETag"] = _etag(response.content)
        response.setdefault("Cache-Control", cache_control())
        patch_vary_headers(response, ["Accept-Encoding"])
        compress = (
            accepts_gzip(request)
            and not response.has_header("Content-Encoding")
            and len(response.content) >= GZIP_MIN_LENGTH
        )
        if compress:  # the ETag the 200 would carry: a 304 repeats it
            response["ETag"] = "W/" + response["ETag"].removeprefix("W/")
        if _not_modified(request, response["ETag"]):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary"):
                not_modified[header] = response[header]
            return not_modified
        if compress:
            response.content = gzipped(response.content, response["ETag"])
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(response.content))
        return response

    @staticmethod
    def _applies(request):
        return (
            request.method in ("GET", "HEAD")
            and request.path.startswith("/api/v2/")
            and not request.path.startswith(tuple(settings.API_CACHE_EXCLUDED_PREFIXES))
        )
