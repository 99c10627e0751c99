"""Rate limiting for anonymous API clients: a fixed window per client IP in the cache.

The client IP is ``api.clients.client_ip``: behind ``TRUSTED_PROXY_COUNT``
proxies, the address the outermost one saw, so a forged ``X-Forwarded-For``
hop never earns a fresh window.

``API_RATE_LIMIT`` requests per ``API_RATE_WINDOW`` seconds (0 disables). Over
the limit: ``429 {"message", "status"}`` with ``Retry-After``. The counters
live in Django's cache, so with Redis every app server shares them; if the
cache is down, requests are let through (an outage must not become a lock-out).
"""

import time

from django.conf import settings
from django.core.cache import cache

from .caching import guarded
from .clients import client_ip
from .errors import json_error


class APIRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit, window = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW
        if limit <= 0 or not request.path.startswith("/api/"):
            return self.get_response(request)
        now = int(time.time())
        window_start = now - now % window
        key = f"api:rate:{client_ip(request) or 'unknown'}:{window_start}"

        def count():
            # One round trip in the common case; the first request of a window creates the key.
            try:
                return cache.incr(key)
            except ValueError:
                return 1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key)

        used = guarded(count)
        if used is not None and used > limit:
            retry_after = window_start + window - now
            return json_error(
                f"rate limit exceeded: {limit} requests per {window} seconds",
                429,
                cache_control="no-store",
                Retry_After=str(max(retry_after, 1)),
            )
        return self.get_response(request)
