"""``?fields=``: which fields of a stored document a response shows.

The grammar and the rules are Wagtail API v2's (``*`` all, ``_`` none, ``-name``
removes, unknown names are a 400); only top-level names are accepted, since
nested objects are always complete. The stored full document holds every field,
so a selection is a projection of it, never a new render.
"""

from functools import lru_cache

from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.models import Page

from reviews.serializers import DETAIL_EXCLUDED, LISTING_META_FIELDS, META_FIELDS, api_field_names

# The longest useful value, every field of a review spelled out, is about 250 characters.
MAX_FIELDS_LENGTH = 1000
LISTING_DEFAULT_META = frozenset(LISTING_META_FIELDS)


def available_fields(model):
    """``["id", "title", …api fields]`` and the meta fields, for a page ``model`` (Page: base fields)."""
    names = ["id", "title"]
    if model is not Page:
        names += api_field_names(model)
    return names


def _default_fields(model, detail):
    if detail:
        return {name for name in [*available_fields(model), *META_FIELDS] if name not in DETAIL_EXCLUDED}
    listing = {"id", "title", *LISTING_DEFAULT_META}
    if model is not Page:
        listing.update(getattr(model, "api_listing_fields", []))
    return listing


@lru_cache(maxsize=1024)
def selected_fields(model, fields_param, detail):
    """The set of field names ``fields_param`` selects for ``model`` (cached per process)."""
    if len(fields_param) > MAX_FIELDS_LENGTH:
        raise BadRequestError(f"fields is limited to {MAX_FIELDS_LENGTH} characters")
    if "(" in fields_param or ")" in fields_param:
        # Nested objects (film, authors, images) are always complete: selecting
        # inside them is not supported, and deep nesting is an abuse vector.
        raise BadRequestError("fields does not support nested selection such as film(title)")
    try:
        config = parse_fields_parameter(fields_param) if fields_param else []
    except ValueError as exc:
        raise BadRequestError(f"fields error: {exc}") from exc
    all_fields = {*available_fields(model), *META_FIELDS}
    fields = set(_default_fields(model, detail))
    if config and config[0][0] == "*":
        fields, config = set(all_fields), config[1:]
    elif config and config[0][0] == "_":
        fields, config = set(), config[1:]
    mentioned = set()
    for name, negated, _sub_fields in config:
        if negated:
            fields.discard(name)
        else:
            fields.add(name)
        mentioned.add(name)
    unknown = mentioned - all_fields
    if unknown:
        raise BadRequestError("unknown fields: " + ", ".join(sorted(unknown)))
    return frozenset(fields)


def project(full, fields):
    """The part of a full stored document that ``fields`` selects, in contract order."""
    data = {}
    if "id" in fields:
        data["id"] = full["id"]
    meta = {name: full["meta"][name] for name in META_FIELDS if name in fields}
    if meta:
        data["meta"] = meta
    for name, value in full.items():
        if name not in ("id", "meta") and name in fields:
            data[name] = value
    return data
