"""The delivery store: every publicly visible page, rendered once, read as stored bytes.

One :class:`StoredPage` row per public page holds its JSON three ways (the
detail document, the listing card of its type, the generic page card) plus the
full document that ``?fields=`` projects from, its ETag, and the columns every
filter and ordering of the API needs. Only public pages are ever in it: a page
that is a draft, scheduled, expired, restricted or under a restricted parent has
no row. :class:`StoredCount` counts rows per type. :class:`StoredFacet` indexes the many-valued filters (authors, people,
tags, slugs of films and festivals); :class:`Dependency` lists what each
document showed, so a change re-renders exactly the documents that showed it;
:class:`Change` is the ordered log of every upsert and removal;
:class:`PendingRender` holds the pages waiting for the worker to re-render them.
:class:`WebhookEndpoint` and :class:`WebhookDelivery` tell outside systems of
those changes (delivery/webhooks.py).
"""

import base64
import secrets

from django.core.exceptions import ValidationError
from django.db import models

from .targets import RefusedTarget, check_target


class Change(models.Model):
    """One entry per document written or removed, in commit order (``seq``)."""

    seq = models.BigAutoField(primary_key=True)
    page_id = models.BigIntegerField()
    page_type = models.CharField(max_length=100)
    deleted = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["page_id", "seq"], name="delivery_change_page_seq")]

    def __str__(self):
        return f"#{self.seq} {'removed' if self.deleted else 'stored'} page {self.page_id}"


class StoredPage(models.Model):
    page_id = models.BigIntegerField(primary_key=True)
    page_type = models.CharField(max_length=100, db_index=True)  # "reviews.ReviewPage"
    content_type_id = models.IntegerField()
    url_path = models.CharField(max_length=1000, db_index=True)  # Wagtail's url_path, for find-by-path
    path = models.CharField(max_length=255, db_index=True)  # tree path: descendant_of, ancestors
    depth = models.PositiveIntegerField()
    parent_id = models.BigIntegerField(null=True, db_index=True)

    # Filter and ordering columns.
    title = models.CharField(max_length=255)
    slug = models.CharField(max_length=255, db_index=True)
    first_published_at = models.DateTimeField(null=True)
    last_published_at = models.DateTimeField(null=True)
    go_live_at = models.DateTimeField(null=True, db_index=True)  # a live page not yet due: hidden until then
    expire_at = models.DateTimeField(null=True, db_index=True)
    film_id = models.BigIntegerField(null=True, db_index=True)
    festival_id = models.BigIntegerField(null=True, db_index=True)
    film_year = models.PositiveSmallIntegerField(null=True, db_index=True)
    grade_score = models.PositiveSmallIntegerField(null=True)

    # The rendered JSON (UTF-8 text, exactly the bytes clients receive).
    detail = models.TextField()
    detail_gzip = models.BinaryField(default=b"")  # the same bytes, gzipped once, for clients that accept it
    card = models.TextField()
    page_card = models.TextField()
    full = models.TextField()
    etag = models.CharField(max_length=40)
    rendered_with = models.CharField(max_length=40)  # fingerprint of the settings that shape the bytes
    rendered_at = models.DateTimeField(auto_now=True)
    seq = models.BigIntegerField(db_index=True)  # the Change that wrote this version

    class Meta:
        indexes = [
            models.Index(fields=["-first_published_at", "-page_id"], name="delivery_page_published"),
            models.Index(
                fields=["page_type", "-first_published_at", "-page_id"], name="delivery_type_published"
            ),
            models.Index(
                fields=["page_type", "-last_published_at", "-page_id"], name="delivery_type_updated"
            ),
            models.Index(fields=["page_type", "grade_score", "page_id"], name="delivery_type_grade"),
            models.Index(fields=["page_type", "title", "page_id"], name="delivery_type_title"),
            # The rows the clock hides, per type, found without a scan (delivery/reads.py).
            models.Index(fields=["page_type", "expire_at"], name="delivery_type_expiry"),
            models.Index(fields=["page_type", "go_live_at"], name="delivery_type_go_live"),
        ]

    def __str__(self):
        return f"{self.page_type} {self.page_id}: {self.title}"


class StoredCount(models.Model):
    """How many rows of a page type the store holds, kept by the writer in the row's transaction.

    ``COUNT(*)`` over the store grows with it (13 ms for 2,000 reviews on SQLite, the
    rows being wide); a listing's ``total_count`` without filters reads this counter
    and subtracts the few rows the clock hides (delivery/reads.py).
    """

    page_type = models.CharField(max_length=100, primary_key=True)
    rows = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.page_type}: {self.rows}"


class StoredFacet(models.Model):
    """A many-valued filter value of a stored page: ``("author_id", "3")``, ``("tag", "horror")``."""

    page = models.ForeignKey(StoredPage, on_delete=models.CASCADE, related_name="facets")
    kind = models.CharField(max_length=16)
    value = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["kind", "value", "page"], name="delivery_facet_lookup")]

    def __str__(self):
        return f"{self.kind}={self.value}"


class Dependency(models.Model):
    """Document ``page_id`` shows object ``object_id`` of ``kind`` (see delivery/loader.py)."""

    page_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"], name="delivery_dependency_lookup")]

    def __str__(self):
        return f"page {self.page_id} shows {self.kind} {self.object_id}"


class PendingRender(models.Model):
    """A page whose stored document must be brought in line with a committed change: the outbox.

    A change adds one row per page it reaches, in its own transaction, so the row commits
    with the change or not at all. Rows are only ever inserted by changes and deleted by
    the worker: editors never wait on one another's rows. The worker claims rows, renders
    each page they name once (five rows for one page, one render), and deletes exactly the
    rows it claimed; a row added while the page rendered stays, and the page renders again
    (delivery/outbox.py).
    """

    id = models.BigAutoField(primary_key=True)  # commit order, near enough: oldest first
    page_id = models.BigIntegerField()  # not a foreign key: deleted pages must leave the store
    claim = models.UUIDField(null=True)  # the worker batch rendering it
    claimed_until = models.DateTimeField(null=True)  # that claim's lease
    retry_at = models.DateTimeField(null=True)  # after a failed render: not before then
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["claimed_until", "retry_at"], name="delivery_pending_due"),
            models.Index(fields=["page_id"], name="delivery_pending_page"),
        ]

    def __str__(self):
        return f"page {self.page_id} (#{self.id})"


# --- Webhooks (delivery/webhooks.py sends them) -----------------------------------


def new_webhook_secret():
    """A Standard Webhooks signing secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """A URL told of every change to the public pages, signed per the Standard Webhooks spec.

    ``secret`` (``whsec_`` + base64 of 32 random bytes) is generated on creation and shown to the
    editor once; the admin never displays it again. ``consecutive_failures`` counts failed attempts
    since the last success; past ``WEBHOOKS_DISABLE_AFTER_FAILURES`` the endpoint is switched off
    (``active`` false, ``disabled_at`` set) and the admin says so.
    """

    PUBLISHED = "page.published"
    UNPUBLISHED = "page.unpublished"
    DELETED = "page.deleted"
    UPDATED = "page.updated"
    EVENT_CHOICES = [
        (PUBLISHED, "page.published: first published, or a new revision published"),
        (
            UPDATED,
            "page.updated: re-rendered without a new revision (a person, film, image or linked page changed)",
        ),
        (
            UNPUBLISHED,
            "page.unpublished: no longer public (unpublished, restricted, expired, moved under a restricted page)",
        ),
        (DELETED, "page.deleted: deleted"),
    ]
    EVENT_TYPES = [value for value, _label in EVENT_CHOICES]

    url = models.URLField(
        max_length=2000, help_text="Receives a signed POST for every event it subscribes to."
    )
    description = models.CharField(max_length=255, blank=True)
    event_types = models.JSONField(default=list, help_text="The events this endpoint receives.")
    active = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "webhook endpoint"
        ordering = ["url", "pk"]

    def __str__(self):
        return self.description or self.url

    def clean(self):
        unknown = set(self.event_types or []) - set(self.EVENT_TYPES)
        if unknown:
            raise ValidationError({"event_types": f"Unknown event types: {', '.join(sorted(unknown))}."})
        if self.url:
            try:
                check_target(self.url)
            except RefusedTarget as refused:
                raise ValidationError({"url": str(refused)}) from refused

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = new_webhook_secret()
        if self.active and self.disabled_at is not None:
            # Switched back on by an editor: a fresh start.
            self.disabled_at = None
            self.consecutive_failures = 0
        super().save(*args, **kwargs)


class WebhookDelivery(models.Model):
    """One event for one endpoint: the exact signed body, and how its attempts went.

    ``message_id`` is the ``webhook-id`` header: the same on every attempt and on a redelivery,
    so a receiver can drop duplicates. Deliveries of one page to one endpoint leave in ``seq``
    order: a later one waits while an earlier one is still pending or retrying.
    """

    PENDING = "pending"
    SENDING = "sending"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    STATUS_CHOICES = [
        (PENDING, "Pending"),
        (SENDING, "Sending"),
        (RETRYING, "Retrying"),
        (SUCCEEDED, "Succeeded"),
        (FAILED, "Failed"),
        (SKIPPED, "Skipped"),
    ]
    UNFINISHED = (PENDING, SENDING, RETRYING)

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=32)
    page_id = models.BigIntegerField()
    page_type = models.CharField(max_length=100)
    seq = models.BigIntegerField()  # the Change this event reports
    payload = models.TextField()  # the exact bytes signed and sent
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True)
    last_attempt_at = models.DateTimeField(null=True)
    response_code = models.PositiveSmallIntegerField(null=True)
    latency_ms = models.PositiveIntegerField(null=True)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["endpoint", "page_id", "seq"], name="delivery_webhook_page_seq"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_webhook_due"),
            models.Index(fields=["endpoint", "-created_at"], name="delivery_webhook_log"),
        ]

    def __str__(self):
        return f"{self.event} page {self.page_id} → {self.endpoint_id} ({self.status})"
