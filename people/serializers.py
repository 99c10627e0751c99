"""How a person appears in the public JSON: bylines, interviewees, directors, /people/.

Everything that depends on the world outside the person (their photo's image
object, API URLs) comes from the ``loader`` the caller hands in (see
delivery/loader.py), so the same person renders the same in a request, a
background render or a test.
"""


def person_summary(person):
    """``{"id": 3, "name": "Alison Klayman", "slug": "alison-klayman"}``"""
    return {"id": person.pk, "name": person.name, "slug": person.slug}


def person_representation(person, loader):
    """The full person object used for bylines, interviewees and the people endpoint.

    ``{"id", "name", "slug", "bio", "photo": <image>|null, "links": {"website": "…", …},
    "detail_url": "…/api/v2/people/3/", "pages_url": "…/api/v2/pages/?person=3"}``
    """
    loader.depends_on("person", person.pk)
    return {
        **person_summary(person),
        "bio": person.bio,
        "photo": loader.image(person.photo_id),
        "links": person.links,
        "detail_url": loader.api_url("wagtailapi_v2:people:detail", person.pk),
        "pages_url": loader.api_url("wagtailapi_v2:pages:listing") + f"?person={person.pk}",
    }
