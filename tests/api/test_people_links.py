"""A person's links are web addresses a client can put in an ``href`` as they are.

``website`` is validated as an http(s) URL in the admin, but an import or a script
can store anything; the API serves it only if it is one.
"""

import pytest

from people.factories import PersonFactory
from reviews.factories import ReviewPageFactory

pytestmark = pytest.mark.django_db


def credited(**fields):
    """A person the API serves: people are public only while a public page credits them."""
    person = PersonFactory(**fields)
    ReviewPageFactory(authors=[person])
    return person


@pytest.mark.parametrize(
    "stored",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,x",
        "//evil.example/",
    ],
)
def test_a_website_that_is_not_a_web_address_is_not_served(api, stored):
    person = credited(website=stored)
    assert "website" not in api.get(f"/api/v2/people/{person.pk}/").data["links"]


def test_a_web_address_is_served_as_stored(api):
    person = credited(website="https://maya.example/films?page=2")
    assert (
        api.get(f"/api/v2/people/{person.pk}/").data["links"]["website"]
        == "https://maya.example/films?page=2"
    )
