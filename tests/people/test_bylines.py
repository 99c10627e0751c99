"""Bylines are tied to logins: a critic writes as themselves, editors sign anyone.

Through the admin: the page editor's add and edit views, and the byline chooser.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from people.factories import CriticFactory, PersonFactory
from people.models import Person
from reviews.factories import FilmFactory, ReviewPageFactory
from reviews.models import Grade, ReviewIndexPage, ReviewPage
from tests.accounts import user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    call_command("setup_roles", stdout=StringIO())
    critic = user_in("Critics", "cora")
    return {
        "critic": critic,
        "editor": user_in("Editors", "eddie"),
        "cora": CriticFactory(name="Cora Lindqvist", user=critic),
        "colleague": CriticFactory(name="Bea Colleague"),
    }


@pytest.fixture
def index():
    return ReviewIndexPage.first_in_tree()


def review_form(authors, film=None, **overrides):
    data = {
        "title": "Night Train",
        "slug": "night-train",
        "summary": "A thriller on rails.",
        "film": (film or FilmFactory()).pk,
        "grade": Grade.B,
        "festival": "",
        "authors": authors,
        "related_links": inline_formset([]),
        "tags": "",
        "body": streamfield([("text", rich_text("<p>All aboard.</p>"))]),
    }
    data.update(overrides)
    return nested_form_data(data)


def new_byline(*people):
    return inline_formset([{"person": person.pk} for person in people])


def add_review(client, index, authors, action="action-submit"):
    return client.post(
        f"/admin/pages/add/reviews/reviewpage/{index.pk}/", {**review_form(authors), action: "1"}
    )


def starting_byline(client, index):
    response = client.get(f"/admin/pages/add/reviews/reviewpage/{index.pk}/")
    assert response.status_code == 200
    return [form.instance.person for form in response.context["form"].formsets["authors"].initial_forms]


def test_a_critics_new_review_starts_with_their_own_byline(newsroom, index, client):
    client.force_login(newsroom["critic"])
    assert starting_byline(client, index) == [newsroom["cora"]]


def test_a_new_review_by_an_unlinked_login_starts_with_an_empty_byline(newsroom, index, client):
    client.force_login(newsroom["editor"])
    assert starting_byline(client, index) == []


def test_a_critic_cannot_submit_under_someone_elses_byline(newsroom, index, client):
    client.force_login(newsroom["critic"])
    response = add_review(client, index, new_byline(newsroom["colleague"]))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not ReviewPage.objects.filter(slug="night-train").exists()


def test_a_critic_cannot_save_a_draft_under_someone_elses_byline(newsroom, index, client):
    client.force_login(newsroom["critic"])
    add_review(client, index, new_byline(newsroom["colleague"]), action="action-save")

    assert not ReviewPage.objects.filter(slug="night-train").exists()


def test_a_critic_submits_under_a_byline_that_includes_them(newsroom, index, client):
    client.force_login(newsroom["critic"])
    response = add_review(client, index, new_byline(newsroom["colleague"], newsroom["cora"]))

    assert response.status_code == 302
    review = ReviewPage.objects.get(slug="night-train")
    assert review.current_workflow_state.status == "in_progress"


def test_a_critic_without_a_linked_person_cannot_sign(newsroom, index, client):
    client.force_login(user_in("Critics", "nameless"))
    response = add_review(client, index, new_byline(newsroom["colleague"]))

    assert response.status_code == 200
    assert not ReviewPage.objects.filter(slug="night-train").exists()


def test_an_editor_may_publish_under_any_byline(newsroom, index, client):
    client.force_login(newsroom["editor"])
    response = add_review(client, index, new_byline(newsroom["colleague"]), action="action-publish")

    assert response.status_code == 302
    assert ReviewPage.objects.get(slug="night-train").ordered_authors == [newsroom["colleague"]]


def edit_review(client, review, authors):
    form = review_form(authors, film=review.film, title=review.title, slug=review.slug)
    return client.post(f"/admin/pages/{review.pk}/edit/", {**form, "action-submit": "1"})


def test_a_critic_may_edit_a_colleagues_review_leaving_its_byline_alone(newsroom, client):
    review = ReviewPageFactory(authors=[newsroom["colleague"]])
    link = review.authors.get()
    client.force_login(newsroom["critic"])
    byline = inline_formset([{"id": link.pk, "person": newsroom["colleague"].pk}], initial=1)

    assert edit_review(client, review, byline).status_code == 302


def test_a_critic_cannot_put_a_colleagues_review_under_another_name(newsroom, client):
    """Critics edit only their own pages, so a colleague's review is refused outright."""
    review = ReviewPageFactory(authors=[newsroom["colleague"]])
    client.force_login(newsroom["critic"])
    someone_else = CriticFactory(name="Someone Else")
    link = review.authors.get()
    byline = inline_formset([{"id": link.pk, "person": someone_else.pk}], initial=1)

    response = edit_review(client, review, byline)

    assert response.status_code == 302  # Wagtail's permission-denied redirect
    assert [a.person_id for a in review.authors.all()] == [newsroom["colleague"].pk]


def chooser_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.json()["html"]


def test_the_byline_chooser_lists_critics_first_with_photo_and_roles(newsroom, client):
    PersonFactory(name="Aaron Director", roles=["director"])
    client.force_login(newsroom["critic"])

    html = chooser_html(client, "/admin/people/byline-chooser/")

    assert html.index("Bea Colleague") < html.index("Cora Lindqvist") < html.index("Aaron Director")
    assert "Director" in html  # the role, not only the name
    assert html.count("<img") >= 3  # every person's photo


def test_the_review_editor_uses_the_byline_chooser(newsroom, index, client):
    client.force_login(newsroom["critic"])
    response = client.get(f"/admin/pages/add/reviews/reviewpage/{index.pk}/")

    assert "/admin/people/byline-chooser/" in response.content.decode()


def test_other_person_choosers_show_roles_too(newsroom, client):
    PersonFactory(name="Aaron Director", roles=["director"])
    client.force_login(newsroom["editor"])

    html = chooser_html(client, "/admin/snippets/choose/people/person/")

    assert html.index("Aaron Director") < html.index("Bea Colleague")  # by name
    assert "Director" in html


def test_an_editor_links_a_login_to_a_person(newsroom, client):
    client.force_login(get_user_model().objects.create_superuser("root", "", "a-long-password-1"))
    response = client.get(f"/admin/snippets/people/person/edit/{newsroom['colleague'].pk}/")

    assert 'name="user"' in response.content.decode()


def test_deleting_a_login_keeps_the_person(newsroom):
    newsroom["critic"].delete()

    assert Person.objects.get(pk=newsroom["cora"].pk).user is None
