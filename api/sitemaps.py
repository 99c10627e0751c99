"""Sitemaps: every public page's frontend URL, for search engines and static frontends.

- ``GET /sitemap.xml``: a ready sitemap (sitemaps.org 0.9) of frontend URLs with
  ``lastmod``. Over ``SITEMAP_MAX_URLS`` URLs (50,000, the protocol's limit) it is
  a sitemap index of ``/sitemap-1.xml``, ``/sitemap-2.xml``, … on the frontend's
  host, each holding at most that many. The frontend serves these paths by passing
  them through to the API, so the sitemap sits on the host its URLs belong to.
- ``GET /api/v2/sitemap/``: the same list as paged JSON, with each page's image
  URLs, keyset-paginated by page id (``meta.next_after``).

Both read the delivery store's public rows; the XML needs only columns (no JSON
parsed), so 50,000 URLs cost one query. Why not Django's sitemap framework: it
prefixes every location with the request's own domain (these URLs are on the
frontend) and serves its index at a separate URL, where ``/sitemap.xml`` must
become the index by itself; Wagtail's instantiates every page model, which the
read path never does.
"""

import json
from io import StringIO

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.csrf import csrf_exempt
from wagtail.api.v2.utils import BadRequestError

from delivery.links import frontend_url, site_root_paths
from delivery.models import StoredPage
from delivery.render import to_json
from delivery.store import visible_now
from reviews.serializers import api_datetime

from .caching import json_response, next_visibility_change
from .errors import json_error, method_not_allowed
from .filters import after_cursor, encode_cursor
from .pagination import is_number
from .syndication import syndication_response

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_TYPE = "application/xml; charset=utf-8"
JSON_DEFAULT_LIMIT = 100
JSON_LIMIT_MAX = 1000


def public_rows():
    """Public stored pages with a frontend URL (inside a site), in page id order, with ``lastmod``:
    last published, else first published, else when the document was stored."""
    in_a_site = Q(pk__in=[])
    for root in site_root_paths():
        in_a_site |= Q(url_path__startswith=root.root_path)
    return (
        StoredPage.objects.filter(visible_now(), in_a_site)
        .annotate(lastmod=Coalesce("last_published_at", "first_published_at", "rendered_at"))
        .order_by("page_id")
    )


# --- /sitemap.xml ----------------------------------------------------------------------------


@csrf_exempt  # a JSON 405 for other methods, not a CSRF 403 page
def sitemap_view(request, number=None):
    """``/sitemap.xml`` (a urlset, or an index when there are too many URLs) and ``/sitemap-<n>.xml``."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request)
    limit = settings.SITEMAP_MAX_URLS
    rows = public_rows()
    if number is None:
        total = rows.count()
        if total <= limit:
            return syndication_response(request, urlset(rows), XML_TYPE)
        return syndication_response(request, sitemap_index(-(-total // limit)), XML_TYPE)
    number = int(number)
    window = list(_url_entries(rows[(number - 1) * limit : number * limit])) if number >= 1 else []
    if not window:
        return json_error("no such sitemap", 404)
    return syndication_response(request, urlset_of(window), XML_TYPE)


def _url_entries(rows):
    """``(frontend URL, lastmod)`` of ``rows``."""
    for url_path, lastmod in rows.values_list("url_path", "lastmod"):
        yield frontend_url(url_path), lastmod


def urlset(rows):
    return urlset_of(_url_entries(rows))


def urlset_of(entries):
    """``<urlset>`` XML text of ``(loc, lastmod)`` pairs."""
    return _xml("urlset", "url", entries)


def sitemap_index(count):
    """``<sitemapindex>`` XML text listing ``/sitemap-1.xml`` … ``/sitemap-<count>.xml`` on the frontend."""
    return _xml(
        "sitemapindex",
        "sitemap",
        ((f"{settings.FRONTEND_BASE_URL}/sitemap-{n}.xml", None) for n in range(1, count + 1)),
    )


def _xml(root, element, entries):
    out = StringIO()
    handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    handler.startDocument()
    handler.startElement(root, {"xmlns": SITEMAP_NS})
    for loc, lastmod in entries:
        handler.startElement(element, {})
        handler.addQuickElement("loc", loc)
        if lastmod is not None:
            handler.addQuickElement("lastmod", api_datetime(lastmod))
        handler.endElement(element)
    handler.endElement(root)
    return out.getvalue()


# --- /api/v2/sitemap/ -------------------------------------------------------------------------


@csrf_exempt
def sitemap_json_view(request):
    """``/api/v2/sitemap/?limit=&after=``: ``{"meta": {…}, "items": [{"id", "type", "url", "lastmod",
    "images"}]}``, in page id order."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request)
    try:
        return _sitemap_page(request)
    except BadRequestError as exc:
        return json_error(str(exc), 400)


def _sitemap_page(request):
    unknown = set(request.GET) - {"limit", "after"}
    if unknown:
        raise BadRequestError("query parameter is not recognised: " + ", ".join(sorted(unknown)))
    limit = _limit(request)
    rows = public_rows()
    total = rows.count()
    if "after" in request.GET:
        rows = after_cursor(request, rows, "page_id", False)
    found = list(rows.values_list("page_id", "page_type", "url_path", "lastmod", "full")[:limit])
    items = [
        {
            "id": page_id,
            "type": page_type,
            "url": frontend_url(url_path),
            "lastmod": api_datetime(lastmod),
            "images": image_urls(json.loads(full)),
        }
        for page_id, page_type, url_path, lastmod, full in found
    ]
    next_after = (
        encode_cursor("page_id", False, {"page_id": found[-1][0]}) if len(found) == limit and found else None
    )
    meta = {"total_count": total, "limit": limit, "next_after": next_after}
    return json_response(to_json({"meta": meta, "items": items}), expires_at=next_visibility_change())


def _limit(request):
    raw = request.GET.get("limit")
    if raw is None:
        return JSON_DEFAULT_LIMIT
    if not is_number(raw) or len(raw) > 18 or not 1 <= int(raw) <= JSON_LIMIT_MAX:
        raise BadRequestError(f"limit must be an integer from 1 to {JSON_LIMIT_MAX}")
    return int(raw)


def image_urls(document):
    """URLs of the images a page shows (hero, then body images), large renditions, each once."""
    images = [document.get("hero_image")]
    images += [block["value"]["image"] for block in document.get("body", []) if block["type"] == "image"]
    return list(dict.fromkeys(image["renditions"]["large"]["url"] for image in images if image))
