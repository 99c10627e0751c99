"""Choosers that create: a missing film, festival or person is added from inside the page editor.

Through the admin's chooser URLs, as the page editor's modal calls them: the
"choose" view renders the tabs, the "create" view answers a submitted form with
either the chosen item or the form again with its errors. Validation is the
snippet form's own, checked here against the snippet add view with the same input.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from people.models import Person, Role
from reviews.factories import FestivalFactory
from reviews.models import Festival, Film
from tests.accounts import user_in

pytestmark = pytest.mark.django_db

FILM_CHOOSER = "wagtailsnippetchoosers_reviews_film"
FESTIVAL_CHOOSER = "wagtailsnippetchoosers_reviews_festival"
PERSON_CHOOSER = "wagtailsnippetchoosers_people_person"
BYLINE_CHOOSER = "people_byline_chooser"

NEW_FILM = {
    "title": "Ai Weiwei: Never Sorry",
    "original_title": "",
    "release_year": "2012",
    "runtime_minutes": "91",
    "countries": "USA",
    "synopsis": "The artist against the state.",
}


@pytest.fixture
def logins():
    call_command("setup_roles", stdout=StringIO())
    return {"editor": user_in("Editors", "eddie"), "critic": user_in("Critics", "cora")}


def as_user(client, user):
    client.force_login(user)
    return client


def chooser_tabs(client, chooser, **params):
    """What the modal shows: (status, creation form or None, create button label)."""
    response = client.get(reverse(f"{chooser}:choose"), params)
    context = response.context or {}
    return response.status_code, context.get("creation_form"), context.get("create_action_label")


def create(client, chooser, data, **params):
    """POST the "Create" tab's form: (status, modal workflow JSON)."""
    url = reverse(f"{chooser}:create")
    if params:
        url += "?" + "&".join(f"{name}={value}" for name, value in params.items())
    response = client.post(url, data)
    return response.status_code, (response.json() if response.status_code == 200 else None)


def snippet_add_errors(client, app, model_name, data):
    """The field errors the snippet's own add view gives for ``data``."""
    response = client.post(reverse(f"wagtailsnippets_{app}_{model_name}:add"), data)
    return response.context["form"].errors


# --- Who sees a "Create" tab --------------------------------------------------------------


@pytest.mark.parametrize(
    ("chooser", "label"),
    [
        (FILM_CHOOSER, "Add film"),
        (FESTIVAL_CHOOSER, "Add festival"),
        (PERSON_CHOOSER, "Add person"),
        (BYLINE_CHOOSER, "Add critic"),
    ],
)
def test_an_editor_can_create_from_every_chooser(client, logins, chooser, label):
    status, form, action = chooser_tabs(as_user(client, logins["editor"]), chooser)
    assert status == 200
    assert form is not None
    assert action == label


@pytest.mark.parametrize("chooser", [FILM_CHOOSER, FESTIVAL_CHOOSER])
def test_a_critic_can_create_films_and_festivals(client, logins, chooser):
    _, form, _ = chooser_tabs(as_user(client, logins["critic"]), chooser)
    assert form is not None


@pytest.mark.parametrize("chooser", [PERSON_CHOOSER, BYLINE_CHOOSER])
def test_a_critic_chooses_people_but_cannot_create_them(client, logins, chooser):
    status, form, _ = chooser_tabs(as_user(client, logins["critic"]), chooser)
    assert status == 200
    assert form is None
    response = client.post(reverse(f"{chooser}:create"), {"name": "Someone New"})
    assert response.status_code == 302  # the admin's answer to a refused action: back to the dashboard
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not Person.objects.filter(name="Someone New").exists()


def test_the_film_form_asks_only_for_what_a_modal_can_hold(client, logins):
    _, form, _ = chooser_tabs(as_user(client, logins["editor"]), FILM_CHOOSER)
    assert list(form.fields) == list(NEW_FILM)  # no directors formset, no poster chooser


# --- Creating ------------------------------------------------------------------------------


def test_a_critic_adds_a_missing_film_and_it_is_chosen(client, logins):
    status, answer = create(as_user(client, logins["critic"]), FILM_CHOOSER, NEW_FILM)
    assert status == 200
    assert answer["step"] == "chosen"
    film = Film.objects.get(title=NEW_FILM["title"])
    assert answer["result"]["id"] == str(film.pk)
    assert answer["result"]["string"] == "Ai Weiwei: Never Sorry (2012)"
    assert (film.release_year, film.runtime_minutes, film.slug) == (2012, 91, "ai-weiwei-never-sorry-2012")


def test_a_critic_adds_a_festival(client, logins):
    status, answer = create(
        as_user(client, logins["critic"]),
        FESTIVAL_CHOOSER,
        {"name": "SIFF", "year": "2012", "city": "Seattle"},
    )
    assert (status, answer["step"]) == (200, "chosen")
    assert Festival.objects.get(pk=answer["result"]["id"]).slug == "siff-2012"


def test_an_editor_adds_a_critic_from_the_byline_chooser(client, logins):
    editor = as_user(client, logins["editor"])
    _, form, _ = chooser_tabs(editor, BYLINE_CHOOSER, multiple=1)
    critic_role = Role.objects.get(slug=Role.CRITIC)
    assert form["roles"].initial == [critic_role.pk]  # a byline is a critic's

    data = {"name": "Spencer Whitlock", "roles": [critic_role.pk], "bio": "Grew up in New Mexico."}
    status, answer = create(editor, BYLINE_CHOOSER, data, multiple=1)
    assert (status, answer["step"]) == (200, "chosen")
    person = Person.objects.get(name="Spencer Whitlock")
    assert answer["result"] == [
        {
            "id": str(person.pk),
            "string": "Spencer Whitlock",
            "edit_url": f"/admin/snippets/people/person/edit/{person.pk}/",
        }
    ]  # a list: the byline panel chooses several
    assert [role.slug for role in person.roles.all()] == [Role.CRITIC]
    assert person.slug == "spencer-whitlock"


def test_a_person_added_from_a_director_chooser_starts_without_roles(client, logins):
    _, form, _ = chooser_tabs(as_user(client, logins["editor"]), PERSON_CHOOSER)
    assert not form["roles"].initial


# --- Same validation as the snippet form -------------------------------------------------


INVALID = [
    pytest.param(FILM_CHOOSER, "reviews", "film", {**NEW_FILM, "title": ""}, id="film-without-title"),
    pytest.param(FILM_CHOOSER, "reviews", "film", {**NEW_FILM, "release_year": "1700"}, id="film-year"),
    pytest.param(FILM_CHOOSER, "reviews", "film", {**NEW_FILM, "runtime_minutes": "0"}, id="film-runtime"),
    pytest.param(FESTIVAL_CHOOSER, "reviews", "festival", {"name": "SIFF", "year": "2012"}, id="duplicate"),
    pytest.param(FESTIVAL_CHOOSER, "reviews", "festival", {"name": "", "year": "99999"}, id="festival"),
    pytest.param(PERSON_CHOOSER, "people", "person", {"name": ""}, id="person-without-name"),
]


@pytest.mark.parametrize(("chooser", "app", "model_name", "data"), INVALID)
def test_the_chooser_refuses_what_the_snippet_form_refuses(client, logins, chooser, app, model_name, data):
    FestivalFactory(name="SIFF", year=2012)  # the "duplicate" case
    editor = as_user(client, logins["editor"])
    count = Film.objects.count() + Festival.objects.count() + Person.objects.count()

    response = editor.post(reverse(f"{chooser}:create"), data)
    assert response.status_code == 200
    assert response.json()["step"] == "reshow_creation_form"
    chooser_errors = response.context["creation_form"].errors

    assert chooser_errors
    snippet_errors = snippet_add_errors(editor, app, model_name, data)
    assert chooser_errors == {name: snippet_errors[name] for name in chooser_errors}
    assert Film.objects.count() + Festival.objects.count() + Person.objects.count() == count
