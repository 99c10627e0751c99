"""Small DRF fields that turn content into the JSON clients render.

Each reads from the response's bulk-loaded data (api/prefetch.py), so no
field queries per item. The docstring of each shows what it emits.
"""

from django.contrib.contenttypes.models import ContentType
from rest_framework.fields import Field

from reviews.grades import Grade

from .links import api_url, frontend_url


def active():
    """The response's bulk-loaded data (imported late: api.prefetch imports the models)."""
    from .prefetch import active as active_response_data

    return active_response_data()


class WholeObjectField(Field):
    """Base for fields computed from the whole object rather than one attribute."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance


class ImageField(Field):
    """An image foreign key as the full image object (see api/images.py), or null.

    ``"hero_image": {"id": 7, "title": "…", "alt": "…", "renditions": {…}, "srcset": "…"}``
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, f"{self.source}_id")

    def to_representation(self, image_id):
        return active().image(image_id)


class ThumbnailField(WholeObjectField):
    """The hero image's thumbnail rendition, for light listings.

    ``"thumbnail": {"url": "…", "width": 320, "height": 180, "format": "webp"}``
    """

    def to_representation(self, page):
        image = active().image(page.hero_image_id)
        return image["renditions"]["thumbnail"] if image else None


class SocialImageField(WholeObjectField):
    """The image for social cards: ``social_image`` if set, else the hero image."""

    def to_representation(self, page):
        return active().image(page.social_image_id or page.hero_image_id)


class GradeField(Field):
    """``"grade": "A-"``: the letter as readers see it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return Grade(value).label


class GradeScoreField(Field):
    """``"grade_score": 10``: the grade as a number, A+ = 12 … F = 0, for sorting.

    Declared with ``source="grade"``.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return int(value)


def person_summary(person):
    """``{"id": 3, "name": "Alison Klayman", "slug": "alison-klayman"}``"""
    return {"id": person.pk, "name": person.name, "slug": person.slug}


def person_representation(person, request=None):
    """The full person object used for bylines, interviewees and the people endpoint.

    ``{"id", "name", "slug", "bio", "photo": <image>|null, "links": {"website": "…", …},
    "detail_url": "…/api/v2/people/3/", "pages_url": "…/api/v2/pages/?person=3"}``
    """
    return {
        **person_summary(person),
        "bio": person.bio,
        "photo": active().image(person.photo_id),
        "links": person.links,
        "detail_url": api_url("wagtailapi_v2:people:detail", person.pk),
        "pages_url": api_url("wagtailapi_v2:pages:listing") + f"?person={person.pk}",
    }


def film_representation(film):
    """The film object nested in reviews and interviews, and served by the films endpoint.

    ``{"id", "title", "original_title", "slug", "year", "runtime_minutes", "countries": [],
    "directors": [{"id", "name", "slug"}], "poster": <image>|null, "synopsis",
    "external_ids": {"imdb": "tt…", "tmdb": 123, "wikidata": "Q…"}, "detail_url"}``
    """
    return {
        "id": film.pk,
        "title": film.title,
        "original_title": film.original_title,
        "slug": film.slug,
        "year": film.release_year,
        "runtime_minutes": film.runtime_minutes,
        "countries": film.country_list,
        "directors": [person_summary(link.person) for link in film.directors.all()],
        "poster": active().image(film.poster_id),
        "synopsis": film.synopsis,
        "external_ids": {
            "imdb": film.imdb_id or None,
            "tmdb": film.tmdb_id,
            "wikidata": film.wikidata_id or None,
        },
        "detail_url": api_url("wagtailapi_v2:films:detail", film.pk),
    }


def festival_representation(festival):
    """``{"id": 1, "name": "SIFF", "year": 2012, "city": "Seattle", "slug": "siff-2012"}``"""
    return {
        "id": festival.pk,
        "name": festival.name,
        "year": festival.year,
        "city": festival.city,
        "slug": festival.slug,
    }


def page_link(page):
    """A reference to another page: ``{"id", "type", "title", "url", "detail_url"}``."""
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    return {
        "id": page.pk,
        "type": f"{model._meta.app_label}.{model.__name__}",
        "title": page.title,
        "url": frontend_url(page.url_path),
        "detail_url": api_url("wagtailapi_v2:pages:detail", page.pk),
    }


class FilmField(Field):
    """The film, nested (see :func:`film_representation`), or null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, film):
        return film_representation(film)


class FilmTitleField(WholeObjectField):
    """``"film_title": "Ai Weiwei: Never Sorry"`` for light listings (null if no film)."""

    def to_representation(self, page):
        return page.film.title if page.film_id else None


class FestivalField(Field):
    """The festival (see :func:`festival_representation`), or null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, festival):
        return festival_representation(festival)


class PeopleField(Field):
    """An ordered byline relation as a list of full person objects."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, links):
        return [person_representation(link.person) for link in links.all()]


class PeopleNamesField(Field):
    """``"author_names": ["Spencer Whitlock"]`` for light listings."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, links):
        return [link.person.name for link in links.all()]


class TagsField(WholeObjectField):
    """``"tags": ["documentary", "siff-2012"]``, alphabetical."""

    def to_representation(self, page):
        return [item.tag.name for item in page.tagged_items.all()]


class RelatedPagesField(WholeObjectField):
    """Hand-linked pages first, then other public pages about the same film.

    ``"related": [{"id": 15, "type": "reviews.InterviewPage", "title": "…", "url": "…", "detail_url": "…"}]``
    """

    def to_representation(self, page):
        return [page_link(other) for other in active().related(page)]


class FrontendURLField(WholeObjectField):
    """The page's URL on the public frontend (``FRONTEND_BASE_URL``), not on Django."""

    def to_representation(self, page):
        return frontend_url(page.url_path)


class SeoTitleField(WholeObjectField):
    """``seo_title`` if the editor set one, else the title."""

    def to_representation(self, page):
        return page.seo_title or page.title


class SearchDescriptionField(WholeObjectField):
    """``search_description`` if the editor set one, else the summary."""

    def to_representation(self, page):
        return page.search_description or getattr(page, "summary", "")
