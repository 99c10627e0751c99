"""Page paths on this host send readers to the public frontend; they never render a page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from wagtail import hooks

from delivery.links import frontend_url
from reviews.selectors import public_pages


@hooks.register("before_serve_page", order=-100)
def redirect_page_paths_to_the_frontend(page, request, serve_args, serve_kwargs):
    """``GET /reviews/<slug>/`` → ``302`` to the page on ``FRONTEND_BASE_URL``, or ``404``.

    Public pages belong to the frontend, which renders them from the API. Served
    here, Wagtail's templates would show an expired page, a restricted page's
    password form or links to drafts, so Wagtail's page serving is answered
    before any of that runs (order -100: ahead of Wagtail's own hooks): a page
    the API would serve redirects to its frontend URL, any other page is a 404,
    whoever asks. Without a ``FRONTEND_BASE_URL`` there is nowhere to send the
    reader (a relative URL would point back here), so every page path is a 404.
    Editors' previews do not come this way: the admin's preview views call
    ``Page.serve_preview`` directly. Wagtail's redirects still apply:
    ``RedirectMiddleware`` acts on these 404s.
    """
    location = frontend_url(page.url_path) if settings.FRONTEND_BASE_URL else None
    if location is None or not public_pages().filter(pk=page.pk).exists():
        raise Http404
    if request.META.get("QUERY_STRING"):
        location += "?" + request.META["QUERY_STRING"]
    return redirect(location)
