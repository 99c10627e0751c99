"""How a person appears in the public JSON, typed (built by people/serializers.py)."""

from shapes.base import Id, PlainText, Shape, Slug, Url, omittable
from shapes.media import Image


class PersonSummary(Shape):
    """A director on a film: ``{"id": 3, "name": "Alison Klayman", "slug": "alison-klayman"}``."""

    id: Id
    name: PlainText
    slug: Slug


class PersonLinks(Shape):
    """Public links as absolute URLs, keyed by platform; a platform without a link is absent."""

    website: Url = omittable()
    email: Url = omittable()
    bluesky: Url = omittable()
    instagram: Url = omittable()
    letterboxd: Url = omittable()
    x: Url = omittable()


class Person(PersonSummary):
    """A critic or an interviewee, as bylines show them."""

    bio: PlainText
    photo: Image | None
    links: PersonLinks
    detail_url: Url
    pages_url: Url
