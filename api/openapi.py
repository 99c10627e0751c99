"""The OpenAPI 3.1 document for ``/api/v2/``, served at ``/api/v2/openapi.json``.

Nothing here describes a shape: the components are generated from the typed
shapes the code builds (people/shapes.py, reviews/shapes.py, api/shapes.py),
and the parameters from the rules the views parse with (api/parameters.py,
api/filters.py, api/projection.py). What is left is the list of operations,
:func:`operations`, one row per path: add a row for a new endpoint.

Tests validate every API response they see against this document
(tests/api/conftest.py), statuses and headers included.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import TypeAdapter

from reviews.serializers import type_label
from reviews.shapes import GradeLetter, served_page_types
from shapes.base import component_schemas

from . import parameters
from .errors import method_not_allowed
from .filters import DEFAULT_ORDER, ORDERINGS
from .middleware import RETRY_AFTER_SECONDS
from .projection import MAX_FIELDS_LENGTH, fields_schema
from .shapes import response_shapes
from .sync import CURSOR, SYNCED_TYPES


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


# --- parameters: from the parsers' own rules ---------------------------------------


def param(name, description, schema, example=None, location="query", required=False):
    """One parameter; ``example`` is what the documentation and schemathesis' examples phase use."""
    parameter = {
        "name": name,
        "in": location,
        "required": required or location == "path",
        "description": description,
        "schema": schema,
    }
    if example is not None:
        parameter["example"] = example
    return parameter


PAGE_ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
MOMENT = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
# The shape's own schema (enum and the names generated enums use for "A+", "A", "A-").
GRADE = {key: value for key, value in TypeAdapter(GradeLetter).json_schema().items() if key != "description"}


def _any_case(text):
    """``reviews.Page`` → ``[rR][eE]…\\.[pP]…``: type labels are matched case-insensitively, as Django's
    ``apps.get_model`` does, and ECMA-262 patterns have no inline flag for it."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in text)


def _labels_pattern(labels):
    one = "(?:" + "|".join(_any_case(label) for label in labels) + ")"
    return f"^{one}(?:,{one})*$"


def pagination():
    return [
        param(
            "limit",
            f"Items per page, 0–{settings.WAGTAILAPI_LIMIT_MAX} (default 20).",
            {"type": "integer", "minimum": 0, "maximum": settings.WAGTAILAPI_LIMIT_MAX},
            example=10,
        ),
        param(
            "offset",
            f"Items to skip, at most {settings.API_OFFSET_MAX}.",
            {"type": "integer", "minimum": 0, "maximum": settings.API_OFFSET_MAX},
            example=0,
        ),
    ]


def fields_param():
    return param(
        "fields",
        "Fields to add or remove, comma-separated: `*` for all, `_` to start from none, `-tags` to drop "
        "one, `body,related` to add some. Names are those of the requested `type` (with several types, "
        f"those they share); another is a 400. Nested selection is refused; at most {MAX_FIELDS_LENGTH} "
        "characters.",
        fields_schema(),
        example="_,title,first_published_at",
    )


def page_filters():
    """The pages endpoint's query parameters, as api/filters.py and api/parameters.py parse them."""
    text = parameters.page_filter_rules()
    labels = [type_label(model) for model in served_page_types()]
    orderings = sorted(ORDERINGS)
    return [
        param(
            "type",
            "Page type, or several comma-separated (a mixed listing offers the fields they share): "
            + ", ".join(f"`{label}`" for label in labels)
            + ".",
            {"type": "string", "maxLength": 1000, "pattern": _labels_pattern(labels)},
            example="reviews.ReviewPage",
        ),
        fields_param(),
        param("author", "Person id or slug: pages they wrote.", text["author"].schema(), "spencer-whitlock"),
        param(
            "person",
            "Person id or slug: pages they wrote or were interviewed in.",
            text["person"].schema(),
            "alison-klayman",
        ),
        param("film", "Film id or slug.", text["film"].schema(), "ai-weiwei-never-sorry-2012"),
        param("festival", "Festival id or slug.", text["festival"].schema(), "siff-2012"),
        param(
            "tag",
            f"Tag name or slug; up to {parameters.TAGS_MAX} comma-separated tags, which must all match.",
            text["tag"].schema(),
            "documentary",
        ),
        param("grade", "Exact letter grade, e.g. `A-`.", GRADE, "A-"),
        param("grade_min", "This grade or better, e.g. `B+`.", GRADE, "B+"),
        param("year", "Film release year.", {"type": "integer", "minimum": 1800, "maximum": 2200}, 2012),
        param(
            "published_after",
            "First published at or after this ISO 8601 date or date-time (naive = UTC).",
            MOMENT,
            "2012-01-01",
        ),
        param(
            "published_before",
            "First published before this ISO 8601 date or date-time.",
            MOMENT,
            "2030-01-01",
        ),
        param("slug", "Page slug.", text["slug"].schema(), "ai-weiwei-never-sorry"),
        param(
            "search",
            f"Full-text search: words separated by spaces or quotation marks (at most "
            f"{settings.API_SEARCH_MAX_LENGTH} characters, {settings.API_SEARCH_MAX_TERMS} words; there is "
            "no phrase syntax, and words without a letter or digit match nothing); results by relevance "
            "unless `order` is given.",
            text["search"].schema(),
            "weiwei",
        ),
        param("search_operator", "`and` (default) or `or`.", {"type": "string", "enum": ["and", "or"]}, "or"),
        param(
            "order",
            "Ordering, `-` to reverse, NULLs last either way, then by id. Default "
            f"`{DEFAULT_ORDER}`. `grade_score` needs `type=reviews.ReviewPage` (else 400).",
            {"type": "string", "enum": [*orderings, *(f"-{name}" for name in orderings)]},
            "-first_published_at",
        ),
        param(
            "after",
            "Keyset cursor: `meta.next_after` of the previous response, for deep pages (instead of "
            "`offset`; keep the same filters and `order`). Opaque: any other value is a 400.",
            {"type": "string", "pattern": r"^[-A-Za-z0-9_]{1,400}$"},
        ),
        param("child_of", "Only direct children of this page id.", PAGE_ID, 3),
        param("descendant_of", "Only descendants of this page id.", PAGE_ID, 3),
        param("ancestor_of", "Only ancestors of this page id.", PAGE_ID, 6),
    ]


def slug_param(description, example):
    return param("slug", description, parameters.SLUG.schema(), example)


# --- responses: every status the API sends, with its headers ------------------------

HEADERS = {
    "ETag": {
        "description": "Strong validator: send it back as `If-None-Match`.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "How long shared and private caches may keep it.",
        "schema": {"type": "string"},
    },
    "Vary": {"description": "`Accept-Encoding` and, with CORS, `Origin`.", "schema": {"type": "string"}},
    "Retry-After": {
        "description": "Seconds to wait before retrying (CORS-exposed to browser clients).",
        "schema": {"type": "integer", "minimum": 1},
    },
    "Allow": {"description": "The methods the path accepts.", "schema": {"type": "string"}},
}


def _headers(*names, required=()):
    return {name: {**HEADERS[name], "required": name in required} for name in names}


def _error(description, *headers, required=()):
    return {
        "description": description,
        "headers": _headers(*headers, required=required),
        "content": {"application/json": {"schema": ref("Error")}},
    }


ERRORS = {
    400: lambda: _error("Bad request: an unknown, repeated or malformed parameter; `message` says which."),
    403: lambda: _error(
        "Token forged, expired, for another page, or its page published, unpublished or deleted since."
    ),
    404: lambda: _error("Not found, or not public."),
    410: lambda: _error(
        f"Sync cursor older than {settings.SYNC_RETENTION_DAYS} days: discard the local copy and start over "
        "without a cursor."
    ),
    405: lambda: _error("A method other than GET, HEAD or OPTIONS.", "Allow", required=("Allow",)),
    429: lambda: _error(
        f"Rate limit: {settings.API_RATE_LIMIT} requests per {settings.API_RATE_WINDOW} seconds per client.",
        "Retry-After",
        "Cache-Control",
        required=("Retry-After",),
    ),
    503: lambda: _error(
        f"The database is unreachable for a moment; retry after `Retry-After` ({RETRY_AFTER_SECONDS}) seconds.",
        "Retry-After",
        "Cache-Control",
        required=("Retry-After",),
    ),
}
ALWAYS = (405, 429, 503)  # any path may answer these


def responses(operation):
    found = {
        "200": {
            "description": operation.description or operation.summary,
            "content": {operation.media_type: {"schema": ref(operation.response)}},
        }
    }
    if operation.cached:
        found["200"]["headers"] = _headers(
            "ETag", "Cache-Control", "Vary", required=("ETag", "Cache-Control")
        )
        found["304"] = {
            "description": "Not modified: the `If-None-Match` ETag is still current.",
            "headers": _headers("ETag", "Cache-Control", "Vary", required=("ETag",)),
        }
    for status in sorted({*operation.errors, *ALWAYS}):
        found[str(status)] = ERRORS[status]()
    return found


# --- operations: one row per path ----------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """A GET endpoint: its path, what it returns (a component name from api/shapes.py), its parameters."""

    path: str
    operation_id: str
    tag: str
    summary: str
    response: str
    parameters: list = field(default_factory=list)
    errors: tuple = (400,)
    description: str = ""
    cached: bool = True  # ETag and 304 (api/caching.py)
    media_type: str = "application/json"


def id_param(example):
    return param("id", "Object id.", PAGE_ID, example, location="path")


def endpoint(tag, listing, item, filters=(), summary="", item_example=1):
    """The listing and detail operations of a router endpoint."""
    return [
        Operation(
            f"/api/v2/{tag}/",
            f"list_{tag}",
            tag,
            summary or f"List {tag}",
            listing,
            [*pagination(), *filters],
        ),
        Operation(
            f"/api/v2/{tag}/{{id}}/",
            f"get_{tag}",
            tag,
            f"One of {tag}",
            item,
            [id_param(item_example)],
            (400, 404),
        ),
    ]


def operations():
    page_id = id_param(6)
    return [
        Operation(
            "/api/v2/pages/",
            "list_pages",
            "pages",
            "List, filter and search published pages",
            "PageListing",
            [*pagination(), *page_filters()],
        ),
        Operation(
            "/api/v2/pages/{id}/",
            "get_pages",
            "pages",
            "One published page",
            "PageResponse",
            [page_id, fields_param()],
            (400, 404),
        ),
        Operation(
            "/api/v2/pages/find/",
            "find_page",
            "pages",
            "The published page at a frontend path (served directly, no redirect)",
            "PageResponse",
            [
                param(
                    "html_path",
                    "Frontend path, e.g. `/reviews/ai-weiwei-never-sorry/`. (`?id=` also works, as in stock Wagtail.)",
                    parameters.HTML_PATH.schema(),
                    "/reviews/ai-weiwei-never-sorry/",
                    required=True,
                ),
                fields_param(),
            ],
            (400, 404),
        ),
        Operation(
            "/api/v2/preview/",
            "preview_page",
            "pages",
            "A draft page, unsaved edits included, for the frontend's preview route",
            "PageResponse",
            [
                param(
                    "content_type",
                    "From the preview URL, e.g. `reviews.reviewpage`.",
                    {"type": "string", "enum": [type_label(m).lower() for m in served_page_types()]},
                    "reviews.reviewpage",
                    required=True,
                ),
                param(
                    "token",
                    "Signed preview token from the preview URL.",
                    {"type": "string", "minLength": 1, "maxLength": 2000},
                    required=True,
                ),
            ],
            (400, 403),
            description="Called by the frontend with the query string the admin's Preview button sent it. "
            "Same JSON as a published page; `Cache-Control: private, no-store`.",
            cached=False,
        ),
        *endpoint(
            "people",
            "PersonListing",
            "PersonDetail",
            [
                param("role", "Role slug, e.g. `critic`.", parameters.SLUG.schema(), "critic"),
                slug_param("Person slug.", "spencer-whitlock"),
            ],
        ),
        *endpoint(
            "films",
            "FilmListing",
            "FilmDetail",
            [
                slug_param("Film slug.", "ai-weiwei-never-sorry-2012"),
                param("year", "Release year.", {"type": "integer", "minimum": 0, "maximum": 9999}, 2012),
            ],
        ),
        *endpoint("festivals", "FestivalListing", "FestivalItem"),
        *endpoint("images", "ImageListing", "Image"),
        *endpoint("documents", "DocumentListing", "Document"),
        *endpoint(
            "redirects",
            "RedirectListing",
            "Redirect",
            [param("html_path", "The old path to look up.", parameters.HTML_PATH.schema(), "/old-review/")],
        ),
    ]


# --- sync, feeds and the JSON sitemap (api/sync.py, api/feeds.py, api/sitemaps.py) ----------


def _object(properties, required=None):
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


TEXT = {"type": "string", "contentMediaType": "text/plain", "description": "Plain text, not HTML."}
URL = {"type": "string", "format": "uri"}
DATETIME = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}


def syndication_schemas():
    """Components of the change feed, the JSON Feeds and the JSON sitemap.

    These outer envelopes are written here as JSON Schema; the documents they carry are the
    typed page shapes (``Page``)."""
    synced_type = {"enum": list(SYNCED_TYPES)}
    author = _object({"name": TEXT, "url": URL, "avatar": URL}, required=["name"])
    return {
        "SyncUpsert": _object(
            {"id": INTEGER, "type": synced_type, "deleted": {"const": False}, "document": ref("PageDocument")}
        ),
        "SyncTombstone": _object({"id": INTEGER, "type": synced_type, "deleted": {"const": True}}),
        "SyncResponse": _object(
            {
                "items": {"type": "array", "items": {"oneOf": [ref("SyncUpsert"), ref("SyncTombstone")]}},
                "next_cursor": {**CURSOR, "description": "Pass as `?cursor=` on the next call; store it."},
                "has_more": {
                    "type": "boolean",
                    "description": "True: call again at once with `next_cursor`; false: you are up to date.",
                },
            }
        ),
        "JSONFeedItem": _object(
            {
                "id": URL,
                "url": URL,
                "title": TEXT,
                "summary": TEXT,
                "content_text": TEXT,
                "image": URL,
                "date_published": DATETIME,
                "date_modified": DATETIME,
                "authors": {"type": "array", "items": author},
                "tags": {"type": "array", "items": TEXT},
                "_marquee": _object(
                    {"page_id": INTEGER, "type": {"type": "string"}, "grade": GRADE},
                    required=["page_id", "type"],
                ),
            },
            required=["id", "title", "summary", "content_text", "authors", "tags", "_marquee"],
        ),
        "JSONFeed": _object(
            {
                "version": {"const": "https://jsonfeed.org/version/1.1"},
                "title": TEXT,
                "home_page_url": URL,
                "feed_url": URL,
                "description": TEXT,
                "language": {"type": "string"},
                "items": {"type": "array", "items": ref("JSONFeedItem")},
            }
        ),
        "SitemapEntry": _object(
            {
                "id": INTEGER,
                "type": {"type": "string"},
                "url": URL,
                "lastmod": DATETIME,
                "images": {"type": "array", "items": URL},
            }
        ),
        "Sitemap": _object(
            {
                "meta": _object(
                    {
                        "total_count": INTEGER,
                        "limit": INTEGER,
                        "next_after": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    }
                ),
                "items": {"type": "array", "items": ref("SitemapEntry")},
            }
        ),
    }


def syndication_operations():
    slug = param("slug", "Slug of the critic, festival or tag.", parameters.SLUG.schema(), location="path")
    feeds = [
        Operation(
            "/feeds/reviews.json",
            "reviews_feed",
            "feeds",
            "The latest reviews as a JSON Feed 1.1 (Atom: /feeds/reviews.xml)",
            "JSONFeed",
            errors=(),
            media_type="application/feed+json",
        )
    ]
    for kind, subject, example in (
        ("critics", "critic", "spencer-whitlock"),
        ("festivals", "festival", "sundance-2012"),
        ("tags", "tag", "documentary"),
    ):
        feeds.append(
            Operation(
                f"/feeds/{kind}/{{slug}}.json",
                f"{subject}_feed",
                "feeds",
                f"The latest reviews and interviews of a {subject} as a JSON Feed "
                f"(Atom: /feeds/{kind}/{{slug}}.xml)",
                "JSONFeed",
                [{**slug, "example": example}],
                errors=(404,),
                media_type="application/feed+json",
            )
        )
    return [
        Operation(
            "/api/v2/sync/",
            "sync_pages",
            "sync",
            "Change feed for an offline copy of every public review and interview",
            "SyncResponse",
            [
                param("cursor", "`next_cursor` of the previous response; omit to start over.", CURSOR),
                param(
                    "limit",
                    f"Items per response, 1–{settings.SYNC_LIMIT_MAX} (default {settings.SYNC_LIMIT_DEFAULT}).",
                    {"type": "integer", "minimum": 1, "maximum": settings.SYNC_LIMIT_MAX},
                    100,
                ),
                param(
                    "type",
                    "Only these page types (comma-separated); a cursor keeps the types it started with.",
                    {"enum": [*SYNCED_TYPES, ",".join(SYNCED_TYPES)]},
                    SYNCED_TYPES[0],
                ),
            ],
            (400, 410),
            description="Without `cursor`: every public page, paged. With the `next_cursor` of the previous "
            "response: what changed since, in commit order; upserts carry the full document, tombstones "
            "mark pages that stopped being public. `Cache-Control: private, no-cache`. See docs/api.md, "
            "Keeping an offline copy in sync.",
        ),
        Operation(
            "/api/v2/sitemap/",
            "sitemap",
            "sitemap",
            "Every public page's frontend URL, lastmod and image URLs, in page id order",
            "Sitemap",
            [
                param(
                    "limit",
                    "Entries per page, 1–1000 (default 100).",
                    {"type": "integer", "minimum": 1, "maximum": 1000},
                    100,
                ),
                param(
                    "after",
                    "Keyset cursor: `meta.next_after` of the previous response.",
                    {"type": "string", "pattern": r"^[-A-Za-z0-9_]{1,400}$"},
                ),
            ],
        ),
        *feeds,
    ]


def build_document():
    paths = {}
    for operation in [*operations(), *syndication_operations()]:
        paths[operation.path] = {
            "get": {
                "tags": [operation.tag],
                "operationId": operation.operation_id,
                "summary": operation.summary,
                **({"description": operation.description} if operation.description else {}),
                "parameters": operation.parameters,
                "responses": responses(operation),
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Marquee delivery API",
            "version": "2.0",
            "description": "Published reviews, interviews, people and films as JSON. See docs/api.md.",
        },
        "servers": [{"url": settings.WAGTAILAPI_BASE_URL}],
        "paths": paths,
        "components": {"schemas": {**component_schemas(response_shapes().values()), **syndication_schemas()}},
    }


@csrf_exempt
def openapi_view(request):
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request)
    return JsonResponse(build_document(), json_dumps_params={"indent": 1})
