"""Editors can create every page type with every body block through the page editor."""

import wagtail_factories
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from people.factories import CriticFactory, PersonFactory
from reviews.factories import FestivalFactory, FilmFactory
from reviews.models import Grade, InterviewIndexPage, InterviewPage, ReviewIndexPage, ReviewPage


def image_block(image, alt_text="A still", decorative=False):
    return {
        "image": image.pk,
        "alt_text": alt_text,
        "decorative": decorative,
        "caption": "Cap",
        "credit": "Cred",
        "layout": "wide",
    }


class EditorCreatesPagesTests(WagtailPageTestCase):
    def setUp(self):
        self.user = self.login()
        self.critic = CriticFactory(name="Spencer Whitlock")
        self.film = FilmFactory(title="Ai Weiwei: Never Sorry")
        self.image = wagtail_factories.ImageFactory()

    def review_form(self, **overrides):
        data = {
            "title": "Ai Weiwei: Never Sorry",
            "slug": "ai-weiwei-never-sorry",
            "summary": "A thriller with the state as antagonist.",
            "film": self.film.pk,
            "grade": Grade.A_MINUS,
            "festival": FestivalFactory().pk,
            "authors": inline_formset([{"person": self.critic.pk}]),
            "related_links": inline_formset([]),
            "tags": "documentary, siff-2012",
            "body": streamfield(
                [
                    ("text", rich_text("<p>Some <b>bold</b> prose.</p>")),
                    ("image", image_block(self.image)),
                    ("pull_quote", {"quote": "A line worth repeating.", "attribution": "Spencer"}),
                ]
            ),
        }
        data.update(overrides)
        return nested_form_data(data)

    def test_can_create_a_review_with_text_image_and_pull_quote(self):
        self.assertCanCreate(ReviewIndexPage.objects.get(), ReviewPage, self.review_form())
        review = ReviewPage.objects.get(slug="ai-weiwei-never-sorry")
        self.assertEqual([block.block_type for block in review.body], ["text", "image", "pull_quote"])
        self.assertEqual(review.grade_letter, "A-")
        self.assertEqual(review.ordered_authors, [self.critic])
        self.assertEqual(set(review.tags.names()), {"documentary", "siff-2012"})

    def test_can_create_an_interview_with_question_and_answer(self):
        interviewee = PersonFactory(name="Alison Klayman")
        form = nested_form_data(
            {
                "title": "Alison Klayman on filming Ai Weiwei",
                "slug": "alison-klayman-interview",
                "summary": "On access.",
                "film": self.film.pk,
                "interviewees": inline_formset([{"person": interviewee.pk}]),
                "authors": inline_formset([{"person": self.critic.pk}]),
                "related_links": inline_formset([]),
                "body": streamfield(
                    [
                        ("text", rich_text("<p>Intro.</p>")),
                        ("image", image_block(self.image)),
                        ("pull_quote", {"quote": "Keep the camera running.", "attribution": "AK"}),
                        (
                            "question_answer",
                            {"question": "How?", "answer": rich_text("<p>Patiently.</p>"), "speaker": ""},
                        ),
                    ]
                ),
            }
        )
        self.assertCanCreate(InterviewIndexPage.objects.get(), InterviewPage, form)
        interview = InterviewPage.objects.get(slug="alison-klayman-interview")
        self.assertEqual(interview.body[3].block_type, "question_answer")

    def post_review(self, form):
        parent = ReviewIndexPage.objects.get()
        # Wagtail defers required-field validation for drafts; publishing enforces it.
        form["action-publish"] = "publish"
        return self.client.post(f"/admin/pages/add/reviews/reviewpage/{parent.pk}/", form)

    def test_a_review_without_a_film_is_refused(self):
        response = self.post_review(self.review_form(film=""))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ReviewPage.objects.exists())
        self.assertIn("film", response.context["form"].errors)

    def test_an_image_without_any_alt_text_is_refused_unless_decorative(self):
        """Blank alt text is the image's own description; this image has none."""
        body_without_alt = streamfield([("image", image_block(self.image, alt_text=""))])
        response = self.post_review(self.review_form(body=body_without_alt))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ReviewPage.objects.exists())
        self.assertContains(response, "This image has no description: add alt text")

        decorative = streamfield([("image", image_block(self.image, alt_text="", decorative=True))])
        self.assertCanCreate(ReviewIndexPage.objects.get(), ReviewPage, self.review_form(body=decorative))

    def test_a_review_needs_at_least_one_critic(self):
        response = self.post_review(self.review_form(authors=inline_formset([])))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ReviewPage.objects.exists())

    def test_the_editor_shows_the_tabs(self):
        parent = ReviewIndexPage.objects.get()
        response = self.client.get(f"/admin/pages/add/reviews/reviewpage/{parent.pk}/")
        self.assertContains(response, "SEO and related")
        self.assertContains(response, "Publishing")
