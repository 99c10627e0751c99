"""Feeds for readers: the latest reviews, and the latest pages of a critic, a festival or a tag.

Each feed comes as JSON Feed 1.1 (``.json``) and Atom 1.0 (``.xml``)::

    /feeds/reviews.json                  /feeds/reviews.xml          the latest reviews
    /feeds/critics/<person slug>.json    …/critics/<slug>.xml        what a critic wrote
    /feeds/festivals/<festival slug>.json                             reviews and interviews
    /feeds/tags/<tag slug>.json                                       from a festival, with a tag

Both are built from the delivery store: the stored full documents of the
newest public rows (``visible_now``), newest first, one query for the rows;
nothing is rendered on read. Links go to the frontend, ids are the pages' API
URLs (stable when a slug changes). A critic, festival or tag with no public page
is unknown: 404, as the API answers for them.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from wagtail.api.v2.utils import BadRequestError

from delivery.models import StoredPage
from delivery.render import settings_fingerprint, to_json
from delivery.store import rebuild_stale_on_read, visible_now

from .errors import json_error, method_not_allowed
from .parameters import SLUG
from .syndication import syndication_response

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
REVIEWS = ["reviews.ReviewPage"]
EDITORIAL = ["reviews.ReviewPage", "reviews.InterviewPage"]
# /feeds/<kind>/<slug>: the store facet the slug is matched against, and the page types listed.
SUBJECTS = {
    "critics": ("author_slug", EDITORIAL),
    "festivals": ("festival_slug", EDITORIAL),
    "tags": ("tag", EDITORIAL),
}
FORMATS = ("json", "xml")


@dataclass
class Feed:
    """What both formats say: the feed's own fields and the stored documents it lists."""

    title: str
    description: str
    path: str  # "/feeds/reviews" (without the format's extension)
    documents: list = field(default_factory=list)

    @property
    def home_page_url(self):
        return settings.FRONTEND_BASE_URL + "/"

    def url(self, fmt):
        return f"{settings.WAGTAILAPI_BASE_URL}{self.path}.{fmt}"


def build_feed(kind=None, slug=None):
    """The :class:`Feed` of ``kind`` (None: latest reviews) for ``slug``; Http404 if unknown."""
    site = settings.WAGTAIL_SITE_NAME
    if kind is None:
        documents = latest_documents(REVIEWS)
        return Feed(f"{site}: reviews", f"The latest reviews on {site}.", "/feeds/reviews", documents)
    facet, page_types = SUBJECTS[kind]
    try:
        SLUG.check(kind, slug)
    except BadRequestError as exc:
        raise Http404(f"no such {kind[:-1]}") from exc
    documents = latest_documents(page_types, facet, slug)
    if not documents:
        raise Http404(f"no public page for this {kind[:-1]}")
    name = SUBJECT_NAMES[kind](documents[0], slug)
    description = SUBJECT_DESCRIPTIONS[kind].format(name=name, site=site)
    return Feed(f"{site}: {name}", description, f"/feeds/{kind}/{slug}", documents)


def latest_documents(page_types, facet=None, value=None):
    """Full stored documents of the newest public pages of ``page_types`` (with the facet)."""
    rows = StoredPage.objects.filter(visible_now(), page_type__in=page_types)
    if facet is not None:
        rows = rows.filter(facets__kind=facet, facets__value=value)
    rows = rows.order_by(F("first_published_at").desc(nulls_last=True), "-page_id")[: settings.FEED_ITEMS]
    found = list(rows.values_list("page_id", "full", "rendered_with"))
    stale = [page_id for page_id, _full, rendered_with in found if rendered_with != settings_fingerprint()]
    if stale:  # rendered under other settings: brought up to date, then read again
        rebuild_stale_on_read(stale)
        found = list(rows.values_list("page_id", "full", "rendered_with"))
    return [json.loads(full) for _page_id, full, _rendered_with in found]


def _critic_name(document, slug):
    return next((person["name"] for person in document["authors"] if person["slug"] == slug), slug)


def _festival_name(document, slug):
    festival = document["festival"]
    return f"{festival['name']} {festival['year']}"


def _tag_name(document, slug):
    # The facet matches a tag's slug or its lower-cased name (api/filters.py).
    return next((tag for tag in document["tags"] if slug in (slugify(tag), tag.lower())), slug)


SUBJECT_NAMES = {"critics": _critic_name, "festivals": _festival_name, "tags": _tag_name}
SUBJECT_DESCRIPTIONS = {
    "critics": "Reviews and interviews by {name} on {site}.",
    "festivals": "Reviews and interviews from {name} on {site}.",
    "tags": "Reviews and interviews tagged “{name}” on {site}.",
}


# --- JSON Feed 1.1 ---------------------------------------------------------------------


def json_feed(feed):
    """The feed as a JSON Feed 1.1 object (jsonfeed.org/version/1.1)."""
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_page_url,
        "feed_url": feed.url("json"),
        "description": feed.description,
        "language": settings.LANGUAGE_CODE,
        "items": [json_feed_item(document) for document in feed.documents],
    }


def json_feed_item(document):
    """One page as a JSON Feed item; ``_marquee`` carries its page id, type and grade."""
    meta = document["meta"]
    item = {
        "id": meta["detail_url"],
        "url": meta["html_url"],
        "title": document["title"],
        "summary": document["summary"],
        "content_text": document["summary"],
        "image": _hero_url(document),
        "date_published": meta["first_published_at"],
        "date_modified": meta["last_published_at"],
        "authors": [_json_feed_author(person) for person in document["authors"]],
        "tags": document["tags"],
        "_marquee": _without_none(
            {"page_id": document["id"], "type": meta["type"], "grade": document.get("grade")}
        ),
    }
    return _without_none(item)


def _json_feed_author(person):
    photo = person["photo"]
    return _without_none(
        {
            "name": person["name"],
            "url": person["links"].get("website"),
            "avatar": photo["renditions"]["thumbnail"]["url"] if photo else None,
        }
    )


def _hero_url(document):
    """The hero image's large rendition (1600 wide at most), or None."""
    image = document.get("hero_image")
    return image["renditions"]["large"]["url"] if image else None


def _without_none(values):
    return {key: value for key, value in values.items() if value is not None}


# --- Atom 1.0 ----------------------------------------------------------------------------


class AtomWithImages(Atom1Feed):
    """Django's Atom feed plus Media RSS (``<media:content medium="image">``) for the hero image,
    the element feed readers show as an entry's picture."""

    MEDIA_RSS = "http://search.yahoo.com/mrss/"

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": self.MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("image")
        if image is not None:
            handler.addQuickElement(
                "media:content",
                "",
                {
                    "url": image["url"],
                    "medium": "image",
                    "type": f"image/{image['format']}",
                    "width": str(image["width"]),
                    "height": str(image["height"]),
                },
            )


def atom_feed(feed):
    """The feed as Atom 1.0 XML text."""
    atom = AtomWithImages(
        title=feed.title,
        link=feed.home_page_url,
        description=feed.description,
        feed_url=feed.url("xml"),
        feed_guid=feed.url("xml"),
        language=settings.LANGUAGE_CODE,
        subtitle=feed.description,  # Atom's name for it
    )
    for document in feed.documents:
        meta = document["meta"]
        authors = document["authors"]
        hero = document.get("hero_image")
        atom.add_item(
            title=document["title"],
            link=meta["html_url"],
            # Atom's summary is typed "html": the plain-text summary is escaped to stay text.
            description=escape(document["summary"]),
            unique_id=meta["detail_url"],
            pubdate=_datetime(meta["first_published_at"]),
            updateddate=_datetime(meta["last_published_at"] or meta["first_published_at"]),
            author_name=" and ".join(person["name"] for person in authors) or None,
            author_link=authors[0]["links"].get("website") if len(authors) == 1 else None,
            categories=document["tags"],
            image=hero["renditions"]["large"] if hero else None,
        )
    return atom.writeString("utf-8")


def _datetime(text):
    return parse_datetime(text) if text else None


# --- the view ------------------------------------------------------------------------------


@csrf_exempt  # a JSON 405 for other methods, not a CSRF 403 page
def feed_view(request, fmt, kind=None, slug=None):
    """``/feeds/reviews.<fmt>`` and ``/feeds/<kind>/<slug>.<fmt>``; conditional GET supported."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request)
    try:
        feed = build_feed(kind, slug)
    except Http404 as exc:
        return json_error(str(exc), 404)
    if fmt == "json":
        return syndication_response(request, to_json(json_feed(feed)), JSON_FEED_TYPE)
    return syndication_response(request, atom_feed(feed), AtomWithImages.content_type)


@csrf_exempt
def feed_not_found(request, *args, **kwargs):
    """Anything else under /feeds/ is a JSON 404."""
    return json_error("no such feed", 404)
