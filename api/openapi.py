"""The OpenAPI 3.1 document for ``/api/v2/``, served at ``/api/v2/openapi.json``.

Tests validate every API response they see against this document
(tests/api/conftest.py), so it cannot drift from what the code emits.
"""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from reviews.blocks import ImageLayout
from reviews.grades import Grade
from reviews.images import RENDITION_SPECS

from . import parameters
from .errors import method_not_allowed
from .filters import ORDERINGS
from .page_types import served_page_models
from .sync import CURSOR, SYNCED_TYPES


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


STRING = {"type": "string"}
# Words for people (names, titles, bios, captions…) are plain text, never markup: a
# client inserts them as text, so "<b>" in a bio shows as "<b>". Only rich text is HTML.
TEXT = {
    "type": "string",
    "contentMediaType": "text/plain",
    "description": "Plain text, not HTML: insert as text.",
}
RICH_TEXT = {
    "type": "string",
    "contentMediaType": "text/html",
    "description": "Sanitized HTML (docs/api.md, Rich text); links resolved to public URLs.",
}
INTEGER = {"type": "integer"}
URL = {"type": "string", "format": "uri"}
DATETIME = {"type": "string", "format": "date-time"}


def obj(properties, required=None, additional=False):
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": additional,
    }


def listing(item_schema, keyset=False):
    meta = {"total_count": INTEGER, "limit": INTEGER, "offset": INTEGER}
    if keyset:
        # Pass as ?after= to get the next page (same filters and order); null on the last page.
        meta["next_after"] = nullable(STRING)
    return obj({"meta": obj(meta), "items": {"type": "array", "items": item_schema}})


RENDITION = obj({"url": URL, "width": INTEGER, "height": INTEGER, "format": {"enum": ["webp", "jpeg"]}})

SCHEMAS = {
    "Error": obj(
        {"message": TEXT, "status": INTEGER},
        additional=False,
    ),
    "Rendition": RENDITION,
    "Image": obj(
        {
            "id": INTEGER,
            "title": TEXT,
            "alt": TEXT,
            "width": INTEGER,
            "height": INTEGER,
            "focal_point": nullable(obj({"x": INTEGER, "y": INTEGER, "width": INTEGER, "height": INTEGER})),
            "renditions": obj({name: ref("Rendition") for name in RENDITION_SPECS}),
            "srcset": STRING,
        }
    ),
    "PersonSummary": obj({"id": INTEGER, "name": TEXT, "slug": STRING}),
    "PersonLinks": obj(
        dict.fromkeys(("website", "email", "bluesky", "instagram", "letterboxd", "x"), URL),
        required=[],
    ),
    "Person": obj(
        {
            "id": INTEGER,
            "name": TEXT,
            "slug": STRING,
            "bio": TEXT,
            "photo": nullable(ref("Image")),
            "links": ref("PersonLinks"),
            "detail_url": URL,
            "pages_url": URL,
            "roles": {"type": "array", "items": STRING},
            "pages": {"type": "array", "items": ref("PageLink")},
        },
        required=["id", "name", "slug", "bio", "photo", "links", "detail_url", "pages_url"],
    ),
    "Film": obj(
        {
            "id": INTEGER,
            "title": TEXT,
            "original_title": TEXT,
            "slug": STRING,
            "year": INTEGER,
            "runtime_minutes": nullable(INTEGER),
            "countries": {"type": "array", "items": TEXT},
            "directors": {"type": "array", "items": ref("PersonSummary")},
            "poster": nullable(ref("Image")),
            "synopsis": TEXT,
            "external_ids": obj(
                {"imdb": nullable(STRING), "tmdb": nullable(INTEGER), "wikidata": nullable(STRING)}
            ),
            "detail_url": URL,
            "pages": {"type": "array", "items": ref("PageLink")},
        },
        required=[
            "id",
            "title",
            "original_title",
            "slug",
            "year",
            "runtime_minutes",
            "countries",
            "directors",
            "poster",
            "synopsis",
            "external_ids",
            "detail_url",
        ],
    ),
    "Festival": obj(
        {
            "id": INTEGER,
            "name": TEXT,
            "year": INTEGER,
            "city": TEXT,
            "slug": STRING,
            "pages_url": URL,
        },
        required=["id", "name", "year", "city", "slug"],
    ),
    "PageLink": obj({"id": INTEGER, "type": STRING, "title": TEXT, "url": nullable(URL), "detail_url": URL}),
    "Document": obj({"id": INTEGER, "title": TEXT, "file_extension": STRING, "download_url": URL}),
    "Redirect": obj(
        {"id": INTEGER, "old_path": STRING, "location": nullable(STRING), "is_permanent": {"type": "boolean"}}
    ),
    "TextBlock": obj(
        {
            "type": {"const": "text"},
            "id": STRING,
            "value": RICH_TEXT,
        }
    ),
    "ImageBlock": obj(
        {
            "type": {"const": "image"},
            "id": STRING,
            "value": obj(
                {
                    "image": nullable(ref("Image")),
                    "alt": TEXT,
                    "decorative": {"type": "boolean"},
                    "caption": TEXT,
                    "credit": TEXT,
                    "layout": {
                        "enum": ImageLayout.values,
                        "description": "Where the image sits in the text.",
                    },
                }
            ),
        }
    ),
    "PullQuoteBlock": obj(
        {
            "type": {"const": "pull_quote"},
            "id": STRING,
            "value": obj({"quote": TEXT, "attribution": TEXT}),
        }
    ),
    "QuestionAnswerBlock": obj(
        {
            "type": {"const": "question_answer"},
            "id": STRING,
            "value": obj({"question": TEXT, "answer": RICH_TEXT, "speaker": TEXT}),
        }
    ),
    "Block": {
        "oneOf": [ref("TextBlock"), ref("ImageBlock"), ref("PullQuoteBlock"), ref("QuestionAnswerBlock")],
        "discriminator": {"propertyName": "type"},
    },
    "PageMeta": obj(
        {
            "type": STRING,
            "detail_url": URL,
            "html_url": nullable(URL),
            "slug": STRING,
            "seo_title": TEXT,
            "search_description": TEXT,
            "first_published_at": nullable(DATETIME),
            "last_published_at": nullable(DATETIME),
        },
        required=[],
    ),
    "Page": obj(
        {
            "id": INTEGER,
            "meta": ref("PageMeta"),
            "title": TEXT,
            "summary": TEXT,
            "grade": {"enum": Grade.letters()},
            "grade_score": {"type": "integer", "minimum": 0, "maximum": 12},
            "film": nullable(ref("Film")),
            "film_title": nullable(TEXT),
            "festival": nullable(ref("Festival")),
            "authors": {"type": "array", "items": ref("Person")},
            "author_names": {"type": "array", "items": TEXT},
            "interviewees": {"type": "array", "items": ref("Person")},
            "interviewee_names": {"type": "array", "items": TEXT},
            "hero_image": nullable(ref("Image")),
            "thumbnail": nullable(ref("Rendition")),
            "tags": {"type": "array", "items": TEXT},
            "body": {"type": "array", "items": ref("Block")},
            "related": {"type": "array", "items": ref("PageLink")},
            "canonical_url": nullable(URL),
            "social_image": nullable(ref("Image")),
        },
        required=[],  # ?fields= decides which are present
        additional=False,
    ),
    "PageListing": listing(ref("Page"), keyset=True),
    "PersonListing": listing(ref("Person")),
    "FilmListing": listing(ref("Film")),
    "FestivalListing": listing(ref("Festival")),
    "ImageListing": listing(ref("Image")),
    "DocumentListing": listing(ref("Document")),
    "RedirectListing": listing(ref("Redirect")),
}


def structured_data_schemas():
    """schema.org JSON-LD of reviews and interviews (reviews/structured_data.py): the ``structured_data``
    field. Properties left out when unknown are optional; no others appear."""
    urls = {"type": "array", "items": URL}
    person = obj({"@type": {"const": "Person"}, "name": TEXT, "sameAs": urls}, required=["@type", "name"])
    movie = obj(
        {
            "@type": {"const": "Movie"},
            "name": TEXT,
            "alternateName": TEXT,
            "dateCreated": {"type": "string", "pattern": "^[0-9]{4}$"},
            "director": {"type": "array", "items": ref("JsonLdPerson")},
            "image": urls,
            "duration": {"type": "string", "pattern": "^PT[0-9]+M$"},
            "countryOfOrigin": {
                "type": "array",
                "items": obj({"@type": {"const": "Country"}, "name": TEXT}),
            },
            "sameAs": urls,
        },
        required=["@type", "name", "dateCreated"],
    )
    common = {
        "@context": {"const": "https://schema.org"},
        "url": URL,
        "mainEntityOfPage": URL,
        "headline": TEXT,
        "description": TEXT,
        "datePublished": DATETIME,
        "dateModified": DATETIME,
        "image": urls,
        "author": {"type": "array", "items": ref("JsonLdPerson")},
        "publisher": obj({"@type": {"const": "Organization"}, "name": TEXT, "url": URL}),
        "keywords": {"type": "array", "items": TEXT},
    }
    score = {"type": "integer", "minimum": 0, "maximum": 12}
    review = obj(
        {
            **common,
            "@type": {"const": "Review"},
            "name": TEXT,
            "itemReviewed": ref("JsonLdMovie"),
            "reviewRating": obj(
                {
                    "@type": {"const": "Rating"},
                    "ratingValue": score,
                    "bestRating": {"const": 12},
                    "worstRating": {"const": 0},
                    "alternateName": {"enum": Grade.letters()},
                }
            ),
        },
        required=["@context", "@type", "headline", "name", "publisher", "reviewRating"],
    )
    article = obj(
        {
            **common,
            "@type": {"const": "Article"},
            "genre": {"const": "Interview"},
            "about": {"type": "array", "items": ref("JsonLdPerson")},
            "mentions": {"type": "array", "items": ref("JsonLdMovie")},
        },
        required=["@context", "@type", "headline", "publisher", "genre"],
    )
    return {
        "JsonLdPerson": person,
        "JsonLdMovie": movie,
        "ReviewJsonLd": review,
        "ArticleJsonLd": article,
        "StructuredData": {"oneOf": [ref("ReviewJsonLd"), ref("ArticleJsonLd")]},
    }


SCHEMAS.update(structured_data_schemas())
SCHEMAS["Page"]["properties"]["structured_data"] = ref("StructuredData")


def param(name, description, schema=None, location="query"):
    return {
        "name": name,
        "in": location,
        "required": location == "path",
        "description": description,
        "schema": schema or STRING,
    }


PAGINATION = [
    param(
        "limit",
        f"Items per page, 0–{settings.WAGTAILAPI_LIMIT_MAX} (default 20).",
        {"type": "integer", "minimum": 0, "maximum": settings.WAGTAILAPI_LIMIT_MAX},
    ),
    param(
        "offset",
        f"Items to skip, at most {settings.API_OFFSET_MAX}.",
        {"type": "integer", "minimum": 0, "maximum": settings.API_OFFSET_MAX},
    ),
]
# Every value a parameter schema admits is accepted (fuzzed by
# tests/api/test_schemathesis.py). The text parameters' schemas come from the
# rules the views check (api/parameters.py), so for them the converse holds
# too: whatever the schema refuses gets a 400 (tests/api/test_filter_properties.py).
SLUG = parameters.SLUG.schema()
PAGE_ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
HTML_PATH = parameters.HTML_PATH.schema()
MOMENT = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
TEXT_FILTERS = parameters.page_filter_rules()
PAGE_TYPES = [
    *(model._meta.label for model in served_page_models()),
    "reviews.ReviewPage,reviews.InterviewPage",
]
FIELDS_EXAMPLES = ["*", "-title", "_,title", "_,title,slug", "title,slug"]

PAGE_FILTERS = [
    param("type", "Page type, e.g. `reviews.ReviewPage`, or several comma-separated.", {"enum": PAGE_TYPES}),
    param(
        "fields",
        "Fields to add or remove, comma-separated: `*` for all, `_` to start from none, `-tags` to drop one, "
        "`body,related` to add some. Names are those of the requested `type`; nested selection is refused. "
        "The enum lists forms valid for every type.",
        {"enum": FIELDS_EXAMPLES},
    ),
    param("author", "Person id or slug: pages they wrote.", TEXT_FILTERS["author"].schema()),
    param(
        "person",
        "Person id or slug: pages they wrote or were interviewed in.",
        TEXT_FILTERS["person"].schema(),
    ),
    param("film", "Film id or slug.", TEXT_FILTERS["film"].schema()),
    param("festival", "Festival id or slug.", TEXT_FILTERS["festival"].schema()),
    param(
        "tag",
        f"Tag name or slug; up to {parameters.TAGS_MAX} comma-separated tags, which must all match.",
        TEXT_FILTERS["tag"].schema(),
    ),
    param("grade", "Exact letter grade, e.g. `A-` (reviews only).", {"enum": Grade.letters()}),
    param("grade_min", "This grade or better, e.g. `B+` (reviews only).", {"enum": Grade.letters()}),
    param("year", "Film release year.", {"type": "integer", "minimum": 1800, "maximum": 2200}),
    param(
        "published_after",
        "First published at or after this ISO 8601 date or date-time (naive = UTC).",
        MOMENT,
    ),
    param("published_before", "First published before this ISO 8601 date or date-time.", MOMENT),
    param("slug", "Page slug.", TEXT_FILTERS["slug"].schema()),
    param(
        "search",
        f"Full-text search: words separated by spaces or quotation marks (at most "
        f"{settings.API_SEARCH_MAX_LENGTH} characters, {settings.API_SEARCH_MAX_TERMS} words); "
        "results by relevance unless `order` is given.",
        TEXT_FILTERS["search"].schema(),
    ),
    param("search_operator", "`and` (default) or `or`.", {"enum": ["and", "or"]}),
    param(
        "order",
        "Ordering, `-` to reverse: "
        + ", ".join(sorted(ORDERINGS))
        + ". Default `-first_published_at`. `grade_score` needs `type=reviews.ReviewPage`.",
        {
            "enum": sorted(set(ORDERINGS) - {"grade_score"})
            + [f"-{name}" for name in sorted(set(ORDERINGS) - {"grade_score"})]
        },
    ),
    param(
        "after",
        "Keyset cursor: `meta.next_after` of the previous response, for deep pages (instead of `offset`; "
        "keep the same filters and `order`).",
        {"type": "string", "pattern": r"^[-A-Za-z0-9_]{1,400}$"},
    ),
    param("child_of", "Only direct children of this page id.", PAGE_ID),
    param("descendant_of", "Only descendants of this page id.", PAGE_ID),
    param("ancestor_of", "Only ancestors of this page id.", PAGE_ID),
]


def errors(*codes):
    described = {400: "Bad request: unknown or malformed parameter", 404: "Not found or not public"}
    return {
        str(code): {"description": described[code], "content": {"application/json": {"schema": ref("Error")}}}
        for code in codes
    }


def ok(schema_name, description):
    return {
        "200": {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}}
    }


def endpoint(tag, listing_schema, item_schema, extra_params=(), summary=""):
    pk = param("id", "Object id.", PAGE_ID, location="path")
    return {
        f"/api/v2/{tag}/": {
            "get": {
                "tags": [tag],
                "operationId": f"list_{tag}",
                "summary": summary or f"List {tag}",
                "parameters": PAGINATION + list(extra_params),
                "responses": {**ok(listing_schema, f"A page of {tag}"), **errors(400)},
            }
        },
        f"/api/v2/{tag}/{{id}}/": {
            "get": {
                "tags": [tag],
                "operationId": f"get_{tag}",
                "summary": f"One of {tag}",
                "parameters": [pk],
                "responses": {**ok(item_schema, "The object"), **errors(400, 404)},
            }
        },
    }


def feed_and_sitemap_paths():
    """JSON Feeds (api/feeds.py) and the JSON sitemap (api/sitemaps.py): paths with their schemas.

    Returns ``(paths, schemas)``. The Atom feeds and /sitemap.xml are XML, documented in docs/api.md.
    """
    author = obj({"name": TEXT, "url": URL, "avatar": URL}, required=["name"])
    item = obj(
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
            "_marquee": obj(
                {"page_id": INTEGER, "type": STRING, "grade": {"enum": Grade.letters()}},
                required=["page_id", "type"],
            ),
        },
        required=["id", "title", "summary", "content_text", "authors", "tags", "_marquee"],
    )
    schemas = {
        "JSONFeedItem": item,
        "JSONFeed": obj(
            {
                "version": {"const": "https://jsonfeed.org/version/1.1"},
                "title": TEXT,
                "home_page_url": URL,
                "feed_url": URL,
                "description": TEXT,
                "language": STRING,
                "items": {"type": "array", "items": ref("JSONFeedItem")},
            }
        ),
        "SitemapEntry": obj(
            {
                "id": INTEGER,
                "type": STRING,
                "url": URL,
                "lastmod": DATETIME,
                "images": {"type": "array", "items": URL},
            }
        ),
        "Sitemap": obj(
            {
                "meta": obj({"total_count": INTEGER, "limit": INTEGER, "next_after": nullable(STRING)}),
                "items": {"type": "array", "items": ref("SitemapEntry")},
            }
        ),
    }
    feed_response = {
        "200": {
            "description": "A JSON Feed 1.1 document, newest first; ETag and Last-Modified for conditional GET",
            "content": {"application/feed+json": {"schema": ref("JSONFeed")}},
        }
    }
    slug = param("slug", "Slug of the critic, festival or tag.", SLUG, location="path")
    paths = {
        "/feeds/reviews.json": {
            "get": {
                "tags": ["feeds"],
                "operationId": "reviews_feed",
                "summary": "The latest reviews as a JSON Feed (Atom: /feeds/reviews.xml)",
                "responses": feed_response,
            }
        }
    }
    for kind, subject in (("critics", "critic"), ("festivals", "festival"), ("tags", "tag")):
        paths[f"/feeds/{kind}/{{slug}}.json"] = {
            "get": {
                "tags": ["feeds"],
                "operationId": f"{subject}_feed",
                "summary": f"The latest reviews and interviews of a {subject} as a JSON Feed "
                f"(Atom: /feeds/{kind}/{{slug}}.xml)",
                "parameters": [slug],
                "responses": {**feed_response, **errors(404)},
            }
        }
    paths["/api/v2/sitemap/"] = {
        "get": {
            "tags": ["sitemap"],
            "operationId": "sitemap",
            "summary": "Every public page's frontend URL, lastmod and image URLs, in page id order",
            "parameters": [
                param(
                    "limit",
                    "Entries per page, 1–1000 (default 100).",
                    {"type": "integer", "minimum": 1, "maximum": 1000},
                ),
                param(
                    "after",
                    "Keyset cursor: `meta.next_after` of the previous response.",
                    {"type": "string", "pattern": r"^[-A-Za-z0-9_]{1,400}$"},
                ),
            ],
            "responses": {**ok("Sitemap", "A page of the sitemap"), **errors(400)},
        }
    }
    return paths, schemas
# --- GET /api/v2/sync/ (api/sync.py): its path and component schemas, in one place ----------

SYNCED_TYPE = {"enum": list(SYNCED_TYPES)}
SYNC_SCHEMAS = {
    "SyncUpsert": obj(
        {"id": INTEGER, "type": SYNCED_TYPE, "deleted": {"const": False}, "document": ref("Page")}
    ),
    "SyncTombstone": obj({"id": INTEGER, "type": SYNCED_TYPE, "deleted": {"const": True}}),
    "SyncResponse": obj(
        {
            "items": {"type": "array", "items": {"oneOf": [ref("SyncUpsert"), ref("SyncTombstone")]}},
            "next_cursor": {**CURSOR, "description": "Pass as `?cursor=` on the next call; store it."},
            "has_more": {
                "type": "boolean",
                "description": "True: call again at once with `next_cursor`; false: you are up to date.",
            },
        }
    ),
}


def sync_paths():
    return {
        "/api/v2/sync/": {
            "get": {
                "tags": ["sync"],
                "operationId": "sync_pages",
                "summary": "Change feed for an offline copy of every public review and interview",
                "description": "Without `cursor`: every public page, paged. With the `next_cursor` of the "
                "previous response: what changed since, in commit order; upserts carry the full "
                "document, tombstones mark pages that stopped being public. `Cache-Control: private, "
                "no-cache`. See docs/api.md, Keeping an offline copy in sync.",
                "parameters": [
                    param("cursor", "`next_cursor` of the previous response; omit to start over.", CURSOR),
                    param(
                        "limit",
                        f"Items per response, 1–{settings.SYNC_LIMIT_MAX} "
                        f"(default {settings.SYNC_LIMIT_DEFAULT}).",
                        {"type": "integer", "minimum": 1, "maximum": settings.SYNC_LIMIT_MAX},
                    ),
                    param(
                        "type",
                        "Only these page types (comma-separated); a cursor keeps the types it started with.",
                        {"enum": [*SYNCED_TYPES, ",".join(SYNCED_TYPES)]},
                    ),
                ],
                "responses": {
                    **ok("SyncResponse", "Items after the cursor"),
                    "400": {
                        "description": "Bad request: unknown or malformed parameter, a cursor this API did "
                        "not issue, or a `type` other than the cursor's",
                        "content": {"application/json": {"schema": ref("Error")}},
                    },
                    "410": {
                        "description": f"Cursor older than {settings.SYNC_RETENTION_DAYS} days: discard the "
                        "local copy and start over without cursor",
                        "content": {"application/json": {"schema": ref("Error")}},
                    },
                },
            }
        }
    }


def build_document():
    paths = {}
    paths.update(
        endpoint("pages", "PageListing", "Page", PAGE_FILTERS, "List, filter and search published pages")
    )
    paths["/api/v2/pages/{id}/"]["get"]["parameters"].append(PAGE_FILTERS[1])
    paths["/api/v2/pages/find/"] = {
        "get": {
            "tags": ["pages"],
            "operationId": "find_page",
            "summary": "The published page at a frontend path (served directly, no redirect)",
            "parameters": [
                {
                    **param(
                        "html_path",
                        "Frontend path, e.g. `/reviews/ai-weiwei-never-sorry/`. (`?id=` also works, as in stock Wagtail.)",
                        HTML_PATH,
                    ),
                    "required": True,
                },
                PAGE_FILTERS[1],
            ],
            "responses": {**ok("Page", "The page"), **errors(400, 404)},
        }
    }
    paths["/api/v2/preview/"] = {
        "get": {
            "tags": ["pages"],
            "operationId": "preview_page",
            "summary": "A draft page, unsaved edits included, for the frontend's preview route",
            "description": "Called by the frontend with the query string the admin's Preview button sent it. "
            "Same JSON as a published page; `Cache-Control: private, no-store`.",
            "parameters": [
                {
                    **param(
                        "content_type",
                        "From the preview URL, e.g. `reviews.reviewpage`.",
                        {"enum": [t.lower() for t in PAGE_TYPES if "," not in t]},
                    ),
                    "required": True,
                },
                {
                    **param(
                        "token",
                        "Signed preview token from the preview URL.",
                        {"type": "string", "minLength": 1, "maxLength": 2000},
                    ),
                    "required": True,
                },
            ],
            "responses": {
                **ok("Page", "The draft"),
                **errors(400),
                "403": {
                    "description": "Token forged, expired, for another page, or its page "
                    "published, unpublished or deleted since",
                    "content": {"application/json": {"schema": ref("Error")}},
                },
            },
        }
    }
    paths.update(
        endpoint(
            "people",
            "PersonListing",
            "Person",
            [param("role", "Role slug, e.g. `critic`.", SLUG), param("slug", "Person slug.", SLUG)],
        )
    )
    paths.update(
        endpoint(
            "films",
            "FilmListing",
            "Film",
            [
                param("slug", "Film slug.", SLUG),
                param("year", "Release year.", {"type": "integer", "minimum": 0, "maximum": 9999}),
            ],
        )
    )
    paths.update(sync_paths())
    paths.update(endpoint("festivals", "FestivalListing", "Festival"))
    paths.update(endpoint("images", "ImageListing", "Image"))
    paths.update(endpoint("documents", "DocumentListing", "Document"))
    paths.update(
        endpoint(
            "redirects",
            "RedirectListing",
            "Redirect",
            [param("html_path", "The old path to look up.", HTML_PATH)],
        )
    )
    feed_paths, feed_schemas = feed_and_sitemap_paths()
    paths.update(feed_paths)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Marquee delivery API",
            "version": "2.0",
            "description": "Published reviews, interviews, people and films as JSON. See docs/api.md.",
        },
        "servers": [{"url": settings.WAGTAILAPI_BASE_URL}],
        "paths": paths,
        "components": {"schemas": {**SCHEMAS, **feed_schemas, **SYNC_SCHEMAS}},
    }


@csrf_exempt
def openapi_view(request):
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request)
    return JsonResponse(build_document(), json_dumps_params={"indent": 1})
