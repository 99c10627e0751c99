"""The loader: everything a document refers to, fetched in bulk, and a record of what was read.

Content apps build JSON from a page plus a loader handed to them explicitly
(``page_document(page, loader)``; blocks get it as ``context["loader"]``). The
loader fetches relations, images, linked and related pages for all the objects
it was given in a few queries, whatever their number, and notes every object
and every set it handed out. That record is the document's *dependency set*:
when any of those objects changes, the delivery store re-renders exactly the
documents that recorded it (delivery/store.py).

Dependency kinds: ``page``, ``person``, ``film``, ``festival``, ``image``,
``document``, ``tag`` (one object each) and ``film_pages`` (the set of public
pages about a film, behind every "related" list). A page's ancestors are
recorded by its tree path, stored beside the document.
"""

import re
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from wagtail.documents import get_document_model
from wagtail.models import Page

from reviews.images import absolute_media_url, image_representation, load_public_images, public_media
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
from reviews.serializers import type_label

from .links import api_url, frontend_url, publisher

PAGE_LINK = re.compile(r'linktype="page"[^>]*?\bid="(\d+)"|\bid="(\d+)"[^>]*?linktype="page"')
DOCUMENT_LINK = re.compile(r'linktype="document"[^>]*?\bid="(\d+)"|\bid="(\d+)"[^>]*?linktype="document"')


class PageRef(NamedTuple):
    """A page another page points at (a link, a related page): what a reference shows, no model."""

    pk: int
    title: str
    url_path: str
    content_type_id: int
    film_id: int | None  # reviews and interviews only
    summary: str | None  # reviews and interviews only
    hero_image_id: int | None  # reviews and interviews only

    @property
    def url(self):
        """The page on the frontend."""
        return frontend_url(self.url_path)


class Loader:
    """Bulk-loaded images, people, films, referenced pages and documents for ``objects``.

    ``objects`` may mix pages, people and films; each kind contributes the ids it
    refers to. Loading is lazy per kind, so a document that never shows related
    pages never pays for them. ``draft=True`` (preview) reads a page's relations
    from the unsaved object, never from the database.
    """

    def __init__(self, objects=(), draft=False):
        self.draft = draft
        self.objects = list(objects)
        self.editorial = [obj for obj in self.objects if isinstance(obj, EditorialPage)]
        self.dependencies = set()
        self._images = None
        self._broken = {}  # image id -> why its renditions could not be made
        self._image_objects = {}
        self._pages = None
        self._related = None
        self._link_targets = {}
        self._documents = None
        if self.editorial and not draft:
            self._prefetch_editorial_relations()

    def depends_on(self, kind, pk):
        """Record that the document being built shows object ``pk`` of ``kind``."""
        if pk is not None:
            self.dependencies.add((kind, int(pk)))

    @contextmanager
    def recording(self):
        """Record what one document reads apart from the others built with this loader:
        ``with loader.recording() as dependencies: render(page, loader)``."""
        outer, self.dependencies = self.dependencies, set()
        try:
            yield self.dependencies
        finally:
            self.dependencies = outer

    # --- URLs and types --------------------------------------------------------

    api_url = staticmethod(api_url)
    frontend_url = staticmethod(frontend_url)
    publisher = staticmethod(publisher)

    @staticmethod
    def type_of(content_type_id):
        """``"reviews.ReviewPage"`` for a page content type id (cached by Django)."""
        return type_label(ContentType.objects.get_for_id(content_type_id).model_class())

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

    @staticmethod
    def film(page):
        return page.film if page.film_id else None

    @staticmethod
    def festival(page):
        return page.festival if page.festival_id else None

    @staticmethod
    def directors(film):
        return [link.person for link in film.directors.all()]

    @staticmethod
    def people(page, relation):
        """The people of an ordered byline relation (``authors``, ``interviewees``)."""
        return [link.person for link in getattr(page, relation).all()]

    def tags(self, page):
        """Tag names, alphabetical."""
        items = sorted(page.tagged_items.all(), key=lambda item: item.tag.name)
        for item in items:
            self.depends_on("tag", item.tag_id)
        return [item.tag.name for item in items]

    # --- images ---------------------------------------------------------------

    def image(self, image_id):
        """The image object for ``image_id``, or None if missing or not public (memoized)."""
        if not image_id:
            return None
        self.depends_on("image", image_id)
        if image_id not in self._image_objects:
            image = self.image_object(image_id)
            self._image_objects[image_id] = image_representation(image) if image is not None else None
        return self._image_objects[image_id]

    def image_object(self, image_id):
        """The Image instance (public only, renditions attached)."""
        self._load_images([image_id])
        if image_id in self._broken:
            raise self._broken[image_id]
        return self._images.get(image_id)

    def _load_images(self, image_ids):
        """Load the images of ``image_ids`` not loaded yet, in one go (the first call loads
        every image the objects refer to up front)."""
        if self._images is None:
            self._images = {}
            image_ids = {*image_ids, *self._image_ids()}
        # Ids not public (or gone) are remembered as None: asked again, they cost no query.
        missing = {pk for pk in image_ids if pk and pk not in self._images and pk not in self._broken}
        if not missing:
            return
        try:
            loaded = load_public_images(missing)
        except OSError:  # Wagtail's SourceImageIOError: a file missing or unreadable
            # It must fail only the documents that show that image, not whichever document
            # of the batch loaded the images first: find it, one image at a time.
            loaded = {}
            for pk in missing:
                try:
                    loaded.update(load_public_images([pk]))
                except OSError as exc:
                    self._broken[pk] = exc
        self._images.update({pk: loaded.get(pk) for pk in missing if pk not in self._broken})

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
        self.depends_on("page", page_id)
        page = self._referenced_pages().get(int(page_id))
        return frontend_url(page.url_path) if page is not None else None

    def related(self, page):
        """Related pages of ``page``: hand-made links first, then same film (their hero
        images loaded together, for the cards' thumbnails)."""
        self.depends_on("film_pages", page.film_id)
        self._referenced_pages()
        # Every page it links to, shown or not: one that is not public now may become so.
        for target in self._link_targets.get(page.pk, ()):
            self.depends_on("page", target)
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
        self._link_targets = {}
        for page_id, target in link_rows:
            self._link_targets.setdefault(page_id, []).append(target)
        linked_ids = {int(pk) for pk in self._rich_text_ids(PAGE_LINK)}
        linked_ids.update(target for _, target in link_rows)
        film_ids = {page.film_id for page in self.editorial if page.film_id}
        wanted = Q(pk__in=linked_ids)
        if film_ids:
            # An IN over the indexed film column (not an OR across a join), so the
            # database looks up a handful of rows instead of scanning every page.
            wanted |= Q(pk__in=EditorialPage.objects.filter(film_id__in=film_ids).values("pk"))
        rows = (
            public_pages(Page)
            .filter(wanted)
            .annotate(
                film_id=F("editorialpage__film_id"),
                summary=F("editorialpage__summary"),
                hero_image_id=F("editorialpage__hero_image_id"),
            )
            .order_by("-first_published_at", "pk")
            .values_list(*PageRef._fields)
            if linked_ids or film_ids
            else []
        )
        self._pages = {row[0]: PageRef(*row) for row in rows}
        self._related = self._related_by_page(link_rows)
        self._load_images(ref.hero_image_id for refs in self._related.values() for ref in refs)
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
        self.depends_on("document", document_id)
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
