"""People and films are searchable snippets in the admin."""

import pytest

from people.factories import PersonFactory
from reviews.factories import FilmFactory

pytestmark = pytest.mark.django_db


def test_people_are_searchable_by_name(admin_client):
    PersonFactory(name="Alison Klayman")
    PersonFactory(name="Benh Zeitlin")
    response = admin_client.get("/admin/snippets/people/person/", {"q": "Klayman"})
    assert response.status_code == 200
    assert b"Alison Klayman" in response.content
    assert b"Benh Zeitlin" not in response.content


def test_films_are_searchable_by_title(admin_client):
    FilmFactory(title="Ai Weiwei: Never Sorry")
    FilmFactory(title="Grabbers")
    response = admin_client.get("/admin/snippets/reviews/film/", {"q": "weiwei"})
    assert response.status_code == 200
    assert b"Ai Weiwei: Never Sorry" in response.content
    assert b"Grabbers" not in response.content


def test_a_person_gets_a_slug_and_public_links():
    person = PersonFactory(name="Maya Okafor", x="@maya", public_email="maya@example.com", bluesky="")
    assert person.slug == "maya-okafor"
    assert person.links == {"email": "mailto:maya@example.com", "x": "https://x.com/maya"}
    assert PersonFactory(name="Maya Okafor").slug == "maya-okafor-2"
