"""The delivery API's endpoints, on Wagtail's API v2.

``pages`` keeps Wagtail's v2 machinery (``fields=``, ``type=``, the serializer
classes) and changes what it must: public pages only, whatever the request
carries; bulk-loaded relations; frontend URLs; explicit filters; JSON errors.
The other endpoints serve one fixed object shape each (api/fields.py).
"""

from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError, page_models_from_string, parse_fields_parameter
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from people.models import Person
from reviews.models import EditorialPage, Festival, Film, FilmDirector
from reviews.selectors import public_festivals, public_films, public_pages, public_people

from . import fields
from .errors import json_error
from .filters import (
    EDITORIAL_FILTERS,
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    EditorialFilter,
    OrderingFilter,
    SearchFilter,
)
from .images import absolute_media_url, image_representation, load_public_images, public_media
from .links import api_url, frontend_url, site_root_paths
from .pagination import Pagination, is_number
from .prefetch import prefetch_for

# Light listing fields: shown by default in listings, left out of detail by default.
LISTING_ONLY_FIELDS = {"film_title", "author_names", "interviewee_names", "thumbnail"}


class JSONAPIMixin:
    """JSON only, one error shape: ``{"message": "…", "status": 400}``."""

    renderer_classes = [JSONRenderer]
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
        # Compact JSON: indentation costs bytes on every response.
        return super(BaseAPIViewSet, self).get_renderer_context()


def _detail_text(detail):
    if isinstance(detail, list | tuple):
        return "; ".join(_detail_text(item) for item in detail)
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_detail_text(value)}" for key, value in detail.items())
    return str(detail)


class PagesViewSet(JSONAPIMixin, PagesAPIViewSet):
    """``/api/v2/pages/``: reviews, interviews and the index pages."""

    filter_backends = [
        EditorialFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        OrderingFilter,
        SearchFilter,  # last: search results cannot be filtered further
    ]
    known_query_parameters = frozenset(
        [
            "limit",
            "offset",
            "fields",
            "order",
            "search",
            "search_operator",
            "type",
            "child_of",
            "ancestor_of",
            "descendant_of",
            "_",
            *EDITORIAL_FILTERS,
        ]
    )
    find_query_parameters = frozenset(["id", "html_path"])
    meta_fields = [
        "type",
        "detail_url",
        "html_url",
        "slug",
        "seo_title",
        "search_description",
        "first_published_at",
        "last_published_at",
    ]
    listing_default_fields = ["id", "type", "detail_url", "html_url", "title", "slug", "first_published_at"]
    detail_only_fields = []

    @classmethod
    def get_field_serializer_overrides(cls, model):
        return {
            **super().get_field_serializer_overrides(model),
            "html_url": fields.FrontendURLField(),
            "seo_title": fields.SeoTitleField(),
            "search_description": fields.SearchDescriptionField(),
        }

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.listing_default_fields + list(getattr(model, "api_listing_fields", []))

    @classmethod
    def get_detail_default_fields(cls, model):
        return [name for name in cls.get_available_fields(model) if name not in LISTING_ONLY_FIELDS]

    def get_serializer_class(self):
        """Wagtail builds a serializer class per request; build each once per process instead."""
        listing = self.action == "listing_view"
        if listing:
            models = self._requested_models()
            model = models[0] if len(models) == 1 else Page
        else:
            model = type(self.get_object())
        return serializer_class_for(
            type(self),
            self.request.wagtailapi_router,
            model,
            self.request.GET.get("fields", ""),
            not listing,
        )

    def _requested_models(self):
        """The page models named by ``?type=`` (none: all pages)."""
        try:
            return page_models_from_string(self.request.GET["type"]) if self.request.GET.get("type") else ()
        except (LookupError, ValueError) as exc:
            raise BadRequestError("type doesn't exist") from exc

    def get_serializer_context(self):
        # Wagtail adds a "base_queryset" for its admin API; building it costs a
        # queryset per request that nothing here reads.
        return BaseAPIViewSet.get_serializer_context(self)

    def get_base_queryset(self):
        # Deliberately ignores the request's session: the API serves the anonymous public.
        return public_pages(Page)

    def get_queryset(self):
        """Public pages of the requested ``type``, filtered on the model's own table.

        Wagtail narrows a typed listing with ``pk IN (all public pages)``, which
        hides the ordering column from the index and sorts every row; filtering
        the specific model directly lets the database walk the publication-date
        index (see docs/performance.md).
        """
        models = self._requested_models()
        if len(models) == 1:
            queryset = public_pages(models[0])
        elif models:
            queryset = public_pages(Page).type(*models)
        else:
            queryset = public_pages(Page)
        if issubclass(queryset.model, EditorialPage):
            queryset = queryset.select_related("film", "festival")
        return queryset

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        if "fields" in self.request.GET:
            try:
                depth = _fields_depth(parse_fields_parameter(self.request.GET["fields"]))
            except ValueError as exc:
                raise BadRequestError(f"fields error: {exc}") from exc
            if depth > 1:
                # Nested objects (film, authors, images) are always complete: selecting
                # inside them is not supported, and deep nesting is an abuse vector.
                raise BadRequestError("fields does not support nested selection such as film(title)")

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        if isinstance(queryset, QuerySet):
            # Paginate narrow rows (ids) first, then load the wide rows of one page:
            # sorting 50,000 wide rows for a deep offset costs ten times more.
            ids = list(self.paginate_queryset(queryset.values_list("pk", flat=True)))
            rows = queryset.model._default_manager.filter(pk__in=ids).select_related(
                *_related_for(queryset.model)
            )
            by_id = {page.pk: page for page in rows}
            items = [by_id[pk] for pk in ids if pk in by_id]
        else:  # search results arrive ordered by relevance, already paginated by the backend
            items = list(self.paginate_queryset(queryset))
        with prefetch_for(items):
            data = self.get_serializer(items, many=True).data
        return self.get_paginated_response(data)

    def detail_view(self, request, pk):
        self.check_query_parameters(Page.objects.none())
        return self._detail_response(self.get_object())

    def find_view(self, request):
        unknown = set(request.GET) - self.known_query_parameters - self.find_query_parameters
        if unknown:
            raise BadRequestError("query parameter is not recognised: " + ", ".join(sorted(unknown)))
        found = self._find_page(request)
        if found is None:
            raise Http404("no public page at that path")
        self.kwargs["pk"] = found[0]
        self.action = "detail_view"
        self._cached_object = self._load_specific(*found)
        return self._detail_response(self._cached_object)

    def _detail_response(self, page):
        with prefetch_for([page]):
            data = self.get_serializer(page).data
        return Response(data)

    def get_object(self):
        """The specific page in two queries: its type, then its row with film and festival."""
        if not hasattr(self, "_cached_object"):
            pk = self.kwargs["pk"]
            content_type_id = None
            if pk <= 2**63 - 1:
                content_type_id = (
                    self.get_base_queryset().filter(pk=pk).values_list("content_type_id", flat=True).first()
                )
            if content_type_id is None:
                raise Http404("not found")
            self._cached_object = self._load_specific(pk, content_type_id)
        return self._cached_object

    @staticmethod
    def _load_specific(pk, content_type_id):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        queryset = model._default_manager.filter(pk=pk)
        if issubclass(model, EditorialPage):
            queryset = queryset.select_related("film", "festival")
        return queryset.get()

    def _find_page(self, request):
        """``(pk, content_type_id)`` of the public page at ``html_path`` (or ``id``), else None."""
        public = self.get_base_queryset()
        if "id" in request.GET:
            value = request.GET["id"]
            if not is_number(value) or len(value) > 18:
                raise BadRequestError("id must be a positive integer")
            public = public.filter(pk=int(value))
        elif "html_path" in request.GET:
            path = request.GET["html_path"]
            if len(path) > 1000 or "\x00" in path:
                raise BadRequestError("html_path is not a valid path")
            relative = "".join(f"{part}/" for part in path.split("/") if part)
            public = public.filter(url_path__in=[root.root_path + relative for root in site_root_paths()])
        else:
            raise BadRequestError("find needs html_path (e.g. /reviews/some-review/) or id")
        return public.values_list("pk", "content_type_id").first()


def _related_for(model):
    return ("film", "festival") if issubclass(model, EditorialPage) else ()


@lru_cache(maxsize=512)
def serializer_class_for(viewset, router, model, fields, show_details):
    """Wagtail's serializer class for (model, ``fields``), built once per process."""
    try:
        fields_config = parse_fields_parameter(fields) if fields else []
    except ValueError as exc:
        raise BadRequestError(f"fields error: {exc}") from exc
    return viewset._get_serializer_class(router, model, fields_config, show_details=show_details)


def _fields_depth(fields_config):
    depth = 0
    for _name, _negated, sub_fields in fields_config:
        depth = max(depth, 1 + (_fields_depth(sub_fields) if sub_fields else 0))
    return depth


class RepresentationViewSet(JSONAPIMixin, BaseAPIViewSet):
    """An endpoint whose items all have one fixed JSON shape (``represent``)."""

    known_query_parameters = frozenset(["limit", "offset", "_"])
    filter_backends = []

    def represent(self, obj):
        raise NotImplementedError

    def represent_detail(self, obj):
        return self.represent(obj)

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_listing(queryset)
        items = list(self.paginate_queryset(queryset))
        with prefetch_for(items):
            data = [self.represent(obj) for obj in items]
        return self.get_paginated_response(data)

    def filter_listing(self, queryset):
        return queryset

    def detail_view(self, request, pk):
        self.check_query_parameters(self.get_queryset())
        obj = self.get_queryset().filter(pk=pk).first() if pk <= 2**63 - 1 else None
        if obj is None:
            raise Http404("not found")
        with prefetch_for([obj]):
            return Response(self.represent_detail(obj))

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
                value = self.request.GET[name][:255]
                lookup = "roles__slug" if name == "role" else "slug"
                queryset = queryset.filter(**{lookup: value})
        return queryset.prefetch_related("roles").distinct()

    def represent(self, person):
        return {**fields.person_representation(person), "roles": [role.slug for role in person.roles.all()]}

    def represent_detail(self, person):
        pages = public_pages(EditorialPage).filter(
            Q(authors__person=person) | Q(interviewpage__interviewees__person=person)
        )
        return {**self.represent(person), "pages": _page_links(pages)}


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
            queryset = queryset.filter(slug=self.request.GET["slug"][:255])
        if "year" in self.request.GET:
            year = self.request.GET["year"]
            if not is_number(year) or len(year) > 4:
                raise BadRequestError("year must be a year, e.g. 2012")
            queryset = queryset.filter(release_year=int(year))
        return queryset

    def represent(self, film):
        return fields.film_representation(film)

    def represent_detail(self, film):
        return {**self.represent(film), "pages": _page_links(public_pages(EditorialPage).filter(film=film))}


class FestivalsViewSet(RepresentationViewSet):
    """``/api/v2/festivals/``: festival editions that public pages were seen at."""

    name = "festivals"
    model = Festival

    def get_queryset(self):
        return public_festivals().order_by("-year", "name", "pk")

    def represent(self, festival):
        return {
            **fields.festival_representation(festival),
            "pages_url": api_url("wagtailapi_v2:pages:listing") + f"?festival={festival.pk}",
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

    def represent(self, image):
        return image_representation(load_public_images([image.pk])[image.pk])


class DocumentsViewSet(RepresentationViewSet):
    """``/api/v2/documents/``: public documents with absolute download URLs."""

    name = "documents"
    model = get_document_model()

    def get_queryset(self):
        return public_media(self.model.objects.order_by("-created_at", "-pk"))

    def represent(self, document):
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
            queryset = queryset.filter(old_path=Redirect.normalise_path(self.request.GET["html_path"][:1000]))
        return queryset

    def represent(self, redirect):
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


def _page_links(pages):
    pages = pages.select_related("content_type").order_by("-first_published_at", "pk").distinct()
    return [fields.page_link(page) for page in pages[:100]]
