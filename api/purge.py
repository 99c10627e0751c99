"""CDN purge on publish: the page's detail, its find-by-path URL and the listings it is in.

Wagtail's stock handler purges only the detail URL; a CDN would then keep
serving listings and ``find/?html_path=`` responses without the change. The
backends come from ``WAGTAILFRONTENDCACHE`` (built from the environment in
settings): Cloudflare, CloudFront or an HTTP purge URL for Varnish.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

from reviews.models import EditorialPage, FilmDirector, InterviewPage

LISTING_TYPES = (
    "",
    "reviews.ReviewPage",
    "reviews.InterviewPage",
    "reviews.ReviewPage,reviews.InterviewPage",
)
SNIPPET_ENDPOINTS = ("people", "films", "festivals")


def api_page_urls(page):
    """Every public API URL whose response may change when ``page`` changes."""
    base = settings.WAGTAILAPI_BASE_URL.rstrip("/")
    listing = base + reverse("wagtailapi_v2:pages:listing")
    urls = {base + reverse("wagtailapi_v2:pages:detail", args=(page.pk,))}
    urls.update(listing + (f"?{urlencode({'type': t})}" if t else "") for t in LISTING_TYPES)

    from .links import frontend_url

    public_url = frontend_url(page.url_path)
    if public_url:
        path = public_url.removeprefix(settings.FRONTEND_BASE_URL)
        urls.add(base + reverse("wagtailapi_v2:pages:find") + "?" + urlencode({"html_path": path}))

    page = page.specific
    if isinstance(page, EditorialPage):
        # People, films and festivals are public only while a public page credits them
        # (reviews/selectors.py), so their listings and details follow the page.
        urls.update(base + reverse(f"wagtailapi_v2:{name}:listing") for name in SNIPPET_ENDPOINTS)
        people = [link.person for link in page.authors.select_related("person")]
        if isinstance(page, InterviewPage):
            people += [link.person for link in page.interviewees.select_related("person")]
        for person in people:
            urls.add(base + reverse("wagtailapi_v2:people:detail", args=(person.pk,)))
            urls.add(f"{listing}?{urlencode({'author': person.slug})}")
            urls.add(f"{listing}?{urlencode({'person': person.pk})}")
        if page.film_id:
            urls.add(base + reverse("wagtailapi_v2:films:detail", args=(page.film_id,)))
            urls.add(f"{listing}?{urlencode({'film': page.film_id})}")
            for director_id in FilmDirector.objects.filter(film=page.film_id).values_list(
                "person", flat=True
            ):
                urls.add(base + reverse("wagtailapi_v2:people:detail", args=(director_id,)))
        if page.festival_id:
            urls.add(base + reverse("wagtailapi_v2:festivals:detail", args=(page.festival_id,)))
    return sorted(urls)


def purge_page_urls(instance, **kwargs):
    if not get_backends():
        return
    batch = PurgeBatch()
    batch.add_urls(api_page_urls(instance))
    batch.purge()
