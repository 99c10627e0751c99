import os

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.health import healthz, readyz
from api.urls import urlpatterns as api_urlpatterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path(settings.ADMIN_PATH, include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    *api_urlpatterns,
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Renditions only. Originals (original_images/, documents/) may belong to
    # view-restricted collections: documents go through Wagtail's serve view
    # above, which checks the restriction, and original images are never linked.
    urlpatterns += static(
        settings.MEDIA_URL + "images/", document_root=os.path.join(settings.MEDIA_ROOT, "images")
    )

# Wagtail's page routes last: the catch-all never renders a page here, it redirects
# public pages to the frontend and answers 404 for the rest (api/wagtail_hooks.py).
# Kept for its URL names: page URLs are reversed through "wagtail_serve", and
# restricted documents send readers to "wagtailcore_login".
urlpatterns += [path("", include(wagtail_urls))]


def handler400(request, exception):
    """JSON for API clients (e.g. a Host outside ALLOWED_HOSTS), Django's plain page otherwise."""
    from django.views.defaults import bad_request

    from api.urls import api_bad_request

    if request.path.startswith("/api/"):
        return api_bad_request(request, exception)
    return bad_request(request, exception)


def handler500(request):
    """JSON for API clients, Django's plain page for everyone else."""
    from django.views.defaults import server_error

    from api.urls import api_server_error

    if request.path.startswith("/api/"):
        return api_server_error(request)
    return server_error(request)
