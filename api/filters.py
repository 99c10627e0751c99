"""Query parameters of the pages endpoint, applied to the delivery store.

Every filter is a condition on a column or a facet of ``delivery.StoredPage``
(see delivery/models.py), so a listing is one indexed query for the page of
cards and one for the count, whatever the filters. The tables here are the
single source for the parser and for the OpenAPI document (api/openapi.py).
"""

import base64
import binascii
import json
from datetime import UTC, datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Site

from delivery.models import StoredFacet, StoredPage
from reviews.grades import Grade

from .pagination import is_number
from .parameters import page_filter_rules, search_words, tag_list

EDITORIAL_FILTERS = (
    "author",
    "person",
    "film",
    "festival",
    "tag",
    "grade",
    "grade_min",
    "year",
    "published_after",
    "published_before",
    "slug",
)
TREE_FILTERS = ("child_of", "ancestor_of", "descendant_of")
# ?order= value → store column.
ORDERINGS = {
    "first_published_at": "first_published_at",
    "last_published_at": "last_published_at",
    "title": "title",
    "id": "page_id",
    "grade_score": "grade_score",
}
DEFAULT_ORDER = "-first_published_at"


def single(request, name):
    """The one value of ``name``; a text filter's value as its rule (api/parameters.py) admits it."""
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise BadRequestError(f"{name} may be given once")
    value = values[0]
    rule = page_filter_rules().get(name)
    if rule is not None:
        return rule.check(name, value)
    if "\x00" in value or not value.strip():
        raise BadRequestError(f"{name} must be a non-empty value")
    return value.strip()


def _facet(kind, value):
    return Q(pk__in=StoredFacet.objects.filter(kind=kind, value=value).values("page_id"))


def _id_or_slug(name, value, id_condition, slug_kind):
    """People, films and festivals are addressed by numeric id or by slug (``ID_OR_SLUG``,
    whose rule has already bounded the value)."""
    if is_number(value):
        return id_condition(int(value))
    return _facet(slug_kind, value)


def _year(value, name):
    if not is_number(value) or not 1800 <= int(value) <= 2200:
        raise BadRequestError(f"{name} must be a year, e.g. 2012")
    return int(value)


def _moment(value, name):
    """An ISO 8601 date or date-time; dates mean midnight, naive times mean UTC."""
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime(day.year, day.month, day.day) if day else None
        if parsed is not None:
            parsed = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
            parsed.astimezone(UTC)  # an offset that pushes it past year 9999 overflows here
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise BadRequestError(f"{name} must be an ISO 8601 date or date-time, e.g. 2012-06-01")
    return parsed


def _grade(value, name):
    try:
        return Grade.from_letter(value)
    except ValueError as exc:
        raise BadRequestError(f"{name}: {exc}") from exc


def editorial_condition(name, value):
    """The store condition for one editorial filter (``?film=12``, ``?tag=horror,siff-2012`` …)."""
    if name in ("author", "person"):
        return _id_or_slug(name, value, lambda pk: _facet(f"{name}_id", str(pk)), f"{name}_slug")
    if name in ("film", "festival"):
        return _id_or_slug(name, value, lambda pk: Q(**{f"{name}_id": pk}), f"{name}_slug")
    if name == "tag":
        condition = Q()
        for tag in tag_list(value):
            condition &= _facet("tag", tag.lower())
        return condition
    if name == "grade":
        return Q(grade_score=_grade(value, name))
    if name == "grade_min":
        return Q(grade_score__gte=_grade(value, name))
    if name == "year":
        return Q(film_year=_year(value, name))
    if name == "published_after":
        return Q(first_published_at__gte=_moment(value, name))
    if name == "published_before":
        return Q(first_published_at__lt=_moment(value, name))
    if name == "slug":
        return Q(slug=value[:255])
    raise AssertionError(name)


def filter_editorial(request, queryset):
    for name in EDITORIAL_FILTERS:
        if name in request.GET:
            queryset = queryset.filter(editorial_condition(name, single(request, name)))
    return queryset


def _tree_page(request, name, allow_root):
    """The stored (public) page a tree filter names, or None when it is missing or not public."""
    value = single(request, name)
    if allow_root and value == "root":
        site = Site.objects.filter(is_default_site=True).values_list("root_page_id", flat=True).first()
        value = str(site or 0)
    if not is_number(value) or len(value) > 19 or int(value) > 2**63 - 1:
        raise BadRequestError(f"{name} must be a positive integer")
    return StoredPage.objects.filter(pk=int(value)).values("pk", "path", "depth").first()


def filter_tree(request, queryset):
    """``child_of``, ``descendant_of`` (``root`` allowed) and ``ancestor_of``.

    A missing or non-public page matches nothing (200, empty), like every other
    filter here: a client cannot tell a draft from a typo.
    """
    if "child_of" in request.GET:
        parent = _tree_page(request, "child_of", allow_root=True)
        queryset = queryset.filter(parent_id=parent["pk"]) if parent else queryset.none()
    if "descendant_of" in request.GET:
        parent = _tree_page(request, "descendant_of", allow_root=True)
        if parent is None:
            return queryset.none()
        queryset = queryset.filter(path__startswith=parent["path"], depth__gt=parent["depth"])
    if "ancestor_of" in request.GET:
        child = _tree_page(request, "ancestor_of", allow_root=False)
        if child is None:
            return queryset.none()
        step = len(child["path"]) // child["depth"]
        prefixes = [child["path"][:n] for n in range(step, len(child["path"]), step)]
        queryset = queryset.filter(path__in=prefixes)
    return queryset


def ordering(request, model_label):
    """``(column, descending)`` for ``?order=`` (default newest first)."""
    if "order" not in request.GET:
        return ORDERINGS[DEFAULT_ORDER.lstrip("-")], True
    order = single(request, "order")
    descending = order.startswith("-")
    column = ORDERINGS.get(order.lstrip("-"))
    if column is None:
        raise BadRequestError(
            f"cannot order by '{order}'; use one of: {', '.join(sorted(ORDERINGS))} (prefix - to reverse)"
        )
    if column == "grade_score" and model_label != "reviews.ReviewPage":
        raise BadRequestError("order=grade_score needs type=reviews.ReviewPage")
    return column, descending


def order_queryset(queryset, column, descending):
    """Order by ``column`` then id, NULLs last either way, the same on every database."""
    if column == "page_id":
        return queryset.order_by(F("page_id").desc() if descending else F("page_id").asc())
    if descending:
        return queryset.order_by(F(column).desc(nulls_last=True), F("page_id").desc())
    return queryset.order_by(F(column).asc(nulls_last=True), F("page_id").asc())


# --- keyset cursor ------------------------------------------------------------------


def encode_cursor(column, descending, row):
    """An opaque ``?after=`` token for the position just past ``row`` in this ordering."""
    value = row[column]
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([column, descending, value, row["page_id"]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_value(column, value):
    """The cursor's position value, checked against its column's type (None: a NULL row)."""
    if value is None or column == "page_id":
        return value
    if column.endswith("_at"):
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None or not timezone.is_aware(parsed):
            raise ValueError(value)
        return parsed
    if column == "grade_score":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 12:
            raise ValueError(value)
        return value
    if not isinstance(value, str):  # title
        raise ValueError(value)
    return value


def cursor_position(request, column, descending):
    """``(order value, page_id)`` of ``?after=<cursor>``, checked against this ordering."""
    token = single(request, "after")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        cursor_column, cursor_descending, value, page_id = json.loads(raw)
        if not isinstance(page_id, int) or isinstance(page_id, bool) or not 0 <= page_id <= 2**63 - 1:
            raise ValueError(page_id)
        value = _cursor_value(column, value) if cursor_column == column else value
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadRequestError("after is not a cursor returned by this API (meta.next_after)") from exc
    if (cursor_column, cursor_descending) != (column, descending):
        raise BadRequestError("after belongs to another ordering; keep order= as it was")
    return value, page_id


def after_cursor(request, queryset, column, descending):
    """Rows strictly after ``?after=<cursor>`` in the ordering of :func:`order_queryset`."""
    value, page_id = cursor_position(request, column, descending)
    beyond = "lt" if descending else "gt"
    if column == "page_id":
        return queryset.filter(**{f"page_id__{beyond}": page_id})
    if value is None:  # NULLs come last: only more NULLs, by id
        return queryset.filter(**{f"{column}__isnull": True, f"page_id__{beyond}": page_id})
    return queryset.filter(
        Q(**{f"{column}__{beyond}": value})
        | Q(**{column: value, f"page_id__{beyond}": page_id})
        | Q(**{f"{column}__isnull": True})
    )


def search_terms(request):
    """``(words, operator)`` of ``?search=``: words only, so quotes and operators are text
    and punctuation alone matches nothing (an empty list); the rule bounds length and terms."""
    query = single(request, "search")
    operator = request.GET.get("search_operator", "and")
    if operator not in ("and", "or"):
        raise BadRequestError("search_operator must be 'and' or 'or'")
    return searchable_words(query), operator


def searchable_words(query):
    """The words the search backend gets: those with a letter or digit (``search_words``)."""
    return [word for word in search_words(query) if any(char.isalnum() for char in word)]
