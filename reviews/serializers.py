"""How films, festivals and pages appear in the public JSON.

A page's document is built here from the page and a ``loader`` (see
delivery/loader.py) that supplies everything outside the page's own row: its
film, people, tags, images, linked and related pages, URLs. The loader records
what it handed out, so the delivery store knows which documents to re-render
when any of it changes. Nothing here reads request state or queries per item.

``page_document(page, loader)`` returns every field a client may ask for
(``?fields=*``); ``DETAIL_EXCLUDED`` and ``listing_fields`` say which of them a
detail and a listing show by default.
"""

from collections.abc import Mapping
from datetime import UTC

from people.serializers import person_representation, person_summary

from .grades import Grade
from .structured_data import structured_data

# Meta fields (under "meta") in the order clients see them.
META_FIELDS = (
    "type",
    "detail_url",
    "html_url",
    "slug",
    "seo_title",
    "search_description",
    "first_published_at",
    "last_published_at",
)
LISTING_META_FIELDS = ("type", "detail_url", "html_url", "slug", "first_published_at")
# Light listing fields: shown by default in listings, left out of detail by default.
DETAIL_EXCLUDED = frozenset({"film_title", "author_names", "interviewee_names", "thumbnail"})


def type_label(model):
    """``"reviews.ReviewPage"``: the page type as clients name it in ``meta.type`` and ``?type=``."""
    return f"{model._meta.app_label}.{model.__name__}"


def api_datetime(value):
    """ISO 8601 in UTC with a ``Z``, as DRF writes it: ``"2012-06-13T10:00:00Z"``; None stays None."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def film_representation(film, loader):
    """The film object nested in reviews and interviews, and served by the films endpoint.

    ``{"id", "title", "original_title", "slug", "year", "runtime_minutes", "countries": [],
    "directors": [{"id", "name", "slug"}], "poster": <image>|null, "synopsis",
    "external_ids": {"imdb": "tt…", "tmdb": 123, "wikidata": "Q…"}, "detail_url"}``
    """
    loader.depends_on("film", film.pk)
    directors = loader.directors(film)
    for person in directors:
        loader.depends_on("person", person.pk)
    return {
        "id": film.pk,
        "title": film.title,
        "original_title": film.original_title,
        "slug": film.slug,
        "year": film.release_year,
        "runtime_minutes": film.runtime_minutes,
        "countries": film.country_list,
        "directors": [person_summary(person) for person in directors],
        "poster": loader.image(film.poster_id),
        "synopsis": film.synopsis,
        "external_ids": {
            "imdb": film.imdb_id or None,
            "tmdb": film.tmdb_id,
            "wikidata": film.wikidata_id or None,
        },
        "detail_url": loader.api_url("wagtailapi_v2:films:detail", film.pk),
    }


def festival_representation(festival, loader):
    """``{"id": 1, "name": "SIFF", "year": 2012, "city": "Seattle", "slug": "siff-2012"}``"""
    loader.depends_on("festival", festival.pk)
    return {
        "id": festival.pk,
        "name": festival.name,
        "year": festival.year,
        "city": festival.city,
        "slug": festival.slug,
    }


def page_link(ref, loader):
    """A reference to another page: ``{"id", "type", "title", "url", "detail_url"}``.

    ``ref`` is anything with ``pk``, ``title``, ``url_path`` and ``content_type_id``.
    """
    loader.depends_on("page", ref.pk)
    return {
        "id": ref.pk,
        "type": loader.type_of(ref.content_type_id),
        "title": ref.title,
        "url": loader.frontend_url(ref.url_path),
        "detail_url": loader.api_url("wagtailapi_v2:pages:detail", ref.pk),
    }


def related_card(ref, loader):
    """A related review or interview: its page link and what a card shows.

    ``{"id", "type", "title", "url", "detail_url", "summary", "thumbnail": <rendition>|null}``
    """
    image = loader.image(ref.hero_image_id)
    return {
        **page_link(ref, loader),
        "summary": ref.summary or "",
        "thumbnail": image["renditions"]["thumbnail"] if image else None,
    }


def page_document(page, loader):
    """Every public field of ``page``: ``{"id", "meta": {…}, "title", …}``.

    The fields after ``title`` follow the page model's ``api_fields`` (reviews/models.py),
    each built by the function of the same name in ``FIELD_BUILDERS`` from the page, or in
    ``DOCUMENT_BUILDERS`` from the document built so far.
    """
    html_url = loader.frontend_url(page.url_path)
    document = {
        "id": page.pk,
        "meta": {
            "type": type_label(type(page)),
            "detail_url": loader.api_url("wagtailapi_v2:pages:detail", page.pk),
            "html_url": html_url,
            "slug": page.slug,
            "seo_title": page.seo_title or page.title,
            "search_description": page.search_description or getattr(page, "summary", ""),
            "first_published_at": api_datetime(page.first_published_at),
            "last_published_at": api_datetime(page.last_published_at),
        },
        "title": page.title,
    }
    for name in api_field_names(type(page)):
        if name in DOCUMENT_BUILDERS:
            document[name] = DOCUMENT_BUILDERS[name](document, loader)
        else:
            document[name] = FIELD_BUILDERS[name](page, loader)
    return document


def api_field_names(model):
    """The model's public fields after ``title``, in contract order."""
    return [field.name for field in getattr(model, "api_fields", [])]


def listing_fields(model):
    """Fields a listing of ``model`` shows without ``?fields=``."""
    return ["id", "title", *getattr(model, "api_listing_fields", [])]


# --- one builder per api field -----------------------------------------------------


def _image_field(attribute):
    def build(page, loader):
        return loader.image(getattr(page, f"{attribute}_id"))

    return build


def lead_image(page, loader):
    """The image that stands for ``page`` in listings and on social cards, or None.

    The hero image; without one (or if it is not public), the first public image
    of the body; then the film's poster. Every candidate tried is a dependency,
    and so is the film: a new poster re-renders the pages that show it.
    """
    for image_id in (page.hero_image_id, *_body_image_ids(page)):
        image = loader.image(image_id)
        if image is not None:
            return image
    film = loader.film(page)
    if film is None:
        return None
    loader.depends_on("film", film.pk)
    return loader.image(film.poster_id)


def _body_image_ids(page):
    """Ids of the body's image blocks, in order, read from the raw data (no query)."""
    for block in page.body.raw_data:
        value = block.get("value")
        if block.get("type") == "image" and isinstance(value, Mapping) and value.get("image"):
            yield value["image"]


def _thumbnail(page, loader):
    """The lead image's thumbnail rendition: ``{"url", "width": 320, "height", "format": "webp"}``."""
    image = lead_image(page, loader)
    return image["renditions"]["thumbnail"] if image else None


def _social_image(page, loader):
    """The social image if one is chosen (and public), else the lead image."""
    return loader.image(page.social_image_id) or lead_image(page, loader)


def _people(relation):
    def build(page, loader):
        return [person_representation(person, loader) for person in loader.people(page, relation)]

    return build


def _people_names(relation):
    def build(page, loader):
        people = loader.people(page, relation)
        for person in people:
            loader.depends_on("person", person.pk)
        return [person.name for person in people]

    return build


def _film(page, loader):
    film = loader.film(page)
    return film_representation(film, loader) if film is not None else None


def _film_title(page, loader):
    film = loader.film(page)
    if film is None:
        return None
    loader.depends_on("film", film.pk)
    return film.title


def _festival(page, loader):
    festival = loader.festival(page)
    return festival_representation(festival, loader) if festival is not None else None


def _body(page, loader):
    return page.body.stream_block.get_api_representation(page.body, {"loader": loader})


def _related(page, loader):
    return [related_card(ref, loader) for ref in loader.related(page)]


FIELD_BUILDERS = {
    "summary": lambda page, loader: page.summary,
    "grade": lambda page, loader: Grade(page.grade).label,
    "grade_score": lambda page, loader: int(page.grade),
    "film": _film,
    "film_title": _film_title,
    "festival": _festival,
    "authors": _people("authors"),
    "author_names": _people_names("authors"),
    "interviewees": _people("interviewees"),
    "interviewee_names": _people_names("interviewees"),
    "hero_image": _image_field("hero_image"),
    "thumbnail": _thumbnail,
    "tags": lambda page, loader: loader.tags(page),
    "body": _body,
    "related": _related,
    "canonical_url": lambda page, loader: loader.frontend_url(page.url_path),
    "social_image": _social_image,
}

# Fields derived from the fields before them (``builder(document, loader)``).
DOCUMENT_BUILDERS = {
    "structured_data": structured_data,
}
