"""Query parameters of the pages endpoint: filters, ordering and search.

Each filter narrows by primary key through a subquery, so it applies the same
way to ``Page``, ``ReviewPage`` and ``InterviewPage`` querysets (multi-table
children share their parent's pk), never duplicates rows, and stays a plain
``id IN (…)`` condition that the search backend can apply.
"""

from datetime import UTC, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2 import filters as wagtail_filters
from wagtail.api.v2.utils import BadRequestError
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from reviews.grades import Grade
from reviews.models import (
    EditorialPage,
    EditorialPageAuthor,
    EditorialPageTag,
    InterviewPageInterviewee,
    ReviewPage,
)

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
ORDERINGS = {
    "first_published_at": "first_published_at",
    "last_published_at": "last_published_at",
    "title": "title",
    "id": "id",
    "grade_score": "grade",
}
DEFAULT_ORDER = ("-first_published_at", "-id")


def _single(request, name):
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


def _id_or_slug(relation, value):
    """People, films and festivals are addressed by numeric id or by slug (``ID_OR_SLUG``).

    ``_id_or_slug("film", "12")`` → ``{"film__pk": 12}``; ``"ai-weiwei"`` → ``{"film__slug": …}``.
    """
    if is_number(value):
        return {f"{relation}__pk": int(value)}
    return {f"{relation}__slug": value}


def _person_pages(value, relation_model):
    return relation_model.objects.filter(**_id_or_slug("person", value)).values("page_id")


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
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadRequestError(f"{name} must be an ISO 8601 date or date-time, e.g. 2012-06-01")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def _grade(value, name):
    try:
        return Grade.from_letter(value)
    except ValueError as exc:
        raise BadRequestError(f"{name}: {exc}") from exc


class EditorialFilter(BaseFilterBackend):
    """``author``, ``person``, ``film``, ``festival``, ``tag``, ``grade``, ``grade_min``,
    ``year``, ``published_after``, ``published_before`` and ``slug``.

    Filters that only make sense for reviews (``grade``, ``grade_min``) simply
    exclude interviews when the listing mixes types.
    """

    def filter_queryset(self, request, queryset, view):
        for name in EDITORIAL_FILTERS:
            if name in request.GET:
                queryset = queryset.filter(pk__in=self.matching(name, _single(request, name)))
        return queryset

    def matching(self, name, value):
        if name == "author":
            return _person_pages(value, EditorialPageAuthor)
        if name == "person":
            return EditorialPage.objects.filter(
                Q(pk__in=_person_pages(value, EditorialPageAuthor))
                | Q(pk__in=_person_pages(value, InterviewPageInterviewee))
            ).values("pk")
        if name in ("film", "festival"):
            return EditorialPage.objects.filter(**_id_or_slug(name, value)).values("pk")
        if name == "tag":
            pages = EditorialPage.objects.all()
            for tag in tag_list(value):
                tagged = EditorialPageTag.objects.filter(Q(tag__slug=tag) | Q(tag__name__iexact=tag))
                pages = pages.filter(pk__in=tagged.values("content_object_id"))
            return pages.values("pk")
        if name == "grade":
            return ReviewPage.objects.filter(grade=_grade(value, name)).values("pk")
        if name == "grade_min":
            return ReviewPage.objects.filter(grade__gte=_grade(value, name)).values("pk")
        if name == "year":
            return EditorialPage.objects.filter(film__release_year=_year(value, name)).values("pk")
        if name == "published_after":
            return EditorialPage.objects.filter(first_published_at__gte=_moment(value, name)).values("pk")
        if name == "published_before":
            return EditorialPage.objects.filter(first_published_at__lt=_moment(value, name)).values("pk")
        if name == "slug":
            return EditorialPage.objects.filter(slug=value).values("pk")
        raise AssertionError(name)


class OrderingFilter(BaseFilterBackend):
    """``order=-first_published_at`` (default), ``title``, ``grade_score``, … (``-`` descends)."""

    def filter_queryset(self, request, queryset, view):
        if "order" not in request.GET:
            # Search results are ordered by relevance unless an order is asked for.
            return queryset if "search" in request.GET else queryset.order_by(*DEFAULT_ORDER)
        order = _single(request, "order")
        descending = order.startswith("-")
        field = ORDERINGS.get(order.lstrip("-"))
        if field is None:
            raise BadRequestError(
                f"cannot order by '{order}'; use one of: {', '.join(sorted(ORDERINGS))} (prefix - to reverse)"
            )
        if field == "grade" and not issubclass(queryset.model, ReviewPage):
            raise BadRequestError("order=grade_score needs type=reviews.ReviewPage")
        prefix = "-" if descending else ""
        return queryset.order_by(f"{prefix}{field}", f"{prefix}id")


def searchable_words(query):
    """The words of ``search=`` handed to the search backend, which has no query syntax of its own.

    Wagtail's database backends pass each word to the database inside quotes
    (SQLite FTS5: ``"word"``, PostgreSQL: ``'word'``). PostgreSQL's quoting is
    complete, but FTS5 reads a ``"`` inside a word as the end of the quote, and
    ``"never`` became a syntax error. So a quotation mark separates words, like
    a space (``search_words``). Words without a letter or digit are dropped:
    neither database indexes them, and PostgreSQL reads a query left with no
    words as "match everything".

    ``searchable_words('"never sorry" -- ai-weiwei')`` → ``["never", "sorry", "ai-weiwei"]``.
    """
    return [word for word in search_words(query) if any(char.isalnum() for char in word)]


class SearchFilter(BaseFilterBackend):
    """``search=``: full text over titles, summaries, bodies, film titles and people's names.

    Runs Wagtail's search backend (PostgreSQL full text on PostgreSQL, FTS5 on
    SQLite) over the already-filtered pages, so filters and search combine. The
    query is words only (``searchable_words``): quotes and operators are text, a
    query of punctuation alone matches nothing.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        query = _single(request, "search")
        operator = request.GET.get("search_operator", "and")
        if operator not in ("and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")

        words = searchable_words(query)
        if not words:
            return queryset.none()
        ordering = queryset.query.order_by
        candidates = queryset.model.objects.filter(pk__in=queryset.order_by().values("pk"))
        if ordering:
            candidates = candidates.order_by(*ordering)
        try:
            return get_search_backend().search(
                " ".join(words), candidates, operator=operator, order_by_relevance=not ordering
            )
        except (FilterFieldError, OrderByFieldError) as exc:
            raise BadRequestError(f"cannot combine this filter or order with search: {exc}") from exc


class _MissingPageMeansNoResults:
    """Tree filters on a page that is missing or not public match nothing (200, empty), like
    every other filter here, instead of Wagtail's 400: a client cannot tell a draft from a typo."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except BadRequestError as exc:
            if "doesn't exist" in str(exc):
                return queryset.none()
            raise


class ChildOfFilter(_MissingPageMeansNoResults, wagtail_filters.ChildOfFilter):
    pass


class DescendantOfFilter(_MissingPageMeansNoResults, wagtail_filters.DescendantOfFilter):
    pass


class AncestorOfFilter(_MissingPageMeansNoResults, wagtail_filters.AncestorOfFilter):
    pass
