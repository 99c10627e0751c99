"""Signed webhooks, tested against a real receiver on localhost.

The receiver is the integrator's side of the contract (docs/webhooks.md): it checks
every request's signature with the ``standardwebhooks`` library and answers with
the status the test asks for. Deliveries are queued when the publishing
transaction commits (``django_capture_on_commit_callbacks`` stands in for the
commit) and sent by the task; retries that are due are queued by ``deliver_due``
(``manage.py deliver_webhooks``), which the test runs after moving the clock.
"""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook, WebhookVerificationError
from wagtail.models import Page, PageViewRestriction

from delivery.models import StoredPage, WebhookDelivery, WebhookEndpoint
from delivery.store import write_batch
from delivery.targets import RefusedTarget, check_target
from delivery.webhooks import deliver_due, retry_delay
from reviews.factories import ReviewPageFactory
from tests.accounts import user_in
from tests.delivery.worker import run_queued_tasks

pytestmark = pytest.mark.django_db

ALL_EVENTS = WebhookEndpoint.EVENT_TYPES


class Receiver:
    """An HTTP server in a thread that records and verifies every webhook it gets.

    ``answers`` is the queue of statuses to answer with (``"hang"``: say nothing until the
    test ends); once it is empty, ``default`` (200).
    """

    def __init__(self):
        self.secret = None
        self.answers = []
        self.default = 200
        self.requests = []  # (headers, body, verified payload or None)
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = dict(self.headers.items())
                try:
                    verified = Webhook(receiver.secret).verify(body, headers)
                except WebhookVerificationError:
                    verified = None
                receiver.requests.append((headers, body, verified))
                answer = receiver.answers.pop(0) if receiver.answers else receiver.default
                if answer == "hang":
                    receiver.release.wait(30)
                    answer = 200
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/marquee"

    def payloads(self, page_id=None):
        """Verified payloads, in arrival order (an unverifiable request fails the test)."""
        assert all(verified is not None for _h, _b, verified in self.requests), "a signature did not verify"
        payloads = [verified for _h, _b, verified in self.requests]
        return [p for p in payloads if page_id is None or p["data"]["id"] == page_id]

    def events(self, page_id):
        return [payload["type"] for payload in self.payloads(page_id)]


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.release.set()
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def endpoint(receiver):
    endpoint = WebhookEndpoint.objects.create(url=receiver.url, event_types=ALL_EVENTS)
    receiver.secret = endpoint.secret
    return endpoint


def deliveries(page_id):
    return list(WebhookDelivery.objects.filter(page_id=page_id).order_by("seq"))


def later(delivery, seconds=1):
    """The clock just past ``delivery``'s next attempt."""
    delivery.refresh_from_db()
    return time_machine.travel(delivery.next_attempt_at + timedelta(seconds=seconds), tick=True)


# --- the contract: one signed event per change, in order ------------------------------


def test_a_publish_arrives_once_signed_with_the_stored_document(receiver, endpoint, committed):
    with committed():
        review = ReviewPageFactory()
    [payload] = receiver.payloads(review.pk)
    stored = StoredPage.objects.get(pk=review.pk)
    assert payload["type"] == "page.published"
    assert payload["data"] == {
        "id": review.pk,
        "type": "reviews.ReviewPage",
        "url": f"https://www.marquee.test/reviews/{review.slug}/",
        "sequence": stored.seq,
        "document": json.loads(stored.detail),
    }
    headers = receiver.requests[-1][0]
    assert headers["webhook-id"].startswith("msg_")
    assert headers["webhook-signature"].startswith("v1,")
    [delivery] = deliveries(review.pk)
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("succeeded", 200, 1)
    assert delivery.latency_ms is not None


def test_every_change_of_a_page_arrives_in_order(receiver, endpoint, committed):
    with committed():
        review = ReviewPageFactory()
    with committed():  # a film the review shows: re-rendered, no new revision
        review.film.title = "Aftersun (restored)"
        review.film.save()
    with committed():
        review.title = "A new headline"
        review.save_revision().publish()
    with committed():
        review.unpublish()
    with committed():
        review.save_revision().publish()
    with committed():
        review.delete()
    assert receiver.events(review.pk) == [
        "page.published",
        "page.updated",
        "page.published",
        "page.unpublished",
        "page.published",
        "page.deleted",
    ]
    sequences = [payload["data"]["sequence"] for payload in receiver.payloads(review.pk)]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert "document" not in receiver.payloads(review.pk)[-1]["data"]
    assert len({headers["webhook-id"] for headers, _b, _v in receiver.requests}) == len(receiver.requests)


def test_a_restriction_unpublishes(receiver, endpoint, committed):
    with committed():
        review = ReviewPageFactory()
    with committed():
        PageViewRestriction.objects.create(page=review, restriction_type="password", password="x")
    assert receiver.events(review.pk) == ["page.published", "page.unpublished"]


def test_an_endpoint_gets_only_the_events_it_subscribed_to(receiver, committed):
    endpoint = WebhookEndpoint.objects.create(url=receiver.url, event_types=["page.unpublished"])
    receiver.secret = endpoint.secret
    with committed():
        review = ReviewPageFactory()
    with committed():
        review.unpublish()
    assert receiver.events(review.pk) == ["page.unpublished"]


def test_a_page_waiting_for_its_go_live_time_is_announced_when_it_goes_live(receiver, endpoint, committed):
    go_live_at = timezone.now() + timedelta(hours=1)
    with committed():
        review = ReviewPageFactory(go_live_at=go_live_at)
    assert receiver.events(review.pk) == []
    with time_machine.travel(go_live_at + timedelta(seconds=1), tick=True), committed():
        deliver_due()
    assert receiver.events(review.pk) == ["page.published"]


def test_an_endpoint_added_in_a_transaction_gets_the_changes_after_it(receiver, committed):
    with committed():
        before = ReviewPageFactory()
        endpoint = WebhookEndpoint.objects.create(url=receiver.url, event_types=ALL_EVENTS)
        receiver.secret = endpoint.secret
        after = ReviewPageFactory()
    assert receiver.events(before.pk) == []
    assert receiver.events(after.pk) == ["page.published"]


def test_a_batch_of_renders_reads_the_endpoints_once(receiver, endpoint, committed):
    with committed():
        reviews = ReviewPageFactory.create_batch(3)
    ids = [review.pk for review in reviews]
    Page.objects.filter(pk__in=ids).update(title="Retitled")  # no signal: the worker's render finds it
    with CaptureQueriesContext(connection) as queries:
        assert set(write_batch(ids).values()) == {"stored"}
    endpoint_reads = [q for q in queries.captured_queries if "delivery_webhookendpoint" in q["sql"]]
    assert len(endpoint_reads) == 1
    updated = WebhookDelivery.objects.filter(page_id__in=ids, event=WebhookEndpoint.UPDATED)
    assert sorted(updated.values_list("seq", flat=True)) == sorted(
        StoredPage.objects.filter(pk__in=ids).values_list("seq", flat=True)
    )


# --- failures: retries, timeouts, switching off -------------------------------------


def test_a_receiver_that_fails_once_gets_the_retry(receiver, endpoint, committed):
    receiver.answers = [500]
    with committed():
        review = ReviewPageFactory()
    [delivery] = deliveries(review.pk)
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("retrying", 500, 1)
    assert delivery.next_attempt_at > timezone.now()
    with later(delivery):
        deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("succeeded", 200, 2)
    first, second = (headers["webhook-id"] for headers, _b, _v in receiver.requests)
    assert first == second == delivery.message_id  # one message, two attempts
    assert receiver.events(review.pk) == ["page.published", "page.published"]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_retries_back_off_exponentially_with_jitter(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    settings.WEBHOOKS_RETRY_MAX_SECONDS = 3600
    for attempts in range(1, 12):
        ceiling = min(3600, 30 * 2 ** (attempts - 1))
        delays = [retry_delay(attempts) for _ in range(20)]
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(set(delays)) > 1  # jittered


def test_a_hanging_receiver_never_slows_publishing(receiver, endpoint, committed, settings):
    """The publish only queues the delivery (database task backend); the worker's attempt times out."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WEBHOOKS_TIMEOUT = 1
    receiver.answers = ["hang"]
    started = time.monotonic()
    with committed():
        review = ReviewPageFactory()
    publish_seconds = time.monotonic() - started
    assert receiver.requests == []  # nothing was sent while publishing
    assert publish_seconds < 10  # the receiver hangs for 30

    run_queued_tasks()  # the worker
    [delivery] = deliveries(review.pk)
    assert delivery.status == "retrying"
    assert delivery.error == "No answer within 1 seconds."
    assert len(receiver.requests) == 1
    retry = DBTaskResult.objects.filter(status="READY", task_path="delivery.webhooks.send_webhook").get()
    assert retry.args_kwargs["args"] == [delivery.pk]
    assert retry.run_after == delivery.next_attempt_at


def test_an_endpoint_failing_again_and_again_is_switched_off(receiver, endpoint, committed, settings, client):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    receiver.default = 503
    reviews = []
    for _ in range(3):
        with committed():
            reviews.append(ReviewPageFactory())
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_at is not None
    assert endpoint.consecutive_failures == 3

    # Its retries are not sent, and new changes make no deliveries for it.
    requests_before = len(receiver.requests)
    with later(deliveries(reviews[0].pk)[0]), committed():
        deliver_due()
    assert len(receiver.requests) == requests_before
    assert deliveries(reviews[0].pk)[0].status == "skipped"
    with committed():
        newcomer = ReviewPageFactory()
    assert deliveries(newcomer.pk) == []

    # The admin says so.
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(user_in("Editors", "eddie"))
    assert "Webhook endpoints switched off" in client.get("/admin/").text
    assert "was switched off" in client.get(f"/admin/webhooks/edit/{endpoint.pk}/").text


# --- where webhooks may go ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8102/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[2002:7f00:1::]/hook",
        "http://[fe80::1]/hook",
        "ftp://93.184.215.14/hook",
    ],
)
def test_private_and_loopback_targets_are_refused(settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(RefusedTarget):
        check_target(url)


def test_a_public_address_is_accepted(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    assert check_target("https://93.184.215.14/hook") == ("https", "93.184.215.14", 443, "93.184.215.14")


def test_the_admin_refuses_a_private_target(settings, editor_client):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = editor_client.post(
        "/admin/webhooks/new/",
        {"url": "http://127.0.0.1:8102/hook", "event_types": ALL_EVENTS, "active": "on"},
    )
    assert response.status_code == 200
    assert "private, loopback or reserved" in response.text
    assert not WebhookEndpoint.objects.exists()


def test_a_target_is_checked_again_when_sending(receiver, endpoint, committed, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    with committed():
        review = ReviewPageFactory()
    [delivery] = deliveries(review.pk)
    assert delivery.status == "retrying"
    assert delivery.error.startswith("Refused: 127.0.0.1 resolves to 127.0.0.1")
    assert receiver.requests == []


# --- the admin -------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(user_in("Editors", "eddie"))
    return client


@pytest.fixture
def critic_client(client):
    call_command("setup_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(user_in("Critics", "cora"))
    return client


def test_an_editor_creates_an_endpoint_and_sees_its_secret_once(editor_client):
    response = editor_client.post(
        "/admin/webhooks/new/",
        # An address, not a name: the check resolves names, and this test must not need DNS.
        {"url": "https://93.184.215.14/marquee", "description": "Static site", "event_types": ALL_EVENTS},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 200
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.text
    assert endpoint.event_types == ALL_EVENTS
    assert not endpoint.active  # the box was not ticked
    for page in (
        "/admin/webhooks/",
        f"/admin/webhooks/edit/{endpoint.pk}/",
        f"/admin/webhooks/log/{endpoint.pk}/",
    ):
        response = editor_client.get(page)
        assert response.status_code == 200
        assert endpoint.secret not in response.text


def test_the_delivery_log_shows_status_code_latency_and_attempts(
    receiver, endpoint, committed, editor_client
):
    receiver.answers = [500]
    with committed():
        review = ReviewPageFactory()
    page = editor_client.get(f"/admin/webhooks/log/{endpoint.pk}/").text
    assert "page.published" in page
    assert f"reviews.ReviewPage {review.pk}" in page
    assert "Retrying" in page
    assert "HTTP 500 Internal Server Error" in page


def test_an_editor_redelivers_with_the_same_message_id(receiver, endpoint, committed, editor_client):
    with committed():
        review = ReviewPageFactory()
    [delivery] = deliveries(review.pk)
    with committed():
        response = editor_client.post(f"/admin/webhooks/log/{endpoint.pk}/redeliver/{delivery.pk}/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    assert receiver.events(review.pk) == ["page.published", "page.published"]
    assert [headers["webhook-id"] for headers, _b, _v in receiver.requests[-2:]] == [delivery.message_id] * 2


def test_critics_cannot_see_or_manage_webhooks(receiver, endpoint, committed, critic_client):
    with committed():
        review = ReviewPageFactory()
    [delivery] = deliveries(review.pk)
    for page in (
        "/admin/webhooks/",
        "/admin/webhooks/new/",
        f"/admin/webhooks/edit/{endpoint.pk}/",
        f"/admin/webhooks/log/{endpoint.pk}/",
    ):
        response = critic_client.get(page)
        assert (response.status_code, response["Location"]) == (302, "/admin/")  # "permission denied"
    with committed():
        response = critic_client.post(f"/admin/webhooks/log/{endpoint.pk}/redeliver/{delivery.pk}/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert len(receiver.requests) == 1  # nothing redelivered
