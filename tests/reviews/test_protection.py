"""Deleting a person or film that content depends on is refused, never cascaded."""

import pytest
from django.db.models import ProtectedError

from people.factories import CriticFactory, PersonFactory
from reviews.factories import FilmFactory, InterviewPageFactory, ReviewPageFactory
from reviews.models import ReviewPage

pytestmark = pytest.mark.django_db


def test_a_critic_with_a_review_cannot_be_deleted():
    critic = CriticFactory()
    ReviewPageFactory(authors=[critic])
    with pytest.raises(ProtectedError):
        critic.delete()
    assert ReviewPage.objects.count() == 1


def test_an_interviewee_cannot_be_deleted():
    person = PersonFactory()
    InterviewPageFactory(interviewees=[person])
    with pytest.raises(ProtectedError):
        person.delete()


def test_a_director_cannot_be_deleted_while_a_film_names_them():
    director = PersonFactory()
    FilmFactory(directors=[director])
    with pytest.raises(ProtectedError):
        director.delete()


def test_a_reviewed_film_cannot_be_deleted():
    review = ReviewPageFactory()
    with pytest.raises(ProtectedError):
        review.film.delete()
    assert ReviewPage.objects.filter(pk=review.pk).exists()


def test_an_unused_person_can_be_deleted():
    PersonFactory().delete()


def test_the_admin_refuses_with_a_message(admin_client):
    critic = CriticFactory(name="Spencer Whitlock")
    review = ReviewPageFactory(authors=[critic])

    url = f"/admin/snippets/people/person/delete/{critic.pk}/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"cannot be deleted" in page.content.lower() or b"is referenced" in page.content.lower()

    admin_client.post(url)
    assert type(critic).objects.filter(pk=critic.pk).exists()
    assert ReviewPage.objects.get(pk=review.pk).ordered_authors == [critic]

    film_url = f"/admin/snippets/reviews/film/delete/{review.film.pk}/"
    admin_client.post(film_url)
    assert type(review.film).objects.filter(pk=review.film.pk).exists()
