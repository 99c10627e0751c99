"""The delivery API's endpoints, on Wagtail's API v2 routing.

``pages`` serves the delivery store (delivery/): stored bytes, never a render
on the read path. The other endpoints serve one fixed object shape each, built
by the content apps' serializers with a bulk loader.
"""

import json

from django.apps import apps
from django.db.models import Prefetch, Q
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from delivery.links import frontend_url, site_root_paths
from delivery.loader import Loader
from delivery.models import StoredPage
from delivery.reads import stored_document, stored_rows, stored_window
from delivery.render import etag_for, settings_fingerprint, to_json
from delivery.store import rebuild_stale_on_read, visible_now
from people.models import Person
from people.serializers import person_representation
from reviews.images import absolute_media_url, image_representation, load_public_images, public_media
from reviews.models import EditorialPage, Festival, Film, FilmDirector
from reviews.selectors import public_festivals, public_films, public_pages, public_people
from reviews.serializers import festival_representation, film_representation, page_link, type_label

from .caching import accepts_gzip, json_response, next_visibility_change
from .errors import json_error
from .filters import (
    EDITORIAL_FILTERS,
    TREE_FILTERS,
    after_cursor,
    cursor_position,
    encode_cursor,
    filter_editorial,
    filter_tree,
    order_queryset,
    ordering,
    search_terms,
    single,
)
from .page_types import requested_page_types
from .pagination import Pagination, is_number
from .parameters import HTML_PATH, SLUG
from .projection import project, selected_fields


class JSONOnly(BaseContentNegotiation):
    """The API speaks JSON whatever ``Accept`` says: DRF's documented
    ``IgnoreClientContentNegotiation``. Parsing ``Accept`` cost a fifth of a
    stored-detail request (0.08 of 0.4 ms) to reach the only possible answer."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class JSONAPIMixin:
    """JSON only, one error shape: ``{"message": "…", "status": 400}``."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly
    pagination_class = Pagination

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return json_error(str(exc) if str(exc) else "not found", status.HTTP_404_NOT_FOUND)
        if isinstance(exc, BadRequestError):
            return json_error(str(exc), status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, APIException):
            response = json_error(_detail_text(exc.detail), exc.status_code)
            if getattr(exc, "wait", None):
                response["Retry-After"] = str(int(exc.wait))
            return response
        return super().handle_exception(exc)

    def check_query_parameters(self, queryset):
        unknown = set(self.request.GET) - self.known_query_parameters
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised filter: " + ", ".join(sorted(unknown))
            )

    def get_renderer_context(self):
        # Compact JSON: indentation costs bytes on every response (Wagtail's adds it).
        return {"view": self, "args": self.args, "kwargs": self.kwargs, "request": self.request}


def _filtered(request):
    """True when a listing narrows the pages of its type(s) by more than the clock."""
    return any(name in request.GET for name in (*TREE_FILTERS, *EDITORIAL_FILTERS))


def _detail_text(detail):
    if isinstance(detail, list | tuple):
        return "; ".join(_detail_text(item) for item in detail)
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_detail_text(value)}" for key, value in detail.items())
    return str(detail)


class PagesViewSet(JSONAPIMixin, PagesAPIViewSet):
    """``/api/v2/pages/``: every public page, served from the delivery store.

    Reads never render: detail and find return the stored bytes and ETag of one
    row; listings select stored cards by indexed columns and facets; ``fields=``
    projects the stored full document; search asks Wagtail's search backend for
    ids and reads the store. See delivery/ for how documents get there.
    """

    known_query_parameters = frozenset(
        [
            "limit",
            "offset",
            "after",
            "fields",
            "order",
            "search",
            "search_operator",
            "type",
            "_",
            *TREE_FILTERS,
            *EDITORIAL_FILTERS,
        ]
    )
    find_query_parameters = frozenset(["id", "html_path"])

    # --- listing -------------------------------------------------------------------

    def listing_view(self, request):
        self._check_parameters(self.known_query_parameters)
        models, labels = self._requested_types()
        model = models[0] if len(models) == 1 else Page
        label = type_label(model)
        fields_param = self._fields_param()
        fields = selected_fields(models, fields_param, detail=False) if fields_param else None
        order_column, descending = ordering(request, label)
        if fields is None and (model is Page or labels == {label}):
            column, projection = ("page_card" if model is Page else "card"), None
        else:  # a selection, or a type whose rows hold other types' cards: project the full document
            column, projection = "full", fields or selected_fields(models, "", detail=False)

        limit, offset = Pagination.limits(request)
        next_after = None
        if "search" in request.GET:
            order = order_column if "order" in request.GET else None
            rows = self._filtered_rows(labels)
            ids, total = self._search(request, model, rows, order, descending, limit, offset)
            found = {row[0]: row[1:5] for row in stored_rows(column, ids)}
            expires_at = next_visibility_change()
        else:
            if "after" in request.GET and "offset" in request.GET:
                raise BadRequestError("use either after or offset, not both")
            if _filtered(request):
                rows = self._filtered_rows(labels)
                total, expires_at = rows.count(), next_visibility_change()
                ordered = order_queryset(rows, order_column, descending)
                if "after" in request.GET:
                    window = after_cursor(request, ordered, order_column, descending)[:limit]
                else:
                    window = ordered[offset : offset + limit]
                # The documents in the same statement: a filtered listing's count and next
                # expiry already take two (see tests/api/test_query_budgets.py).
                page_rows = [
                    (page_id, body.encode(), *rest)
                    for page_id, body, *rest in window.values_list(
                        "page_id", column, "page_type", "rendered_with", "seq", order_column
                    )
                ]
            else:  # every visible page of the type(s): the store's counters, one hand-written statement
                after = None
                if "after" in request.GET:
                    after = cursor_position(request, order_column, descending)
                page_rows, total, expires_at = stored_window(
                    column,
                    page_types=labels,
                    order=order_column,
                    descending=descending,
                    limit=limit,
                    offset=offset,
                    after=after,
                )
            ids = [row[0] for row in page_rows]
            found = {row[0]: row[1:5] for row in page_rows}
            if page_rows and len(page_rows) == limit:
                last = page_rows[-1]
                next_after = encode_cursor(
                    order_column, descending, {"page_id": last[0], order_column: last[5]}
                )

        stale = [
            pk
            for pk, (body, _type, rendered_with, _seq) in found.items()
            if body is not None and rendered_with != settings_fingerprint()
        ]
        if stale:
            rebuild_stale_on_read(stale)
            found.update((row[0], row[1:5]) for row in stored_rows(column, stale))
        items, versions = [], []
        for page_id in ids:
            body, page_type, _rendered_with, seq = found.get(page_id, (None, None, None, None))
            if body is None:
                continue  # unpublished between finding the rows and reading their documents
            if projection is not None and not (fields_param == "*" and page_type == label):
                body = to_json(project(json.loads(body), projection)).encode()
            items.append(body)
            versions.append(f"{page_id}:{seq}")
        meta = to_json({"total_count": total, "limit": limit, "offset": offset, "next_after": next_after})
        content = b'{"meta":' + meta.encode() + b',"items":[' + b",".join(items) + b"]}"
        # The bytes are a function of the meta, the column or projection, and the version (seq)
        # of each row: hashing those names the response as surely as hashing its 200 KB would.
        etag = etag_for("\n".join([meta, column, self.request.GET.get("type", ""), fields_param, *versions]))
        return json_response(content, etag=etag, expires_at=expires_at)

    def _requested_types(self):
        """``(models, labels)``: the page models whose shared fields a listing offers, and the
        ``page_type`` values it covers (None: every page)."""
        if not self.request.GET.get("type"):
            return (Page,), None
        return requested_page_types(single(self.request, "type"))

    def _filtered_rows(self, labels):
        """The visible stored rows of ``labels`` (None: every type) that the filters select."""
        rows = StoredPage.objects.filter(visible_now())
        if labels is not None:
            rows = rows.filter(page_type__in=labels)
        return filter_tree(self.request, filter_editorial(self.request, rows))

    def _search(self, request, model, rows, column, descending, limit, offset):
        """``(ids of one page of results, total)`` from Wagtail's search backend over the stored rows."""
        words, operator = search_terms(request)
        if not words:
            return [], 0
        search_model = model if model is not Page else Page
        candidates = search_model._default_manager.filter(pk__in=rows.values("page_id"))
        if column is not None:
            field = "id" if column == "page_id" else ("grade" if column == "grade_score" else column)
            prefix = "-" if descending else ""
            candidates = candidates.order_by(f"{prefix}{field}", f"{prefix}id")
        try:
            results = get_search_backend().search(
                " ".join(words), candidates, operator=operator, order_by_relevance=column is None
            )
            ids = [page.pk for page in results[offset : offset + limit]]
            return ids, results.count()
        except (FilterFieldError, OrderByFieldError) as exc:
            raise BadRequestError(f"cannot combine this filter or order with search: {exc}") from exc

    # --- detail and find -------------------------------------------------------------

    def detail_view(self, request, pk):
        self._check_parameters(frozenset(["fields", "_"]))
        if pk > 2**63 - 1:
            raise Http404("not found")
        return self._detail_response(page_id=pk)

    def find_view(self, request):
        self._check_parameters(frozenset(["fields", "_", *self.find_query_parameters]))
        if "id" in request.GET:
            value = request.GET["id"]
            if not is_number(value) or len(value) > 18:
                raise BadRequestError("id must be a positive integer")
            lookup = {"page_id": int(value)}
        elif "html_path" in request.GET:
            path = HTML_PATH.check("html_path", request.GET["html_path"])
            relative = "".join(f"{part}/" for part in path.split("/") if part)
            lookup = {"url_paths": [root.root_path + relative for root in site_root_paths()]}
        else:
            raise BadRequestError("find needs html_path (e.g. /reviews/some-review/) or id")
        return self._detail_response(not_found="no public page at that path", **lookup)

    def _detail_response(self, not_found="not found", rerendered=False, **lookup):
        """One indexed statement: the stored detail (or the full document to project), its ETag
        and the next moment anything stored expires or goes live (delivery/reads.py)."""
        fields_param = self._fields_param()
        gzip = not fields_param and accepts_gzip(self.request)
        document = stored_document(
            "full" if fields_param else ("detail_gzip" if gzip else "detail"), **lookup
        )
        if document is None:
            raise Http404(not_found)
        if document.rendered_with != settings_fingerprint() and not rerendered:
            rebuild_stale_on_read([document.page_id])
            return self._detail_response(not_found, rerendered=True, page_id=document.page_id)
        body, etag = document.body, document.etag
        if fields_param:
            model = apps.get_model(document.page_type)
            body, etag = (
                to_json(project(json.loads(body), selected_fields((model,), fields_param, True))),
                None,
            )
        # Capped by the next expiry or go-live anywhere: a related page or link may be the one.
        response = json_response(body, etag=etag, expires_at=document.next_visibility_change)
        if gzip:  # compressed once, when stored; weak ETag, as Django's GZipMiddleware makes it
            response["Content-Encoding"] = "gzip"
            response["ETag"] = "W/" + etag
        return response

    def _fields_param(self):
        """``?fields=`` as given ("" when absent); present but empty is a 400."""
        if "fields" in self.request.GET and not self.request.GET["fields"]:
            raise BadRequestError("fields must name at least one field, or * for all")
        return self.request.GET.get("fields", "")

    def _check_parameters(self, allowed):
        unknown = set(self.request.GET) - allowed
        if unknown:
            raise BadRequestError(
                "query parameter is not an operation or a recognised filter: " + ", ".join(sorted(unknown))
            )


class RepresentationViewSet(JSONAPIMixin, BaseAPIViewSet):
    """An endpoint whose items all have one fixed JSON shape (``represent``)."""

    known_query_parameters = frozenset(["limit", "offset", "_"])
    filter_backends = []

    def represent(self, obj, loader):
        raise NotImplementedError

    def represent_detail(self, obj, loader):
        return self.represent(obj, loader)

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_listing(queryset)
        items = list(self.paginate_queryset(queryset))
        loader = Loader(items)
        return self.get_paginated_response([self.represent(obj, loader) for obj in items])

    def filter_listing(self, queryset):
        return queryset

    def detail_view(self, request, pk):
        self.check_query_parameters(self.get_queryset())
        obj = self.get_queryset().filter(pk=pk).first() if pk <= 2**63 - 1 else None
        if obj is None:
            raise Http404("not found")
        return Response(self.represent_detail(obj, Loader([obj])))

    def find_view(self, request):
        raise Http404("not found")


class PeopleViewSet(RepresentationViewSet):
    """``/api/v2/people/``: critics, filmmakers and interviewees credited on a public page.

    ``?role=critic`` and ``?slug=`` filter.
    """

    name = "people"
    model = Person
    known_query_parameters = RepresentationViewSet.known_query_parameters | {"role", "slug"}

    def get_queryset(self):
        return public_people().order_by("name", "pk")

    def filter_listing(self, queryset):
        for name in ("role", "slug"):
            if name in self.request.GET:
                value = SLUG.check(name, self.request.GET[name])
                lookup = "roles__slug" if name == "role" else "slug"
                queryset = queryset.filter(**{lookup: value})
        return queryset.prefetch_related("roles").distinct()

    def represent(self, person, loader):
        return {**person_representation(person, loader), "roles": [role.slug for role in person.roles.all()]}

    def represent_detail(self, person, loader):
        pages = public_pages(EditorialPage).filter(
            Q(authors__person=person) | Q(interviewpage__interviewees__person=person)
        )
        return {**self.represent(person, loader), "pages": _page_links(pages, loader)}


class FilmsViewSet(RepresentationViewSet):
    """``/api/v2/films/``: films that public pages are about; detail lists their pages."""

    name = "films"
    model = Film
    known_query_parameters = RepresentationViewSet.known_query_parameters | {"slug", "year"}

    def get_queryset(self):
        return (
            public_films()
            .order_by("title", "pk")
            .prefetch_related(Prefetch("directors", FilmDirector.objects.select_related("person")))
        )

    def filter_listing(self, queryset):
        if "slug" in self.request.GET:
            queryset = queryset.filter(slug=SLUG.check("slug", self.request.GET["slug"]))
        if "year" in self.request.GET:
            year = self.request.GET["year"]
            if not is_number(year) or len(year) > 4:
                raise BadRequestError("year must be a year, e.g. 2012")
            queryset = queryset.filter(release_year=int(year))
        return queryset

    def represent(self, film, loader):
        return film_representation(film, loader)

    def represent_detail(self, film, loader):
        pages = public_pages(EditorialPage).filter(film=film)
        return {**self.represent(film, loader), "pages": _page_links(pages, loader)}


class FestivalsViewSet(RepresentationViewSet):
    """``/api/v2/festivals/``: festival editions that public pages were seen at."""

    name = "festivals"
    model = Festival

    def get_queryset(self):
        return public_festivals().order_by("-year", "name", "pk")

    def represent(self, festival, loader):
        return {
            **festival_representation(festival, loader),
            "pages_url": loader.api_url("wagtailapi_v2:pages:listing") + f"?festival={festival.pk}",
        }


class ImagesViewSet(RepresentationViewSet):
    """``/api/v2/images/``: public images (not in restricted collections), as image objects."""

    name = "images"
    model = get_image_model()

    def get_queryset(self):
        return public_media(self.model.objects.order_by("-created_at", "-pk"))

    def listing_view(self, request):
        # Images are their own image objects: load renditions for the whole page at once.
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        ids = list(self.paginate_queryset(queryset.values_list("pk", flat=True)))
        images = load_public_images(ids)
        return self.get_paginated_response([image_representation(images[pk]) for pk in ids])

    def represent(self, image, loader):
        return image_representation(load_public_images([image.pk])[image.pk])


class DocumentsViewSet(RepresentationViewSet):
    """``/api/v2/documents/``: public documents with absolute download URLs."""

    name = "documents"
    model = get_document_model()

    def get_queryset(self):
        return public_media(self.model.objects.order_by("-created_at", "-pk"))

    def represent(self, document, loader):
        return {
            "id": document.pk,
            "title": document.title,
            "file_extension": document.file_extension,
            "download_url": absolute_media_url(document.url),
        }


class RedirectsViewSet(RepresentationViewSet):
    """``/api/v2/redirects/``: redirects the frontend should honour; ``?html_path=`` finds one."""

    name = "redirects"
    model = Redirect
    known_query_parameters = RepresentationViewSet.known_query_parameters | {"html_path"}

    def get_queryset(self):
        visible_targets = Q(redirect_page__isnull=True) | Q(redirect_page__in=public_pages(Page))
        return Redirect.objects.filter(visible_targets).select_related("redirect_page").order_by("old_path")

    def filter_listing(self, queryset):
        if "html_path" in self.request.GET:
            path = HTML_PATH.check("html_path", self.request.GET["html_path"])
            queryset = queryset.filter(old_path=Redirect.normalise_path(path))
        return queryset

    def represent(self, redirect, loader):
        if redirect.redirect_page_id:
            location = frontend_url(redirect.redirect_page.url_path)
        else:
            location = redirect.redirect_link
        return {
            "id": redirect.pk,
            "old_path": redirect.old_path,
            "location": location,
            "is_permanent": redirect.is_permanent,
        }


def _page_links(pages, loader):
    pages = pages.order_by("-first_published_at", "pk").distinct()
    return [page_link(page, loader) for page in pages[:100]]
