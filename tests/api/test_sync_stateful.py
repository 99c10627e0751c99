"""Random editorial histories against an offline copy: after every sync, the copy kept by the
reference client (examples/sync_client.py) is exactly the server's public reviews and interviews.

Hypothesis interleaves publish / edit / unpublish / delete / move / restrict / expire /
hold-back steps, the clock moving forward (expiry and go-live log no change) and the
scheduler running, with syncs by ``SyncClient``, which talks HTTP through the Django test
client (every response checked against the OpenAPI document). After each sync the copy's
ids are the public pages of the database (``reviews.selectors.public_pages``, not the
store) and each document is what ``/api/v2/pages/<id>/?fields=*`` serves.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from wagtail.models import PageViewRestriction

from delivery.models import Change
from examples.sync_client import SyncClient
from reviews.factories import InterviewPageFactory, ReviewPageFactory
from reviews.models import HomePage, InterviewPage, ReviewIndexPage, ReviewPage
from reviews.selectors import public_pages
from tests.api.conftest import APIClient

pytestmark = pytest.mark.django_db

START = datetime(2030, 1, 1, tzinfo=UTC)


class OfflineCopy(RuleBasedStateMachine):
    """Each step is one editorial action; ``then_sync`` says whether the app syncs after it, so
    a sync sees anything from one change to many piled up (several to the same page)."""

    @initialize(limit=st.sampled_from([1, 2, 50]))
    def setup(self, limit):
        # Examples share one test transaction: each starts a day after everything logged so far.
        latest = Change.objects.aggregate(latest=Max("at"))["latest"]
        self.traveller = time_machine.travel(max(START, latest or START) + timedelta(days=1), tick=False)
        self.clock = self.traveller.start()
        self.api = APIClient(Client())
        self.client = SyncClient("http://testserver", fetch=self.api.fetch, limit=limit)
        home = HomePage.objects.first()
        self.sections = [ReviewIndexPage.objects.order_by("path").first()]
        slug = f"members-{ReviewIndexPage.objects.count()}"
        self.sections.append(home.add_child(instance=ReviewIndexPage(title="Members", slug=slug)))
        self.pages = [ReviewPageFactory(), InterviewPageFactory()]

    def teardown(self):
        self.traveller.stop()

    def _page(self, index):
        page = self.pages[index % len(self.pages)]
        page.refresh_from_db()
        return page

    @rule(interview=st.booleans(), section=st.integers(0, 1), then_sync=st.booleans())
    def publish_new(self, interview, section, then_sync):
        if interview:
            self.pages.append(InterviewPageFactory())
        else:
            self.sections[section].refresh_from_db()
            self.pages.append(ReviewPageFactory(parent=self.sections[section]))
        self.sync_if(then_sync)

    @precondition(lambda self: self.pages)
    @rule(
        index=st.integers(0, 50), title=st.text("abcxyz ", min_size=1, max_size=12), then_sync=st.booleans()
    )
    def edit(self, index, title, then_sync):
        page = self._page(index)
        page.title = title.strip() or "Untitled"
        page.save_revision().publish()
        self.sync_if(then_sync)

    @precondition(lambda self: self.pages)
    @rule(index=st.integers(0, 50), then_sync=st.booleans())
    def unpublish_or_republish(self, index, then_sync):
        page = self._page(index)
        if page.live:
            page.unpublish()
        else:
            page.save_revision().publish()
        self.sync_if(then_sync)

    @precondition(lambda self: self.pages)
    @rule(index=st.integers(0, 50), then_sync=st.booleans())
    def delete(self, index, then_sync):
        self._page(index).delete()
        self.pages.pop(index % len(self.pages))
        self.sync_if(then_sync)

    @precondition(lambda self: self.pages)
    @rule(index=st.integers(0, 50), section=st.integers(0, 1), then_sync=st.booleans())
    def move(self, index, section, then_sync):
        page = self._page(index)
        target = self.sections[section]
        target.refresh_from_db()  # earlier moves changed its children count and tree fields
        if isinstance(page.specific, ReviewPage) and page.get_parent().pk != target.pk:
            page.move(target, pos="last-child")
        self.sync_if(then_sync)

    @rule(section=st.integers(0, 1), then_sync=st.booleans())
    def restrict_or_lift(self, section, then_sync):
        page = self.sections[section]
        page.refresh_from_db()
        restriction = PageViewRestriction.objects.filter(page=page).first()
        if restriction is None:
            PageViewRestriction.objects.create(page=page, restriction_type="login")
        else:
            restriction.delete()
        self.sync_if(then_sync)

    @precondition(lambda self: self.pages)
    @rule(index=st.integers(0, 50), minutes=st.integers(1, 10), then_sync=st.booleans())
    def expire_later(self, index, minutes, then_sync):
        """An editor sets an expiry: the page disappears when the time comes, no publish then."""
        page = self._page(index).specific
        if page.live:
            page.expire_at = timezone.now() + timedelta(minutes=minutes)
            page.save_revision().publish()
        self.sync_if(then_sync)

    @precondition(lambda self: self.pages)
    @rule(index=st.integers(0, 50), minutes=st.integers(1, 10), then_sync=st.booleans())
    def hold_back(self, index, minutes, then_sync):
        """A live page whose go-live time is ahead (an import): hidden until then, no publish then."""
        page = self._page(index)
        page.go_live_at = timezone.now() + timedelta(minutes=minutes)
        page.save(update_fields=["go_live_at"])
        self.sync_if(then_sync)

    @rule(minutes=st.integers(1, 12), then_sync=st.booleans())
    def time_passes(self, minutes, then_sync):
        self.clock.shift(timedelta(minutes=minutes))
        self.sync_if(then_sync)

    @rule(then_sync=st.booleans())
    def scheduler_runs(self, then_sync):
        call_command("publish_scheduled", verbosity=0)
        self.sync_if(then_sync)

    def sync_if(self, then_sync):
        """The app syncs; its copy must then be exactly the server's public reviews and interviews."""
        if not then_sync:
            return
        self.client.sync()
        copy = self.client.documents()
        public = set(public_pages(ReviewPage).values_list("pk", flat=True)) | set(
            public_pages(InterviewPage).values_list("pk", flat=True)
        )
        assert set(copy) == public
        for page_id, document in copy.items():
            assert document == self.api.get(f"/api/v2/pages/{page_id}/", {"fields": "*"}).data


def test_an_offline_copy_follows_any_editorial_history():
    run_state_machine_as_test(
        OfflineCopy,
        settings=settings(
            max_examples=10,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
