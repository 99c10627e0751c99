"""``?fields=``: which fields of a stored document a response shows.

The grammar and the rules are Wagtail API v2's (``*`` all, ``_`` none, ``-name``
removes, unknown names are a 400); only top-level names are accepted, since
nested objects are always complete. The stored full document holds every field,
so a selection is a projection of it, never a new render.

A listing of several types (``?type=reviews.ReviewPage,reviews.InterviewPage``)
offers the fields those types share, so one request can feed a mixed home page.
"""

from functools import lru_cache

from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.models import Page

from reviews.serializers import DETAIL_EXCLUDED, LISTING_META_FIELDS, META_FIELDS, api_field_names
from reviews.shapes import served_page_types

# The longest useful value, every field of a review spelled out, is about 250 characters.
MAX_FIELDS_LENGTH = 1000
LISTING_DEFAULT_META = frozenset(LISTING_META_FIELDS)


def available_fields(models):
    """``["id", "title", …api fields]`` the page ``models`` all have (Page: the base fields only)."""
    shared = None
    for model in models:
        names = ["id", "title", *(api_field_names(model) if model is not Page else [])]
        shared = names if shared is None else [name for name in shared if name in names]
    return shared


def _default_fields(models, detail):
    if detail:
        return {name for name in [*available_fields(models), *META_FIELDS] if name not in DETAIL_EXCLUDED}
    listing = {"id", "title", *LISTING_DEFAULT_META}
    if len(models) == 1 and models[0] is not Page:
        listing.update(getattr(models[0], "api_listing_fields", []))
    return listing


def fields_schema():
    """The OpenAPI schema of ``?fields=``: the grammar, with the names some page type has.

    Which names a request may use depends on its ``type`` (those all its types share),
    which a schema cannot say; the server answers 400 for the others.
    """
    names = dict.fromkeys(["id", "title", *META_FIELDS])
    for model in served_page_types():
        names.update(dict.fromkeys(api_field_names(model)))
    name = "(?:" + "|".join(sorted(names, key=lambda n: (-len(n), n))) + ")"
    # Wagtail's grammar: "*" then only removals, "_" then only additions, else any mix.
    forms = [rf"\*(?:,-{name})*", f"_(?:,{name})*", f"-?{name}(?:,-?{name})*"]
    return {
        "type": "string",
        "maxLength": MAX_FIELDS_LENGTH,
        "pattern": "^(?:" + "|".join(forms) + ")$",
    }


@lru_cache(maxsize=1024)
def selected_fields(models, fields_param, detail):
    """The set of field names ``fields_param`` selects for a tuple of page ``models`` (cached per process)."""
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
    all_fields = {*available_fields(models), *META_FIELDS}
    fields = set(_default_fields(models, detail))
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
