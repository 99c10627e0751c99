"""``GET /api/v2/sync/``: the change feed an offline app (examples/sync_client.py) keeps its copy with.

The contract: the first call pages through every public review and interview; later
calls with ``next_cursor`` return only what changed, upserts with the full document
(exactly ``/api/v2/pages/<id>/?fields=*``) and tombstones for whatever stopped being
public, including by the clock alone; bad cursors are 400, cursors past the
retention 410; responses are private with an ETag.
"""

from datetime import UTC, datetime, timedelta
from io import StringIO

import psycopg
import pytest
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import override_settings
from wagtail.models import PageViewRestriction

from api.sync import safe_horizon
from delivery.models import Change
from examples.sync_client import SyncClient
from reviews.factories import InterviewPageFactory, ReviewPageFactory
from reviews.models import ReviewIndexPage
from tests.databases import ON_POSTGRES

pytestmark = pytest.mark.django_db

SYNC = "/api/v2/sync/"
START = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    """The clock stopped at START; tests move it."""
    time_machine.move_to(START, tick=False)
    return time_machine


def sync_all(api, params=None):
    """Follow ``has_more`` to the end: ``(items, final cursor, responses)``."""
    items, responses = [], 0
    response = api.get(SYNC, params or {}).data
    while True:
        items += response["items"]
        responses += 1
        if not response["has_more"]:
            return items, response["next_cursor"], responses
        limit = {"limit": params["limit"]} if params and "limit" in params else {}
        response = api.get(SYNC, {"cursor": response["next_cursor"], **limit}).data


def ids(items):
    return [item["id"] for item in items]


# --- the first pass ------------------------------------------------------------------


def test_the_first_pass_brings_every_public_review_and_interview_with_its_full_document(api):
    review, interview = ReviewPageFactory(), InterviewPageFactory()
    ReviewPageFactory().unpublish()

    items, _cursor, _responses = sync_all(api)

    assert sorted(ids(items)) == sorted([review.pk, interview.pk])
    by_id = {item["id"]: item for item in items}
    assert by_id[review.pk]["type"] == "reviews.ReviewPage"
    assert by_id[interview.pk]["type"] == "reviews.InterviewPage"
    assert by_id[review.pk]["deleted"] is False
    full = api.get(f"/api/v2/pages/{review.pk}/", {"fields": "*"}).data
    assert by_id[review.pk]["document"] == full


def test_index_pages_and_the_home_page_are_not_synced(api):
    review = ReviewPageFactory()
    items, _cursor, _responses = sync_all(api)
    assert ids(items) == [review.pk]


def test_the_first_pass_is_paged_by_limit_without_repeats(api):
    pages = [ReviewPageFactory() for _ in range(5)]

    first = api.get(SYNC, {"limit": 2}).data
    assert len(first["items"]) == 2
    assert first["has_more"] is True
    items, _cursor, responses = sync_all(api, {"limit": 2})

    assert sorted(ids(items)) == sorted(page.pk for page in pages)
    assert responses == 3


def test_type_narrows_the_feed_and_the_cursor_keeps_it(api):
    review, _interview = ReviewPageFactory(), InterviewPageFactory()

    items, cursor, _responses = sync_all(api, {"type": "reviews.ReviewPage"})
    assert ids(items) == [review.pk]

    later_interview = InterviewPageFactory()
    later_review = ReviewPageFactory()
    delta = api.get(SYNC, {"cursor": cursor}).data
    assert ids(delta["items"]) == [later_review.pk]
    assert later_interview.pk not in ids(delta["items"])


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        ("reviews.ReviewPage", {"reviews.ReviewPage"}),
        ("reviews.InterviewPage", {"reviews.InterviewPage"}),
        ("reviews.ReviewPage,reviews.InterviewPage", {"reviews.ReviewPage", "reviews.InterviewPage"}),
    ],
)
def test_type_accepts_the_synced_types_as_the_pages_endpoint_names_them(api, type_, expected):
    ReviewPageFactory(), InterviewPageFactory()
    items, _cursor, _responses = sync_all(api, {"type": type_})
    assert {item["type"] for item in items} == expected


# --- later calls: what changed ---------------------------------------------------------


@pytest.fixture
def synced(api):
    """Two reviews and an interview, and the cursor of a client that has them all."""
    pages = [ReviewPageFactory(), ReviewPageFactory(), InterviewPageFactory()]
    _items, cursor, _responses = sync_all(api)
    return pages, cursor


def test_nothing_changed_means_no_items_and_the_same_cursor(api, synced):
    _pages, cursor = synced
    response = api.get(SYNC, {"cursor": cursor}).data
    assert response == {"items": [], "next_cursor": cursor, "has_more": False}


def test_an_edit_comes_back_as_an_upsert_with_the_new_document(api, synced):
    (review, _other, _interview), cursor = synced
    review.title = "Retitled"
    review.save_revision().publish()

    response = api.get(SYNC, {"cursor": cursor}).data

    assert ids(response["items"]) == [review.pk]
    assert response["items"][0]["document"]["title"] == "Retitled"


def test_changes_come_in_commit_order_each_page_once_at_its_last_change(api, synced):
    (first, second, interview), cursor = synced
    for page in (first, second, interview, first):
        page.refresh_from_db()
        page.title = f"{page.title} again"
        page.save_revision().publish()

    response = api.get(SYNC, {"cursor": cursor}).data

    assert ids(response["items"]) == [second.pk, interview.pk, first.pk]


def tombstone(page, page_type="reviews.ReviewPage"):
    return {"id": page.pk, "type": page_type, "deleted": True}


def test_an_unpublished_page_comes_back_as_a_tombstone(api, synced):
    (review, _other, _interview), cursor = synced
    review.unpublish()
    assert api.get(SYNC, {"cursor": cursor}).data["items"] == [tombstone(review)]


def test_a_deleted_page_comes_back_as_a_tombstone(api, synced):
    (_review, _other, interview), cursor = synced
    interview.delete()
    assert api.get(SYNC, {"cursor": cursor}).data["items"] == [tombstone(interview, "reviews.InterviewPage")]


def test_a_restricted_page_comes_back_as_a_tombstone(api, synced):
    (review, _other, _interview), cursor = synced
    PageViewRestriction.objects.create(page=review, restriction_type="login")
    assert api.get(SYNC, {"cursor": cursor}).data["items"] == [tombstone(review)]


def test_a_page_moved_under_a_restricted_section_comes_back_as_a_tombstone(api, synced):
    (review, _other, _interview), cursor = synced
    home = ReviewIndexPage.first_in_tree().get_parent()
    members = home.add_child(instance=ReviewIndexPage(title="Members", slug="members"))
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    review.refresh_from_db()
    review.move(members, pos="last-child")

    assert api.get(SYNC, {"cursor": cursor}).data["items"] == [tombstone(review)]


def test_a_page_that_comes_back_is_an_upsert_again(api, synced):
    (review, _other, _interview), cursor = synced
    review.unpublish()
    cursor = api.get(SYNC, {"cursor": cursor}).data["next_cursor"]
    review.save_revision().publish()

    items = api.get(SYNC, {"cursor": cursor}).data["items"]
    assert ids(items) == [review.pk]
    assert items[0]["deleted"] is False


def test_a_long_delta_is_paged_and_the_next_cursor_resumes_it(api, synced):
    pages, cursor = synced
    for page in pages:
        page.refresh_from_db()
        page.save_revision().publish()
    new = ReviewPageFactory()

    first = api.get(SYNC, {"cursor": cursor, "limit": 2}).data
    second = api.get(SYNC, {"cursor": first["next_cursor"], "limit": 2}).data

    assert first["has_more"] is True
    assert second["has_more"] is False
    assert ids(first["items"]) + ids(second["items"]) == [*(page.pk for page in pages), new.pk]


# --- the clock: expiry and go-live log no change ------------------------------------------


def test_a_page_that_expires_comes_back_as_a_tombstone_without_any_publish(api, clock):
    expiring = ReviewPageFactory(expire_at=START + timedelta(minutes=5))
    items, cursor, _responses = sync_all(api)
    assert ids(items) == [expiring.pk]

    clock.move_to(START + timedelta(minutes=6))

    assert api.get(SYNC, {"cursor": cursor}).data["items"] == [tombstone(expiring)]


def test_a_page_whose_go_live_time_comes_appears_without_any_publish(api, clock):
    # Live, but its go-live time is ahead (an import, or publish_scheduled not run yet).
    page = ReviewPageFactory()
    page.go_live_at = START + timedelta(minutes=5)
    page.save(update_fields=["go_live_at"])
    items, cursor, _responses = sync_all(api)
    assert items == []

    clock.move_to(START + timedelta(minutes=6))

    items = api.get(SYNC, {"cursor": cursor}).data["items"]
    assert ids(items) == [page.pk]
    assert items[0]["deleted"] is False


def test_an_expiry_during_the_first_pass_is_reported_by_the_next_call(api, clock):
    pages = [ReviewPageFactory(expire_at=START + timedelta(minutes=5)) for _ in range(2)]
    first = api.get(SYNC, {"limit": 1}).data
    clock.move_to(START + timedelta(minutes=6))
    rest = api.get(SYNC, {"cursor": first["next_cursor"], "limit": 1}).data
    assert rest["items"] == []  # the second expired before the pass reached it

    delta = api.get(SYNC, {"cursor": rest["next_cursor"]}).data

    assert delta["items"] == [tombstone(pages[0]), tombstone(pages[1])]


# --- the safe horizon: change numbers commit out of order on PostgreSQL --------------------


def _change(seq, page_id=1):
    return Change.objects.create(seq=seq, page_id=page_id, page_type="reviews.ReviewPage")


@override_settings(SYNC_SETTLE_SECONDS=30)
def test_the_horizon_waits_at_a_young_gap_and_passes_it_once_settled(clock):
    base = Change.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for offset in (1, 2, 4):  # 3 is in flight (or rolled back)
        _change(base + offset)

    assert safe_horizon(base, START + timedelta(seconds=5)) == base + 2
    assert safe_horizon(base, START + timedelta(seconds=31)) == base + 4


@override_settings(SYNC_SETTLE_SECONDS=30)
def test_a_change_that_commits_late_is_not_skipped(api, clock, synced):
    (review, _other, _interview), cursor = synced
    base = Change.objects.order_by("-seq").values_list("seq", flat=True).first()
    other = ReviewPageFactory()
    # As if numbers base+1 … base+100 were held by transactions still open when other's committed.
    Change.objects.filter(seq__gt=base).update(seq=F("seq") + 100)

    response = api.get(SYNC, {"cursor": cursor}).data
    assert response["items"] == []  # the cursor stays before the gap

    review.title = "Committed late"
    review.save_revision().publish()  # one of them commits now
    Change.objects.filter(page_id=review.pk, seq__gt=base).update(seq=base + 1)
    response = api.get(SYNC, {"cursor": response["next_cursor"]}).data
    assert ids(response["items"]) == [review.pk]

    clock.move_to(START + timedelta(seconds=31))  # the others rolled back: the gap has settled
    assert ids(api.get(SYNC, {"cursor": response["next_cursor"]}).data["items"]) == [other.pk]


@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite serializes writers: commits cannot overtake (.ci/run runs it)"
)
@override_settings(SYNC_SETTLE_SECONDS=30)
def test_on_postgresql_a_change_committed_after_a_later_one_is_delivered(api, synced):
    """A real second transaction takes the next change number and commits only after a later
    change was committed and synced: the cursor waits for it instead of skipping it."""
    (review, other, _interview), cursor = synced
    database = connection.settings_dict
    with psycopg.connect(
        dbname=database["NAME"], host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"]
    ) as late:
        late.execute(  # the store writing the review on another connection: it holds number n…
            "INSERT INTO delivery_change (page_id, page_type, deleted, at) VALUES (%s, %s, false, now())",
            [review.pk, "reviews.ReviewPage"],
        )
        other.title = "Committed first"  # … while n+1 is written and visible first
        other.save_revision().publish()

        response = api.get(SYNC, {"cursor": cursor}).data
        assert response["items"] == []
        late.commit()

    items = api.get(SYNC, {"cursor": response["next_cursor"]}).data["items"]
    assert ids(items) == [review.pk, other.pk]


# --- bad cursors, retention ------------------------------------------------------------------


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "a:b:c", "x" * 1001, "", "eyJ9"],
)
def test_a_garbled_cursor_is_a_400(api, cursor):
    response = api.get(SYNC, {"cursor": cursor}, expected_status=400)
    assert "cursor" in response.data["message"]


def test_a_forged_cursor_is_a_400(api, synced):
    _pages, cursor = synced
    forged = signing.Signer(key="not-our-secret", salt="marquee.sync.cursor").sign_object(
        [1, ["reviews.ReviewPage"], 0, None, "initial", 10**9, START.isoformat(), 0], compress=True
    )
    tampered = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
    api.get(SYNC, {"cursor": forged}, expected_status=400)
    api.get(SYNC, {"cursor": tampered}, expected_status=400)


def test_another_type_than_the_cursors_is_a_400(api, synced):
    _pages, cursor = synced
    api.get(SYNC, {"cursor": cursor, "type": "reviews.ReviewPage"}, expected_status=400)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "ten"},
        {"type": "reviews.ReviewIndexPage"},
        {"type": "wagtailcore.Page"},
        {"type": "reviews.Nothing"},
        {"fields": "*"},
        {"after": "x"},
    ],
)
def test_bad_parameters_are_a_400(api, params):
    api.get(SYNC, params, expected_status=400)


@override_settings(SYNC_RETENTION_DAYS=90)
def test_a_cursor_older_than_the_retention_is_a_410_telling_the_client_to_start_over(api, clock, synced):
    _pages, cursor = synced
    clock.move_to(START + timedelta(days=89))
    api.get(SYNC, {"cursor": cursor})

    clock.move_to(START + timedelta(days=91))
    response = api.get(SYNC, {"cursor": cursor}, expected_status=410)

    assert "start over" in response.data["message"]
    assert response.data["status"] == 410


@override_settings(SYNC_RETENTION_DAYS=90)
def test_the_reference_client_starts_over_after_a_410_and_drops_what_did_not_come_back(api, clock):
    kept, dropped = ReviewPageFactory(), ReviewPageFactory()
    client = SyncClient("http://testserver", fetch=api.fetch)
    client.sync()
    clock.move_to(START + timedelta(days=91))
    dropped.unpublish()  # its tombstone is past the client's reach: only a new pass can tell
    requests = client.requests

    client.sync()

    assert set(client.documents()) == {kept.pk}
    assert client.requests == requests + 2  # the 410, then the new pass


def test_a_polling_client_keeps_its_cursor_fresh(api, clock, synced):
    """A cursor that found nothing for over a day is renewed, so a quiet publication never 410s."""
    _pages, cursor = synced
    clock.move_to(START + timedelta(days=2))
    renewed = api.get(SYNC, {"cursor": cursor}).data["next_cursor"]
    assert renewed != cursor
    clock.move_to(START + timedelta(days=91))
    api.get(SYNC, {"cursor": renewed})


@override_settings(SYNC_RETENTION_DAYS=90, SYNC_SETTLE_SECONDS=30)
def test_prune_changes_drops_only_what_no_accepted_cursor_needs(clock):
    Change.objects.all().delete()  # entries the site tree's creation logged, long before START
    ReviewPageFactory()
    logged = Change.objects.count()
    clock.move_to(START + timedelta(days=90, seconds=29))
    call_command("prune_changes", stdout=StringIO())
    assert Change.objects.count() == logged

    clock.move_to(START + timedelta(days=90, seconds=31))
    output = StringIO()
    call_command("prune_changes", stdout=output)
    assert Change.objects.count() == 0
    assert output.getvalue() == f"pruned {logged} change-log entries\n"


# --- HTTP ----------------------------------------------------------------------------------


def test_responses_are_private_with_an_etag_and_answer_304_when_nothing_changed(api, synced):
    _pages, cursor = synced
    first = api.get(SYNC, {"cursor": cursor})
    assert first["Cache-Control"] == "private, no-cache"
    assert first["ETag"]

    again = api.get(SYNC, {"cursor": cursor}, expected_status=304, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again["ETag"] == first["ETag"]


def test_only_get_and_head(client, db):
    assert client.post(SYNC).status_code == 405


def test_a_first_page_and_a_delta_cost_a_few_queries_whatever_their_size(api, django_assert_max_num_queries):
    for _ in range(6):
        ReviewPageFactory()
    with django_assert_max_num_queries(3):
        first = api.get(SYNC, {"limit": 3}).data
    _items, cursor, _responses = sync_all(api)
    for page in ReviewPageFactory._meta.model.objects.all()[:4]:
        page.save_revision().publish()
    with django_assert_max_num_queries(6):
        delta = api.get(SYNC, {"cursor": cursor}).data
    assert len(first["items"]) == 3
    assert len(delta["items"]) == 4
