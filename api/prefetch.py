"""Everything a response refers to, fetched in bulk before serialization.

Serializer fields and blocks read from the active :class:`ResponseData`
instead of querying per item or per block. A response costs the same number
of queries for one page as for fifty, and for one image block as for fifty.

Usage in a view::

    with prefetch_for(pages):
        data = serializer.data
"""

import re
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.db.models import F, Prefetch, Q, prefetch_related_objects
from wagtail.documents import get_document_model
from wagtail.models import Page

from reviews.models import (
    EditorialPage,
    EditorialPageAuthor,
    EditorialPageRelatedLink,
    EditorialPageTag,
    FilmDirector,
    InterviewPage,
    InterviewPageInterviewee,
)
from reviews.selectors import public_pages, related_in_order

from .images import absolute_media_url, image_representation, load_public_images, public_media
from .links import frontend_url

PAGE_LINK = re.compile(r'linktype="page"[^>]*?\bid="(\d+)"|\bid="(\d+)"[^>]*?linktype="page"')
DOCUMENT_LINK = re.compile(r'linktype="document"[^>]*?\bid="(\d+)"|\bid="(\d+)"[^>]*?linktype="document"')

_active = ContextVar("marquee_api_response_data", default=None)


def active():
    """The ResponseData being serialized, or an empty one (each lookup then queries)."""
    return _active.get() or ResponseData([])


@contextmanager
def prefetch_for(objects, draft=False):
    token = _active.set(ResponseData(objects, draft=draft))
    try:
        yield
    finally:
        _active.reset(token)


def prefetched_images(image_ids):
    """``{id: Image}`` from the active response (public images only), or None outside one."""
    data = _active.get()
    if data is None:
        return None
    return {pk: data.image_object(pk) for pk in image_ids}


class PageRef(NamedTuple):
    """A page another page points at (a link, a related page): what a reference shows, no model."""

    pk: int
    title: str
    url_path: str
    content_type_id: int
    film_id: int | None  # reviews and interviews only

    @property
    def url(self):
        """The page on the frontend."""
        return frontend_url(self.url_path)


class ResponseData:
    """Bulk-loaded images, referenced pages, documents and related pages for ``objects``.

    ``objects`` may mix pages, people and films; each kind contributes the ids it
    refers to. Loading is lazy per kind, so a response that never asks for
    related pages never pays for them.
    """

    def __init__(self, objects, draft=False):
        # A draft (headless preview) carries its relations in memory, unsaved:
        # read them from the object, never from the database.
        self.draft = draft
        self.objects = list(objects)
        self.editorial = [obj for obj in self.objects if isinstance(obj, EditorialPage)]
        self._images = None
        self._image_objects = {}
        self._pages = None
        self._related = None
        self._documents = None
        if self.editorial and not draft:
            self._prefetch_editorial_relations()

    # --- relations of editorial pages ---------------------------------------

    def _prefetch_editorial_relations(self):
        lookups = [
            "film",
            "festival",
            Prefetch("film__directors", FilmDirector.objects.select_related("person")),
            Prefetch("authors", queryset=_ordered_people(EditorialPageAuthor)),
            Prefetch("tagged_items", queryset=_tagged_items()),
        ]
        prefetch_related_objects(self.editorial, *lookups)
        interviews = [page for page in self.editorial if isinstance(page, InterviewPage)]
        if interviews:
            prefetch_related_objects(
                interviews,
                Prefetch("interviewees", queryset=_ordered_people(InterviewPageInterviewee)),
            )

    # --- images ---------------------------------------------------------------

    def image(self, image_id):
        """The image object for ``image_id``, or None if missing or not public (memoized)."""
        if image_id not in self._image_objects:
            image = self.image_object(image_id)
            self._image_objects[image_id] = image_representation(image) if image is not None else None
        return self._image_objects[image_id]

    def image_object(self, image_id):
        """The Image instance (public only, renditions attached), for blocks that need the object."""
        if not image_id:
            return None
        if self._images is None:
            self._images = load_public_images(self._image_ids())
        if image_id not in self._images:
            # Not referenced up front (a caller outside the usual fields): load alone.
            self._images.update(load_public_images([image_id]) or {image_id: None})
        return self._images.get(image_id)

    def _image_ids(self):
        ids = set()
        for obj in self.objects:
            for attr in ("hero_image_id", "social_image_id", "photo_id", "poster_id"):
                ids.add(getattr(obj, attr, None))
            film = getattr(obj, "film", None) if isinstance(obj, EditorialPage) else None
            if film is not None:
                ids.add(film.poster_id)
            for person in self._people_of(obj):
                ids.add(person.photo_id)
            body = getattr(obj, "body", None)
            if body is not None:
                ids.update(_body_image_ids(body.raw_data))
        ids.discard(None)
        return ids

    @staticmethod
    def _people_of(obj):
        if isinstance(obj, EditorialPage):
            yield from (link.person for link in obj.authors.all())
            if isinstance(obj, InterviewPage):
                yield from (link.person for link in obj.interviewees.all())

    # --- pages referenced by links and "related" -------------------------------

    def page_url(self, page_id):
        """Frontend URL of a public page linked from rich text, else None."""
        page = self._referenced_pages().get(int(page_id))
        return frontend_url(page.url_path) if page is not None else None

    def related(self, page):
        """Related pages of ``page``: hand-made links first, then same film."""
        if self._related is None:
            self._referenced_pages()
        return self._related.get(page.pk, [])

    def _referenced_pages(self):
        if self._pages is not None:
            return self._pages
        if self.draft:
            link_rows = [
                (p.pk, link.related_page_id) for p in self.editorial for link in p.related_links.all()
            ]
        else:
            link_rows = list(
                EditorialPageRelatedLink.objects.filter(page_id__in=[p.pk for p in self.editorial])
                .order_by("page_id", "sort_order")
                .values_list("page_id", "related_page_id")
            )
        linked_ids = {int(pk) for pk in self._rich_text_ids(PAGE_LINK)}
        linked_ids.update(target for _, target in link_rows)
        film_ids = {page.film_id for page in self.editorial if page.film_id}
        wanted = Q(pk__in=linked_ids)
        if film_ids:
            # An IN over the indexed film column (not an OR across a join), so the
            # database looks up a handful of rows instead of scanning every page.
            # Rows, not models: a film with hundreds of pages costs little.
            wanted |= Q(pk__in=EditorialPage.objects.filter(film_id__in=film_ids).values("pk"))
        rows = (
            public_pages(Page)
            .filter(wanted)
            .annotate(film_id=F("editorialpage__film_id"))
            .order_by("-first_published_at", "pk")
            .values_list(*PageRef._fields)
            if linked_ids or film_ids
            else []
        )
        self._pages = {row[0]: PageRef(*row) for row in rows}
        self._related = self._related_by_page(link_rows)
        return self._pages

    def _related_by_page(self, link_rows):
        linked = {page.pk: [] for page in self.editorial}
        for page_id, target in link_rows:
            if target in self._pages:
                linked[page_id].append(self._pages[target])
        return {
            page.pk: related_in_order(
                page.pk,
                linked[page.pk],
                [other for other in self._pages.values() if page.film_id and other.film_id == page.film_id],
            )
            for page in self.editorial
        }

    # --- documents ------------------------------------------------------------

    def document_url(self, document_id):
        if self._documents is None:
            ids = {int(pk) for pk in self._rich_text_ids(DOCUMENT_LINK)}
            Document = get_document_model()
            self._documents = (
                {doc.pk: doc for doc in public_media(Document.objects.filter(pk__in=ids))} if ids else {}
            )
        document = self._documents.get(int(document_id))
        if document is None:
            return None
        return absolute_media_url(document.url)

    def _rich_text_ids(self, pattern):
        ids = set()
        for page in self.editorial:
            for text in _strings(page.body.raw_data):
                if "linktype=" in text:
                    ids.update(a or b for a, b in pattern.findall(text))
        return ids


def _ordered_people(model):
    return model.objects.select_related("person").order_by("sort_order")


def _tagged_items():
    return EditorialPageTag.objects.select_related("tag").order_by("tag__name")


def _body_image_ids(raw_blocks):
    for block in raw_blocks:
        if block.get("type") == "image" and isinstance(block.get("value"), Mapping):
            image_id = block["value"].get("image")
            if isinstance(image_id, int):
                yield image_id


def _strings(value):
    """Every string inside raw StreamField data."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, Sequence):  # lists, and StreamField's RawDataView
        for item in value:
            yield from _strings(item)
