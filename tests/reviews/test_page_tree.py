"""Editors can only build Home → sections (review/interview indexes) → review/interview pages."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from reviews.models import (
    EditorialPage,
    HomePage,
    InterviewIndexPage,
    InterviewPage,
    ReviewIndexPage,
    ReviewPage,
)


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_sits_at_the_root_and_holds_only_sections(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {ReviewIndexPage, InterviewIndexPage})

    def test_reviews_live_only_under_the_reviews_index(self):
        self.assertAllowedParentPageTypes(ReviewPage, {ReviewIndexPage})
        self.assertAllowedSubpageTypes(ReviewIndexPage, {ReviewPage})
        self.assertAllowedSubpageTypes(ReviewPage, set())

    def test_interviews_live_only_under_the_interviews_index(self):
        self.assertAllowedParentPageTypes(InterviewPage, {InterviewIndexPage})
        self.assertAllowedSubpageTypes(InterviewIndexPage, {InterviewPage})
        self.assertAllowedSubpageTypes(InterviewPage, set())

    def test_the_shared_base_is_not_creatable(self):
        self.assertFalse(EditorialPage.is_creatable)

    def test_migrations_build_the_site_tree(self):
        home = HomePage.objects.get()
        self.assertEqual(
            [type(child.specific) for child in home.get_children()],
            [ReviewIndexPage, InterviewIndexPage],
        )
        self.assertTrue(home.sites_rooted_here.filter(is_default_site=True).exists())

    def test_only_one_home_page(self):
        # Sections may be added (tests/reviews/test_sections.py); the home page may not.
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
