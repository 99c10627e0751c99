"""CDN purge after a re-render: the URLs of exactly the documents that changed.

For each stored or removed document: its detail, its find-by-path URL (old and
new path), the listings a new card can enter (every type, its people, its
film) and the people and film details that list it. The backends come from
``WAGTAILFRONTENDCACHE`` (built from the environment in settings): Cloudflare,
CloudFront or an HTTP purge URL for Varnish.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

from reviews.models import FilmDirector

from .links import frontend_url
from .models import StoredFacet, StoredPage

# People, films and festivals are public only while a public page credits them
# (reviews/selectors.py), so their listings follow every page change.
SNIPPET_ENDPOINTS = ("people", "films", "festivals")
LISTING_TYPES = (
    "",
    "reviews.ReviewPage",
    "reviews.InterviewPage",
    "reviews.ReviewPage,reviews.InterviewPage",
)


def snapshot(page_id):
    """What a document's URLs depend on, read from its store row (None if not stored)."""
    row = (
        StoredPage.objects.filter(pk=page_id).values("page_id", "url_path", "film_id", "festival_id").first()
    )
    if row is None:
        return None
    row["facets"] = list(
        StoredFacet.objects.filter(page_id=page_id, kind__in=("author_slug", "person_id")).values_list(
            "kind", "value"
        )
    )
    row["directors"] = list(
        FilmDirector.objects.filter(film_id=row["film_id"]).values_list("person_id", flat=True)
        if row["film_id"]
        else []
    )
    return row


def document_urls(snapshots):
    """Every public API URL whose response may change with these store rows."""
    base = settings.WAGTAILAPI_BASE_URL.rstrip("/")
    listing = base + reverse("wagtailapi_v2:pages:listing")
    urls = {listing + (f"?{urlencode({'type': t})}" if t else "") for t in LISTING_TYPES}
    urls.update(base + reverse(f"wagtailapi_v2:{name}:listing") for name in SNIPPET_ENDPOINTS)
    for row in snapshots:
        urls.add(base + reverse("wagtailapi_v2:pages:detail", args=(row["page_id"],)))
        public_url = frontend_url(row["url_path"])
        if public_url:
            path = public_url.removeprefix(settings.FRONTEND_BASE_URL)
            urls.add(base + reverse("wagtailapi_v2:pages:find") + "?" + urlencode({"html_path": path}))
        for kind, value in row["facets"]:
            if kind == "author_slug":
                urls.add(f"{listing}?{urlencode({'author': value})}")
            else:
                urls.add(base + reverse("wagtailapi_v2:people:detail", args=(int(value),)))
                urls.add(f"{listing}?{urlencode({'person': value})}")
        if row["film_id"]:
            urls.add(base + reverse("wagtailapi_v2:films:detail", args=(row["film_id"],)))
            urls.add(f"{listing}?{urlencode({'film': row['film_id']})}")
        urls.update(base + reverse("wagtailapi_v2:people:detail", args=(pk,)) for pk in row["directors"])
        if row["festival_id"]:
            urls.add(base + reverse("wagtailapi_v2:festivals:detail", args=(row["festival_id"],)))
    return sorted(urls)


def cdn_configured():
    return bool(get_backends())


def purge(snapshots):
    snapshots = [row for row in snapshots if row is not None]
    if not snapshots or not get_backends():
        return
    batch = PurgeBatch()
    batch.add_urls(document_urls(snapshots))
    batch.purge()
