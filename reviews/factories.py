"""Test data for the reviews app. Pages are created under the migrated site tree."""

import factory
import wagtail_factories

from people.factories import CriticFactory, PersonFactory

from .models import (
    EditorialPageAuthor,
    Festival,
    Film,
    FilmDirector,
    Grade,
    InterviewIndexPage,
    InterviewPage,
    InterviewPageInterviewee,
    ReviewIndexPage,
    ReviewPage,
)


class FilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Film
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Film {n}")
    release_year = 2012
    runtime_minutes = 95
    countries = "USA"
    synopsis = factory.Faker("sentence")
    poster = factory.SubFactory(wagtail_factories.ImageFactory)

    @factory.post_generation
    def directors(self, create, extracted, **kwargs):
        """``FilmFactory(directors=[person, …])``; one new director by default."""
        if not create:
            return
        people = extracted if extracted is not None else [PersonFactory(roles=["director"])]
        for n, person in enumerate(people):
            FilmDirector.objects.create(film=self, person=person, sort_order=n)


class FestivalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Festival
        django_get_or_create = ("name", "year")

    name = "SIFF"
    year = 2012
    city = "Seattle"


def body(images=(), paragraphs=1, quotes=1):
    """Raw StreamField data: paragraphs, the given images, then pull quotes."""
    blocks = [{"type": "text", "value": f"<p>Paragraph {n}.</p>"} for n in range(paragraphs)]
    blocks += [
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "alt_text": "A still",
                "decorative": False,
                "caption": "Caption",
                "credit": "Credit",
            },
        }
        for image in images
    ]
    blocks += [
        {"type": "pull_quote", "value": {"quote": f"Quote {n}", "attribution": "Critic"}}
        for n in range(quotes)
    ]
    return blocks


class EditorialPageFactory(wagtail_factories.PageFactory):
    """Creates a live page; ``authors=[person, …]`` sets the byline (one critic by default)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Page {n}")
    summary = factory.Faker("sentence")
    film = factory.SubFactory(FilmFactory)
    hero_image = factory.SubFactory(wagtail_factories.ImageFactory)
    body = factory.LazyFunction(lambda: body())

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        people = extracted if extracted is not None else [CriticFactory()]
        for n, person in enumerate(people):
            EditorialPageAuthor.objects.create(page=self, person=person, sort_order=n)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)
            self.save()


class ReviewPageFactory(EditorialPageFactory):
    class Meta:
        model = ReviewPage

    parent = factory.LazyFunction(ReviewIndexPage.first_in_tree)
    grade = Grade.B


class InterviewPageFactory(EditorialPageFactory):
    class Meta:
        model = InterviewPage

    parent = factory.LazyFunction(InterviewIndexPage.first_in_tree)

    @factory.post_generation
    def interviewees(self, create, extracted, **kwargs):
        if not create:
            return
        people = extracted if extracted is not None else [PersonFactory(roles=["director"])]
        for n, person in enumerate(people):
            InterviewPageInterviewee.objects.create(page=self, person=person, sort_order=n)
