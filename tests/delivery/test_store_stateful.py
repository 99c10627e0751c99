"""Random editorial histories: after every step the store equals a fresh render of every
public page, and holds nothing else.

Hypothesis drives sequences of publish / edit / unpublish / move / restrict /
rename-person / change-image steps; the invariant is ``drift() == []``
(delivery/rebuild.py compares every stored document with a fresh render and the
stored ids with the public ones).
"""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from wagtail.models import PageViewRestriction

from delivery.rebuild import drift
from people.factories import CriticFactory
from reviews.factories import FilmFactory, InterviewPageFactory, ReviewPageFactory
from reviews.models import HomePage, ReviewIndexPage

pytestmark = pytest.mark.django_db


class EditorialHistory(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.home = HomePage.objects.first()
        self.sections = [ReviewIndexPage.objects.order_by("path").first()]
        # Examples share one test transaction: each gets its own second section.
        slug = f"dispatches-{ReviewIndexPage.objects.count()}"
        self.sections.append(self.home.add_child(instance=ReviewIndexPage(title="Dispatches", slug=slug)))
        self.critics = [CriticFactory() for _ in range(2)]
        self.films = [FilmFactory() for _ in range(2)]
        self.pages = []

    def _page(self, index):
        page = self.pages[index % len(self.pages)]
        page.refresh_from_db()
        return page

    @rule(film=st.integers(0, 1), critic=st.integers(0, 1), interview=st.booleans())
    def publish_new(self, film, critic, interview):
        factory = InterviewPageFactory if interview else ReviewPageFactory
        self.pages.append(factory(film=self.films[film], authors=[self.critics[critic]]))

    @rule(index=st.integers(0, 50), title=st.text("abcxyz ", min_size=1, max_size=12))
    def edit(self, index, title):
        if self.pages:
            page = self._page(index)
            page.title = title.strip() or "Untitled"
            page.save_revision().publish()

    @rule(index=st.integers(0, 50))
    def unpublish_or_republish(self, index):
        if self.pages:
            page = self._page(index)
            if page.live:
                page.unpublish()
            else:
                page.save_revision().publish()

    @rule(index=st.integers(0, 50), section=st.integers(0, 1))
    def move(self, index, section):
        if self.pages:
            page = self._page(index)
            target = self.sections[section]
            target.refresh_from_db()  # earlier moves changed its children count and tree fields
            if page.specific_class.__name__ == "ReviewPage" and page.get_parent().pk != target.pk:
                page.move(target, pos="last-child")

    @rule(section=st.integers(0, 1))
    def restrict_or_lift(self, section):
        page = self.sections[section]
        page.refresh_from_db()
        restriction = PageViewRestriction.objects.filter(page=page).first()
        if restriction is None:
            PageViewRestriction.objects.create(page=page, restriction_type="login")
        else:
            restriction.delete()

    @rule(critic=st.integers(0, 1), name=st.text("abcdefgh", min_size=1, max_size=10))
    def rename_person(self, critic, name):
        person = self.critics[critic]
        person.name = name
        person.save()

    @rule(film=st.integers(0, 1), title=st.text("posterabc", min_size=1, max_size=10))
    def change_image(self, film, title):
        poster = self.films[film].poster
        poster.title = title
        poster.save()

    @invariant()
    def store_equals_a_fresh_render(self):
        assert drift() == []


def test_the_store_follows_any_editorial_history():
    run_state_machine_as_test(
        EditorialHistory,
        settings=settings(
            max_examples=5,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
