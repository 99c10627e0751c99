"""``render(page, loader)``: a page's public JSON, built without a request.

The same function serves the delivery store (at publish, on the worker), the
preview endpoint (a draft, never stored) and ``check_delivery`` (a fresh render
to compare with the store). Its output is the page's *full* document, every
field a client may select; :func:`views` cuts the detail document and the
listing cards from it.
"""

import gzip
import hashlib
import json
from functools import cache

from django.conf import settings

from reviews.images import RENDITION_SPECS
from reviews.serializers import (
    DETAIL_EXCLUDED,
    LISTING_META_FIELDS,
    listing_fields,
    page_document,
    type_label,
)
from reviews.shapes import page_shapes

# Bump when the code that shapes documents changes, so stored documents are
# known to be stale (see settings_fingerprint and check_delivery).
# 2: structured_data; thumbnail and social_image fall back past the hero; image blocks'
# layout; related items carry a card (summary, thumbnail).
FORMAT_VERSION = 2


def render(page, loader):
    """The full public document of ``page`` (a specific page instance), checked against its
    type's shape (reviews/shapes.py): a document the OpenAPI document does not describe is
    a bug, and it is never stored or served."""
    document = page_document(page, loader)
    page_shapes()[type_label(type(page))].full.model_validate(document)
    return document


def views(full, model):
    """``(detail, card, page_card)`` dicts cut from a full document of a ``model`` page."""
    detail = {key: value for key, value in full.items() if key not in DETAIL_EXCLUDED}
    card = _card(full, listing_fields(model))
    page_card = _card(full, ["id", "title"])
    return detail, card, page_card


def _card(full, names):
    card = {"id": full["id"], "meta": {name: full["meta"][name] for name in LISTING_META_FIELDS}}
    card.update((name, full[name]) for name in names if name != "id")
    return card


def to_json(data):
    """Compact UTF-8 JSON, as DRF's renderer writes it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def gzipped(text):
    """``text`` as UTF-8, gzipped once at the highest level (stored: a read never compresses)."""
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


def etag_for(text):
    """A strong ETag for stored JSON text: ``"<32 hex digits>"``."""
    return '"' + hashlib.blake2b(text.encode(), digest_size=16).hexdigest() + '"'


@cache
def settings_fingerprint():
    """What, besides content, shapes a document's bytes: base URLs, media, rendition specs, format.

    Stored with every document; a document rendered under other values is stale.
    """
    shaping = [
        FORMAT_VERSION,
        settings.FRONTEND_BASE_URL,
        settings.WAGTAIL_SITE_NAME,
        settings.WAGTAILAPI_BASE_URL,
        settings.MEDIA_URL,
        sorted(RENDITION_SPECS.items()),
        settings.STORAGES["default"]["BACKEND"],
        getattr(settings, "AWS_S3_CUSTOM_DOMAIN", ""),
    ]
    return hashlib.blake2b(repr(shaping).encode(), digest_size=16).hexdigest()
