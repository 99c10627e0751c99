"""``/api/v2/``: the delivery API router (namespace ``wagtailapi_v2``)."""

from django.core.exceptions import DisallowedHost
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from wagtail.api.v2.router import WagtailAPIRouter

from .errors import json_error
from .feeds import feed_not_found, feed_view
from .openapi import openapi_view
from .preview import preview_view
from .sitemaps import sitemap_json_view, sitemap_view
from .sync import sync_view
from .views import (
    DocumentsViewSet,
    FestivalsViewSet,
    FilmsViewSet,
    ImagesViewSet,
    PagesViewSet,
    PeopleViewSet,
    RedirectsViewSet,
)

# Wagtail's frontend-cache purging reverses URLs in this namespace.
api_router = WagtailAPIRouter("wagtailapi_v2")
api_router.register_endpoint("pages", PagesViewSet)
api_router.register_endpoint("images", ImagesViewSet)
api_router.register_endpoint("documents", DocumentsViewSet)
api_router.register_endpoint("redirects", RedirectsViewSet)
api_router.register_endpoint("people", PeopleViewSet)
api_router.register_endpoint("films", FilmsViewSet)
api_router.register_endpoint("festivals", FestivalsViewSet)


@csrf_exempt  # a JSON 404 for any method, not a CSRF 403 page
def api_not_found(request, *args, **kwargs):
    """Anything else under /api/ is a JSON 404, never Django's HTML page."""
    return json_error("no such API endpoint", 404)


def api_bad_request(request, exception):
    """A JSON 400 for requests Django refuses as suspicious (site_config.urls.handler400),
    chiefly a ``Host`` outside ``ALLOWED_HOSTS``."""
    message = "invalid Host header" if isinstance(exception, DisallowedHost) else "bad request"
    return json_error(message, 400, cache_control="no-store")


def api_server_error(request):
    """A JSON 500 for API paths (site_config.urls.handler500 delegates here)."""
    return json_error("internal server error", 500)


urlpatterns = [
    path("api/v2/openapi.json", openapi_view, name="openapi"),
    path("api/v2/preview/", preview_view, name="preview"),
    path("api/v2/sitemap/", sitemap_json_view, name="sitemap_json"),
    path("api/v2/sync/", sync_view, name="sync"),
    path("api/v2/", api_router.urls),
    re_path(r"^api/", api_not_found),
    # Feeds and sitemaps for readers and crawlers (api/feeds.py, api/sitemaps.py).
    re_path(r"^feeds/reviews\.(?P<fmt>json|xml)$", feed_view, name="feed"),
    re_path(
        r"^feeds/(?P<kind>critics|festivals|tags)/(?P<slug>[^/]+)\.(?P<fmt>json|xml)$",
        feed_view,
        name="subject_feed",
    ),
    re_path(r"^feeds/", feed_not_found),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    re_path(r"^sitemap-(?P<number>[1-9][0-9]{0,8})\.xml$", sitemap_view, name="sitemap_part"),
]
