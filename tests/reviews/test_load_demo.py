"""The demo loader builds a realistic set once, and only once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model

from people.models import Person
from reviews.models import Film, InterviewPage, ReviewPage

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Person, Film, ReviewPage, InterviewPage, get_image_model())
    }


def test_load_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first["ReviewPage"] >= 9 and first["InterviewPage"] >= 4


def test_the_flagship_review_is_complete(settings):
    settings.DEBUG = True
    call_command("load_demo")
    review = ReviewPage.objects.get(slug="ai-weiwei-never-sorry")
    assert review.live
    assert review.grade_letter == "A-"
    assert str(review.festival) == "SIFF 2012"
    assert review.film.release_year == 2012
    assert [d.person.name for d in review.film.directors.all()] == ["Alison Klayman"]
    assert review.film.poster is not None
    blocks = [block.block_type for block in review.body]
    assert blocks.count("image") == 2 and "pull_quote" in blocks
    interview = InterviewPage.objects.get(slug="alison-klayman-interview")
    assert f'linktype="page" id="{interview.pk}"' in str(review.body.raw_data)
    assert [page.pk for page in review.get_related_pages()] == [interview.pk]
    assert review.ordered_authors[0].bio


def test_load_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_demo_logins_cover_each_role(settings, client):
    """`make run` prints these logins: one per role, so moderation can be tried locally."""
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # idempotent for logins too

    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["admin"].is_superuser
    assert [g.name for g in users["editor"].groups.all()] == ["Editors"]
    assert [g.name for g in users["critic"].groups.all()] == ["Critics"]
    for username in ("admin", "editor", "critic"):
        assert client.login(username=username, password="marquee-demo")


def test_the_demo_critic_login_writes_as_a_demo_critic(settings):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # idempotent: still one person for the login

    person = Person.objects.get(user__username="critic")
    assert person.name == "Maya Okafor"
    assert person.roles.filter(slug="critic").exists()
