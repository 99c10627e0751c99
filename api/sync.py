"""``GET /api/v2/sync/``: a change feed that keeps an offline copy of the public reviews and
interviews exactly in line with the server.

The first call (no cursor) pages through every public review and interview; each
response ends with an opaque ``next_cursor``. Called later with that cursor, the feed
returns only what changed since, in commit order: an *upsert* (the page's full stored
document) for a page that is public now, a *tombstone* (``{"id", "type", "deleted":
true}``) for one that is not. Nothing is rendered here: documents are the delivery
store's bytes (``StoredPage.full``), and what changed comes from the store's change
log (``Change``), both written at publish time by ``delivery.store.write_page``.

A cursor is a position in two sequences, and both need care:

* **Change numbers** (``Change.seq``) are allocated when a transaction writes, but on
  PostgreSQL transactions commit in any order: number 11 may be visible while 10 is
  still in flight. A cursor therefore only ever advances to the *safe horizon*
  (:func:`safe_horizon`): the last number below which no gap is younger than
  ``SYNC_SETTLE_SECONDS``. A gap older than that is a rolled-back transaction and is
  passed; a younger one holds the cursor until it fills.
* **The clock.** Expiry and go-live are applied when the store is read
  (``delivery.store.visible_now``), so a page can stop or start being public without
  any change being logged. A cursor carries the time its round started; the next round
  also reports every stored page whose ``expire_at`` or ``go_live_at`` fell between
  then and now.

One *round* covers the changes and clock moments between the client's position and
the server's position when the round started; a round longer than ``limit`` items is
paged (``has_more``: call again at once with ``next_cursor``). Every item is the
page's state when the response is built, so an item seen twice (a page changed again
while a client paged) is harmless: the last one wins, as it should.

Cursors are signed (a forged or garbled one is a 400) and expire after
``SYNC_RETENTION_DAYS``, the time the change log keeps its tombstones
(``manage.py prune_changes``): an older cursor answers 410 and the client starts over.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from wagtail.api.v2.utils import BadRequestError

from delivery.models import Change, StoredPage
from delivery.render import to_json
from delivery.store import visible_now
from reviews.models import InterviewPage, ReviewPage
from reviews.serializers import type_label

from .errors import json_error, method_not_allowed
from .page_types import requested_page_types
from .pagination import is_number

SYNCED_MODELS = (ReviewPage, InterviewPage)
SYNCED_TYPES = tuple(type_label(model) for model in SYNCED_MODELS)
CURSOR_SALT = "marquee.sync.cursor"
CURSOR_VERSION = 1
# A cursor as the OpenAPI document describes it: signed, URL-safe, short.
CURSOR = {"type": "string", "pattern": r"^[-A-Za-z0-9_:.]{1,1000}$"}
NOT_A_CURSOR = "cursor is not a next_cursor returned by this API"
CACHE_CONTROL = "private, no-cache"
QUERY_PARAMETERS = frozenset({"cursor", "limit", "type", "_"})
# A cursor whose round found nothing is handed back unchanged (same body, same ETag:
# a polling client gets 304), unless it is older than this: then it is renewed so it
# never reaches the retention limit just because nothing was published.
CURSOR_RENEWAL = timedelta(days=1)

INITIAL, CHANGES, CLOCK = "initial", "changes", "clock"


class CursorExpired(Exception):
    """The cursor is older than the change log's retention: start over."""


@dataclass(frozen=True)
class Position:
    """Where a client is.

    ``seq``/``at``: the change number and moment the client's copy is complete up to
    (``at`` is None before the first complete pass). While a round is under way
    (``phase`` set), ``until_seq``/``until`` are its targets and ``after`` is the last
    page id (initial, clock) or change number (changes) already sent in ``phase``.
    """

    types: tuple
    seq: int = 0
    at: datetime | None = None
    phase: str | None = None
    until_seq: int = 0
    until: datetime | None = None
    after: int = 0

    def encode(self):
        payload = [CURSOR_VERSION, list(self.types), self.seq, _moment(self.at), self.phase]
        payload += [self.until_seq, _moment(self.until), self.after]
        return signing.Signer(salt=CURSOR_SALT).sign_object(payload, compress=True)

    @classmethod
    def decode(cls, token):
        try:
            payload = signing.Signer(salt=CURSOR_SALT).unsign_object(token)
            version, types, seq, at, phase, until_seq, until, after = payload
            if version != CURSOR_VERSION:
                raise ValueError(version)
            return cls(tuple(types), seq, _parse(at), phase, until_seq, _parse(until), after)
        except (signing.BadSignature, ValueError, TypeError) as exc:
            raise BadRequestError(NOT_A_CURSOR) from exc

    def oldest_moment(self):
        """The moment since which this cursor needs the change log to be complete."""
        return self.at or self.until

    def settled(self):
        """The position once the round under way is complete."""
        return Position(self.types, seq=self.until_seq, at=self.until)


def _moment(value):
    return value.isoformat() if value is not None else None


def _parse(value):
    return datetime.fromisoformat(value) if value is not None else None


# --- the safe horizon ---------------------------------------------------------------


def safe_horizon(after_seq, now):
    """The highest change number ``h >= after_seq`` such that every change up to ``h`` that will
    ever commit has committed.

    Change numbers come from an autoincrement: on PostgreSQL a transaction holding 10 may
    commit after one holding 11, and a rolled-back one leaves 10 missing for good. A
    missing number is waited for while it is younger than ``SYNC_SETTLE_SECONDS`` (the
    change after it was logged more recently than that; numbers are allocated in time
    order) and passed once it is older. Every change logged before the settle cutoff is
    final; after the last of those, the horizon runs to the end of the unbroken run of
    numbers that follows. Two queries, the second over the last few seconds' changes only.
    """
    cutoff = now - timedelta(seconds=settings.SYNC_SETTLE_SECONDS)
    settled = Change.objects.filter(at__lte=cutoff).aggregate(last=Max("seq"))["last"] or 0
    horizon = max(after_seq, settled)
    has_successor = Exists(Change.objects.filter(seq=OuterRef("seq") + 1))
    run = Change.objects.filter(seq__gt=horizon).aggregate(
        first=Min("seq"), last=Min("seq", filter=~Q(has_successor))
    )
    if run["first"] != horizon + 1:
        return horizon  # nothing newer, or a young gap right after the horizon
    return run["last"]  # the end of the unbroken run: the number before the first young gap


def prune_changes(now):
    """Delete change-log entries no cursor can need any more; returns how many.

    A cursor is refused (410) once its oldest moment is ``SYNC_RETENTION_DAYS`` old; the
    changes after its position were all logged later than that moment less the settle
    time, so entries older than both together are never read again.
    """
    cutoff = now - timedelta(days=settings.SYNC_RETENTION_DAYS, seconds=settings.SYNC_SETTLE_SECONDS)
    deleted, _by_model = Change.objects.filter(at__lt=cutoff).delete()
    return deleted


# --- the phases of a round ----------------------------------------------------------


def _documents(page_ids):
    """``{page_id: full stored document}`` of those ``page_ids`` that are public now."""
    rows = StoredPage.objects.filter(visible_now(), pk__in=page_ids).values_list("page_id", "full")
    return dict(rows)


def _item(page_id, page_type, document):
    """One item's JSON text: an upsert carrying the stored ``document``, or (None) a tombstone."""
    head = f'{{"id":{page_id},"type":{to_json(page_type)},"deleted":'
    return head + ("true}" if document is None else f'false,"document":{document}}}')


def _items(rows):
    """Items for ``(page_id, page_type)`` rows: an upsert if the page is public now, else a tombstone."""
    documents = _documents([page_id for page_id, _page_type in rows])
    return [_item(page_id, page_type, documents.get(page_id)) for page_id, page_type in rows]


def _initial(position, limit):
    """Every public page of the requested types, by id: ``(items, more, last page id)``."""
    rows = list(
        StoredPage.objects.filter(visible_now(), page_type__in=position.types, page_id__gt=position.after)
        .order_by("page_id")
        .values_list("page_id", "page_type", "full")[: limit + 1]
    )
    more, rows = len(rows) > limit, rows[:limit]
    items = [_item(page_id, page_type, full) for page_id, page_type, full in rows]
    return items, more, rows[-1][0] if rows else position.after


def _changes(position, limit):
    """Pages changed after ``seq`` up to the round's horizon, in commit order, each once (at its
    last change in the round): ``(items, more, last change number)``."""
    superseded = Change.objects.filter(
        page_id=OuterRef("page_id"), seq__gt=OuterRef("seq"), seq__lte=position.until_seq
    )
    rows = list(
        Change.objects.filter(
            seq__gt=max(position.seq, position.after),
            seq__lte=position.until_seq,
            page_type__in=position.types,
        )
        .exclude(Exists(superseded))
        .order_by("seq")
        .values_list("seq", "page_id", "page_type")[: limit + 1]
    )
    more, rows = len(rows) > limit, rows[:limit]
    items = _items([(page_id, page_type) for _seq, page_id, page_type in rows])
    return items, more, rows[-1][0] if rows else position.after


def _clock_moments(since, until):
    """Stored pages that expired or went live in ``(since, until]``: no change was logged for them."""
    return Q(expire_at__gt=since, expire_at__lte=until) | Q(go_live_at__gt=since, go_live_at__lte=until)


def _clock(position, limit):
    """Pages that the clock showed or hid during the round, by id: ``(items, more, last page id)``."""
    rows = list(
        StoredPage.objects.filter(
            _clock_moments(position.at, position.until),
            page_type__in=position.types,
            page_id__gt=position.after,
        )
        .order_by("page_id")
        .values_list("page_id", "page_type")[: limit + 1]
    )
    more, rows = len(rows) > limit, rows[:limit]
    return _items(rows), more, rows[-1][0] if rows else position.after


PHASES = {INITIAL: _initial, CHANGES: _changes, CLOCK: _clock}
NEXT_PHASE = {INITIAL: None, CHANGES: CLOCK, CLOCK: None}


# --- one response -------------------------------------------------------------------


def start(types, now):
    """The position of a client with nothing: the initial pass, then changes from its start."""
    return Position(tuple(sorted(types)), phase=INITIAL, until_seq=safe_horizon(0, now), until=now)


def start_round(position, horizon, now):
    """A settled position's next round: changes up to ``horizon``, clock moments up to now."""
    return replace(position, phase=CHANGES, until_seq=horizon, until=now, after=position.seq)


def read(position, limit):
    """``(items, position after them)``: up to ``limit`` items from ``position`` (a round under
    way), running on into the round's next phases while there is room. A full response still
    asks the phase after it for one row, so ``has_more`` is never true before an empty page."""
    items = []
    while position.phase is not None:
        batch, more, last = PHASES[position.phase](position, limit - len(items))
        items += batch
        if more:
            return items, replace(position, after=last)
        following = NEXT_PHASE[position.phase]
        position = replace(position, phase=following, after=0) if following else position.settled()
    return items, position


def clock_moved(position, now):
    """True if a stored page of the position's types expired or went live since it was issued."""
    moments = StoredPage.objects.filter(_clock_moments(position.at, now), page_type__in=position.types)
    return moments.exists()


def sync_page(token, types, limit, now):
    """``(items, next_cursor, has_more)`` for one request; ``types`` None: every synced type
    (a first call) or the cursor's."""
    if token is None:
        position = start(types or SYNCED_TYPES, now)
    else:
        position = Position.decode(token)
        if types is not None and set(types) != set(position.types):
            raise BadRequestError("type must be the same as in the call that started this cursor")
        if position.oldest_moment() < now - timedelta(days=settings.SYNC_RETENTION_DAYS):
            raise CursorExpired
        if position.phase is None:
            horizon = safe_horizon(position.seq, now)
            if (
                horizon == position.seq
                and now - position.at < CURSOR_RENEWAL
                and not clock_moved(position, now)
            ):
                return [], token, False  # nothing happened: the same cursor, the same body, the same ETag
            position = start_round(position, horizon, now)
    items, position = read(position, limit)
    return items, position.encode(), position.phase is not None


# --- the view -----------------------------------------------------------------------


def synced_types(request):
    """The ``page_type`` labels ``?type=`` asks for (None: not given), checked like the pages
    endpoint's, among the synced types only."""
    values = request.GET.getlist("type")
    if not values:
        return None
    if len(values) > 1:
        raise BadRequestError("type may be given once")
    _model, labels = requested_page_types(values[0], served=list(SYNCED_MODELS))
    return labels


def limit_of(request):
    raw = request.GET.get("limit")
    if raw is None:
        return min(settings.SYNC_LIMIT_DEFAULT, settings.SYNC_LIMIT_MAX)
    if not is_number(raw) or len(raw) > 9 or not 1 <= int(raw) <= settings.SYNC_LIMIT_MAX:
        raise BadRequestError(f"limit must be an integer from 1 to {settings.SYNC_LIMIT_MAX}")
    return int(raw)


def cursor_of(request):
    values = request.GET.getlist("cursor")
    if len(values) > 1:
        raise BadRequestError("cursor may be given once")
    if not values:
        return None
    if not re.fullmatch(CURSOR["pattern"][1:-1], values[0]):
        raise BadRequestError(NOT_A_CURSOR)
    return values[0]


@csrf_exempt
def sync_view(request):
    """The feed: ``{"items": [...], "next_cursor": "…", "has_more": false}``, private to its client."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request)
    try:
        unknown = set(request.GET) - QUERY_PARAMETERS
        if unknown:
            raise BadRequestError("query parameter is not recognised: " + ", ".join(sorted(unknown)))
        items, next_cursor, has_more = sync_page(
            cursor_of(request), synced_types(request), limit_of(request), timezone.now()
        )
    except BadRequestError as exc:
        return json_error(str(exc), 400)
    except CursorExpired:
        return json_error(
            f"cursor is older than {settings.SYNC_RETENTION_DAYS} days: discard the local copy "
            "and start over with a call without cursor",
            410,
        )
    body = (
        '{"items":['
        + ",".join(items)
        + '],"next_cursor":'
        + to_json(next_cursor)
        + ',"has_more":'
        + ("true" if has_more else "false")
        + "}"
    )
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = CACHE_CONTROL  # one client's position; the ETag comes from the middleware
    return response
