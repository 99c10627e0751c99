"""Signed webhooks: every change to the public pages, told to the endpoints that asked for it.

How an event travels:

1. :func:`delivery.store.write_page` appends to the change log and sends ``document_changed``
   (delivery/signals.py) inside its transaction. :func:`record_event` turns that into one
   :class:`~delivery.models.WebhookDelivery` per active endpoint subscribed to the event, in the
   same transaction: a change and its deliveries commit together or not at all.
2. When that transaction commits, each new delivery is enqueued as a :func:`send_webhook` task.
   With the database task backend (production) the worker sends it, never an editor's request.
3. :func:`attempt` signs the stored body per the Standard Webhooks spec, POSTs it to the checked
   address and records the outcome. A failure (no 2xx, a timeout, a refused target) is retried
   after an exponential, jittered delay, up to ``WEBHOOKS_MAX_ATTEMPTS``; after
   ``WEBHOOKS_DISABLE_AFTER_FAILURES`` failed attempts in a row the endpoint is switched off and
   the admin says so.
4. :func:`deliver_due` (``manage.py deliver_webhooks``, in the scheduler's loop) sends retries
   that are due when the task backend cannot defer a task (the immediate backend), and picks up
   any delivery whose task was lost.

Event types, decided from the store: ``page.published`` when a page enters the store or a new
revision of it was published; ``page.updated`` when it was re-rendered without a new revision
(a person, film, image or linked page it shows changed, or it moved); ``page.unpublished`` when
it left the store while the page still exists (unpublished, restricted, expired, moved under a
restricted page); ``page.deleted`` when the page is gone.

One transaction may write a page several times (saved, then its authors; its children removed
before it is deleted): its endpoints get one event, the last, except that an update following a
publish in the same transaction is still a publish. Deliveries of one page to one endpoint leave
in change-log order: a later one waits while an earlier one is unfinished.
"""

import http.client
import json
import logging
import secrets
import socket
import threading
import time
import uuid
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task
from standardwebhooks import Webhook
from wagtail.models import Page

from .links import frontend_url
from .models import StoredPage, WebhookDelivery, WebhookEndpoint
from .signals import document_changed
from .store import visible_now
from .targets import RefusedTarget, check_target
from .tasks import DELIVERY_PRIORITY
from .transactions import CommitWitness, waiting_for_commit

logger = logging.getLogger(__name__)

USER_AGENT = "Marquee-Webhooks/1.0"
RESPONSE_READ_LIMIT = 64 * 1024  # bytes of a response body read before the connection closes
_jitter = secrets.SystemRandom()
_batch = threading.local()


def register():
    document_changed.connect(record_event, dispatch_uid="delivery-webhooks")
    post_save.connect(
        _forget_endpoints, sender=WebhookEndpoint, dispatch_uid="delivery-webhook-endpoint-saved"
    )
    post_delete.connect(
        _forget_endpoints, sender=WebhookEndpoint, dispatch_uid="delivery-webhook-endpoint-deleted"
    )


# --- recording events (inside write_page's transaction) -------------------------------


def record_event(sender, change, url_path, document, republished, **kwargs):
    """Create this change's deliveries, one per active endpoint that subscribed to its event."""
    batch = _current_batch()
    endpoints = _active_endpoints()
    if not endpoints:
        return
    event = event_type(change, republished)
    earlier = WebhookDelivery.objects.filter(pk__in=batch.pop(change.page_id, ()))
    if event == WebhookEndpoint.UPDATED and earlier.filter(event=WebhookEndpoint.PUBLISHED).exists():
        event = WebhookEndpoint.PUBLISHED
    earlier.delete()

    body = payload(event, change, url_path, document)
    not_before = _not_before(change)
    batch[change.page_id] = [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            message_id=f"msg_{uuid.uuid4().hex}",
            event=event,
            page_id=change.page_id,
            page_type=change.page_type,
            seq=change.seq,
            payload=body,
            next_attempt_at=not_before,
        ).pk
        for endpoint in endpoints
        if event in endpoint.event_types
    ]


def event_type(change, republished):
    if not change.deleted:
        return WebhookEndpoint.PUBLISHED if republished else WebhookEndpoint.UPDATED
    if Page.objects.filter(pk=change.page_id).exists():
        return WebhookEndpoint.UNPUBLISHED
    return WebhookEndpoint.DELETED


def payload(event, change, url_path, document):
    """The JSON body, in the Standard Webhooks shape: ``type``, ``timestamp``, ``data``.

    ``{"type": "page.published", "timestamp": "2026-05-04T10:00:00.000Z", "data": {"id": 42,
    "type": "reviews.ReviewPage", "url": "https://www.example.com/reviews/aftersun/",
    "sequence": 1234, "document": {...}}}``; ``document`` (what ``GET /api/v2/pages/42/``
    returns) only for ``page.published`` and ``page.updated``.
    """
    data = {
        "id": change.page_id,
        "type": change.page_type,
        "url": frontend_url(url_path),
        "sequence": change.seq,
    }
    if document is not None:
        data["document"] = json.loads(document)
    timestamp = timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps({"type": event, "timestamp": timestamp, "data": data}, ensure_ascii=False)


def _not_before(change):
    """A live page scheduled to go live later is stored but hidden: its event waits for it."""
    now = timezone.now()
    if change.deleted:
        return now
    go_live_at = StoredPage.objects.filter(pk=change.page_id).values_list("go_live_at", flat=True).first()
    return max(go_live_at, now) if go_live_at else now


def _current_batch():
    """This transaction's deliveries by page id, sent once it commits (dropped if it rolls back)."""
    batch = getattr(_batch, "pages", None)
    if batch is None or not _flush_registered():
        batch = _batch.pages = {}
        _batch.endpoints = None
        transaction.on_commit(_enqueue_batch, robust=True)
    return batch


def _active_endpoints():
    """The active endpoints, read once per batch (the worker writes ten pages' changes in one
    transaction), again after an endpoint is saved or deleted here, and again if the savepoint
    they were read in rolled back (it may have held a new endpoint)."""
    cached = getattr(_batch, "endpoints", None)
    if cached is None or not cached[1].holds():
        endpoints = list(WebhookEndpoint.objects.filter(active=True).only("pk", "event_types"))
        cached = _batch.endpoints = (endpoints, CommitWitness())
    return cached[0]


def _forget_endpoints(**kwargs):
    _batch.endpoints = None


def _flush_registered():
    # A rolled-back transaction drops its callbacks: start a new batch then.
    return waiting_for_commit(_enqueue_batch)


def _enqueue_batch():
    pages, _batch.pages = _batch.pages, None
    ids = [pk for page_ids in pages.values() for pk in page_ids]
    for delivery in WebhookDelivery.objects.filter(pk__in=ids).order_by("seq", "pk"):
        enqueue(delivery)


# --- sending (on the task worker) ----------------------------------------------------


@task(priority=DELIVERY_PRIORITY)
def send_webhook(delivery_id):
    """Attempt one delivery (a django-tasks task, so the worker runs it)."""
    return attempt(delivery_id)


def enqueue(delivery):
    """Queue ``delivery``'s next attempt: now, or at ``next_attempt_at`` if the backend can defer.

    The immediate backend cannot: there :func:`deliver_due` sends it once it is due.
    """
    if delivery.next_attempt_at <= timezone.now():
        send_webhook.enqueue(delivery.pk)
    elif send_webhook.get_backend().supports_defer:
        send_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def attempt(delivery_id):
    """Send a due delivery once and record how it went. Returns what happened, for logs and tests."""
    now = timezone.now()
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, status__in=(WebhookDelivery.PENDING, WebhookDelivery.RETRYING))
        .filter(next_attempt_at__lte=now)
        .first()
    )
    if delivery is None:
        return "not due"
    if _earlier_unfinished(delivery):
        return "waiting"  # the earlier one hands over when it finishes
    # Claim it: of two workers holding the same delivery, one sends.
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=delivery.status, attempts=delivery.attempts
    ).update(status=WebhookDelivery.SENDING, claimed_at=now)
    if not claimed:
        return "taken"

    endpoint = delivery.endpoint
    if not endpoint.active:
        return _finish(delivery, WebhookDelivery.SKIPPED, "The endpoint is switched off.")
    if delivery.event in (WebhookEndpoint.PUBLISHED, WebhookEndpoint.UPDATED):
        held = _held_until(delivery, now)
        if held is not None:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.PENDING, held
            delivery.save(update_fields=["status", "next_attempt_at"])
            enqueue(delivery)
            return "held"
        if not StoredPage.objects.filter(visible_now(), pk=delivery.page_id).exists():
            return _finish(delivery, WebhookDelivery.SKIPPED, "The page is no longer public.")

    outcome = post(endpoint.url, endpoint.secret, delivery.message_id, delivery.payload)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_code, delivery.latency_ms, delivery.error = outcome
    if outcome.succeeded:
        if endpoint.consecutive_failures:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        delivery.delivered_at = timezone.now()
        return _finish(delivery, WebhookDelivery.SUCCEEDED, outcome.error)

    _count_failure(endpoint)
    if delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        return _finish(delivery, WebhookDelivery.FAILED, outcome.error)
    delivery.status = WebhookDelivery.RETRYING
    delivery.next_attempt_at = timezone.now() + timedelta(seconds=retry_delay(delivery.attempts))
    delivery.save()
    enqueue(delivery)
    return "retrying"


def _earlier_unfinished(delivery):
    return WebhookDelivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        page_id=delivery.page_id,
        seq__lt=delivery.seq,
        status__in=WebhookDelivery.UNFINISHED,
    ).exists()


def _held_until(delivery, now):
    """When a stored page still waiting for its go-live time becomes public; else None."""
    go_live_at = StoredPage.objects.filter(pk=delivery.page_id).values_list("go_live_at", flat=True).first()
    return go_live_at if go_live_at is not None and go_live_at > now else None


def _finish(delivery, status, error=""):
    """Record a delivery's final state and let the next one of its page go."""
    delivery.status, delivery.error = status, error[:255]
    delivery.save()
    following = (
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            page_id=delivery.page_id,
            seq__gt=delivery.seq,
            status__in=(WebhookDelivery.PENDING, WebhookDelivery.RETRYING),
        )
        .order_by("seq")
        .first()
    )
    if following is not None:
        enqueue(following)
    return status


def _count_failure(endpoint):
    """One more failed attempt in a row; switch the endpoint off at the configured run."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    failures = WebhookEndpoint.objects.filter(pk=endpoint.pk).values_list("consecutive_failures", flat=True)
    if failures.first() >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES:
        switched_off = WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
            active=False, disabled_at=timezone.now()
        )
        if switched_off:
            logger.warning(
                "webhooks: endpoint %s (%s) switched off after %d failed attempts in a row",
                endpoint.pk,
                endpoint.url,
                settings.WEBHOOKS_DISABLE_AFTER_FAILURES,
            )


def retry_delay(attempts):
    """Seconds to wait after ``attempts`` failed attempts: exponential, capped, jittered.

    ``WEBHOOKS_RETRY_BASE_SECONDS · 2^(attempts−1)``, at most ``WEBHOOKS_RETRY_MAX_SECONDS``;
    half of it fixed and half random ("equal jitter"), so endpoints that failed together
    do not all retry at the same instant.
    """
    ceiling = min(
        settings.WEBHOOKS_RETRY_MAX_SECONDS, settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    )
    return ceiling / 2 + _jitter.uniform(0, ceiling / 2)


def redeliver(delivery):
    """Send a finished delivery again, with the same ``webhook-id`` (an editor asked for it).

    Returns False when the delivery is being sent right now.
    """
    queued = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(status=WebhookDelivery.SENDING)
        .update(status=WebhookDelivery.PENDING, next_attempt_at=timezone.now(), error="")
    )
    if queued:
        transaction.on_commit(lambda: send_webhook.enqueue(delivery.pk), robust=True)
    return bool(queued)


def deliver_due():
    """Queue every delivery that is due (and release any whose sender died mid-send).

    Run by ``manage.py deliver_webhooks``. With a backend that defers tasks, due deliveries
    already have a queued task: only those overdue by ``WEBHOOKS_SWEEP_GRACE_SECONDS`` are
    queued again (a claim makes sure a delivery is sent once whichever task gets it first).
    """
    now = timezone.now()
    lease = timedelta(seconds=settings.WEBHOOKS_TIMEOUT * 2 + 60)
    WebhookDelivery.objects.filter(status=WebhookDelivery.SENDING, claimed_at__lt=now - lease).update(
        status=WebhookDelivery.RETRYING
    )
    grace = settings.WEBHOOKS_SWEEP_GRACE_SECONDS if send_webhook.get_backend().supports_defer else 0
    due = (
        WebhookDelivery.objects.filter(
            status__in=(WebhookDelivery.PENDING, WebhookDelivery.RETRYING),
            next_attempt_at__lte=now - timedelta(seconds=grace),
        )
        .order_by("seq", "pk")
        .values_list("pk", flat=True)
    )
    queued = 0
    for delivery_id in due:
        send_webhook.enqueue(delivery_id)
        queued += 1
    return queued


# --- HTTP ---------------------------------------------------------------------


class Outcome(NamedTuple):
    """How one attempt went."""

    response_code: int | None
    latency_ms: int | None
    error: str = ""

    @property
    def succeeded(self):
        return self.response_code is not None and 200 <= self.response_code < 300


def sign(secret, message_id, timestamp, body):
    """The ``webhook-*`` headers of a Standard Webhooks request (signed with ``standardwebhooks``)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, timestamp, body),
    }


def post(url, secret, message_id, body):
    """POST ``body`` to ``url``, signed; never raises, never follows a redirect."""
    started = time.monotonic()

    def elapsed_ms():
        return round((time.monotonic() - started) * 1000)

    try:
        scheme, host, port, address = check_target(url)
    except RefusedTarget as refused:
        return Outcome(None, None, f"Refused: {refused}")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    conn = connection_class(host, port, address=address, timeout=settings.WEBHOOKS_TIMEOUT)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **sign(secret, message_id, timezone.now(), body),
    }
    try:
        conn.request("POST", target, body=body.encode(), headers=headers)
        response = conn.getresponse()
        response.read(RESPONSE_READ_LIMIT)
    except TimeoutError:
        return Outcome(None, elapsed_ms(), f"No answer within {settings.WEBHOOKS_TIMEOUT} seconds.")
    except (OSError, http.client.HTTPException) as error:
        return Outcome(None, elapsed_ms(), f"{type(error).__name__}: {error}"[:255])
    finally:
        conn.close()
    error = "" if 200 <= response.status < 300 else f"HTTP {response.status} {response.reason}"[:255]
    return Outcome(response.status, elapsed_ms(), error)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address :func:`check_target` approved, whatever the name resolves to now."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same for HTTPS; the certificate is still checked against the host name."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
