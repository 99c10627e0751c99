"""HTTP for documents built from many stored pages at once: feeds and sitemaps.

They live outside ``/api/v2/`` (a feed reader or a crawler asks for
``/feeds/reviews.xml`` and ``/sitemap.xml``), so :class:`api.caching.APICacheMiddleware`
does not see them; they get the same strong ETag and capped ``Cache-Control``
here, plus ``Last-Modified``, which feed readers send back as ``If-Modified-Since``.
Conditional requests are answered by Django's own ``get_conditional_response``.
"""

import hashlib

from django.db.models import Max, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from delivery.models import Change, StoredPage

from .caching import cache_control, next_visibility_change


def last_public_change():
    """When the set of public documents, or one of them, last changed (None: never).

    The change log's newest entry, or a go-live or expiry that has passed since
    (the clock changes what is public without writing to the log). Coarse, since a
    change anywhere counts, but never too early: a client's ``If-Modified-Since``
    can never hide a change from it. Two queries.
    """
    now = timezone.now()
    logged = Change.objects.aggregate(at=Max("at"))["at"]
    clock = StoredPage.objects.filter(Q(go_live_at__lte=now) | Q(expire_at__lte=now)).aggregate(
        go_live=Max("go_live_at", filter=Q(go_live_at__lte=now)),
        expiry=Max("expire_at", filter=Q(expire_at__lte=now)),
    )
    return max((moment for moment in [logged, *clock.values()] if moment is not None), default=None)


def syndication_response(request, content, content_type):
    """A 200 with ``content`` (text), ETag, Last-Modified and Cache-Control, or a 304."""
    body = content.encode()
    response = HttpResponse(body, content_type=content_type)
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    response["ETag"] = etag
    modified = last_public_change()
    timestamp = int(modified.timestamp()) if modified is not None else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = cache_control(next_visibility_change())
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
