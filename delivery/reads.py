"""The store's hot read path: one SQL statement per detail request, no ORM compilation.

A review detail is the API's busiest read. Served through the ORM it cost two
statements (the row, then the next expiry or go-live anywhere, which caps
``Cache-Control``) and about 1.3 ms of query building per request, more than
the rest of the request together. Here both come back from one hand-written
statement whose column and table names come from the models' ``_meta``, so a
renamed field still breaks loudly in the tests. The two ``MIN`` subqueries are
index seeks (``expire_at`` and ``go_live_at`` are indexed), so their cost does
not grow with the store.
"""

import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import StoredCount, StoredPage

# Columns a detail read may return as the body: the detail document (as text, or
# gzipped), or the full document that ``?fields=`` projects from.
BODY_COLUMNS = frozenset({"detail", "detail_gzip", "full"})


class _PreparedCursor(psycopg.Cursor):
    """Server-side binding, every statement prepared: planned once per connection."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    page_id: int
    page_type: str
    body: str | bytes
    etag: str
    rendered_with: str
    next_visibility_change: datetime | None


def plan_prepared_reads_once(sender, connection, **kwargs):
    """``connection_created``: PostgreSQL plans this module's prepared statements once.

    By default a prepared statement is planned again for each execution's values (a custom
    plan) unless a generic plan costs about the same by the planner's estimates, which for a
    listing's window (six scans of a table with two dozen indexes) it never does: the
    listing was planned on every read, 0.5 ms, four times what running it costs. Every
    statement prepared here is one of this module's (Django's own cursors bind on the client
    and prepare nothing; not so with ``server_side_binding``, which is left alone), and each
    is written so that its generic plan uses the indexes a custom one would (``IS NOT NULL``
    before a range on a mostly-NULL column; at 50,000 reviews every window shape's generic
    plan was as fast as its custom one, docs/performance.md)."""
    binds_on_server = connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    if connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS and not binds_on_server:
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")


def _fetch(sql, params):
    """All rows of one of this module's statements.

    On PostgreSQL the statement is bound on the server and prepared on first use in each
    connection (settings.DATABASE_PREPARED_STATEMENTS), so it is planned once, not per
    request: planning the detail statement (two subqueries, a dozen candidate indexes) cost
    0.35 ms, three times what running it does. Django's own cursors bind on the client and
    never prepare, which keeps transaction-mode poolers working; these few fixed statements
    opt in, through Django's cursor wrapper, so they are logged and counted like any query.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # These reads are their own connection health check. With CONN_HEALTH_CHECKS, Django
    # sends ``SELECT 1`` before a request's first statement on a reused connection: for a
    # detail read that is one round trip of two. Here the read goes first, and if the
    # connection died while idle (a restarted or failed-over server, an idle timeout) it
    # reconnects and runs the read once more, which is what the check would have done.
    # Only outside a transaction, where nothing else could be lost with the connection.
    retry = connection.connection is not None and not connection.in_atomic_block
    if retry and connection.health_check_enabled:
        connection.health_check_done = True
    try:
        return _fetch_postgresql(sql, params)
    except (InterfaceError, OperationalError):
        # Only a lost connection: a statement timeout or a cancelled query is not run twice.
        if not retry or not _connection_lost():
            raise
        connection.close()
        return _fetch_postgresql(sql, params)


def _connection_lost():
    raw = connection.connection
    return raw is None or raw.closed or raw.broken


def _fetch_postgresql(sql, params):
    connection.ensure_connection()
    if settings.DATABASE_PREPARED_STATEMENTS:
        raw = _PreparedCursor(connection.connection)
        cursor = (
            connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
        )
    else:
        cursor = connection.cursor()
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _column(name):
    return connection.ops.quote_name(StoredPage._meta.get_field(name).column)


def _table():
    return connection.ops.quote_name(StoredPage._meta.db_table)


def _next_change_sql():
    """Two scalar subqueries: the first expiry and the first go-live after the parameter."""
    table, expire_at, go_live_at = _table(), _column("expire_at"), _column("go_live_at")
    return (
        f"(SELECT MIN({expire_at}) FROM {table} WHERE {expire_at} > %s), "
        f"(SELECT MIN({go_live_at}) FROM {table} WHERE {go_live_at} > %s)"
    )


@cache
def _next_change_statement(vendor):
    return f"SELECT {_next_change_sql()}"


def _visible_sql():
    expire_at, go_live_at = _column("expire_at"), _column("go_live_at")
    return f"({expire_at} IS NULL OR {expire_at} > %s) AND ({go_live_at} IS NULL OR {go_live_at} <= %s)"


def _moment(value):
    """A datetime from the database: drivers give ``datetime`` (PostgreSQL) or text (SQLite)."""
    if value is None or isinstance(value, datetime):
        return value
    moment = parse_datetime(value)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _earliest(*moments):
    return min((_moment(m) for m in moments if m is not None), default=None)


@cache
def _document_sql(vendor, column, paths):
    """The detail statement for a body ``column``, by id (``paths`` 0) or by ``paths`` url paths.

    Cached per shape: building it costs more than SQLite takes to run it.
    """
    if paths:
        where = f"{_column('url_path')} IN ({', '.join(['%s'] * paths)})"
    else:
        where = f"{_column('page_id')} = %s"
    return (
        f"SELECT {_column('page_id')}, {_column('page_type')}, {_column(column)}, {_column('etag')}, "
        f"{_column('rendered_with')}, {_next_change_sql()} FROM {_table()} "
        f"WHERE {where} AND {_visible_sql()} ORDER BY {_column('page_id')} LIMIT 1"
    )


def stored_document(column, *, page_id=None, url_paths=None, now=None):
    """The visible stored document with ``page_id`` (or at one of ``url_paths``), or None.

    ``column`` is ``"detail"``, ``"detail_gzip"`` or ``"full"``. The result carries the store's next
    visibility change (see :func:`next_visibility_change`) from the same statement.
    """
    if column not in BODY_COLUMNS:
        raise ValueError(f"not a document column: {column}")
    keys = [page_id] if page_id is not None else list(url_paths)
    if not keys:
        return None
    sql = _document_sql(connection.vendor, column, 0 if page_id is not None else len(keys))
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    rows = _fetch(sql, [now, now, *keys, now, now])
    if not rows:
        return None
    page_id, page_type, body, etag, rendered_with, next_expiry, next_go_live = rows[0]
    if isinstance(body, memoryview):  # psycopg's bytea
        body = bytes(body)
    return StoredDocument(page_id, page_type, body, etag, rendered_with, _earliest(next_expiry, next_go_live))


def next_visibility_change(now=None):
    """The first moment after ``now`` at which the set of visible stored pages changes by the
    clock alone (a stored page expires or goes live), or None. Nothing signals these moments,
    so no response may be cached past them (api/caching.py)."""
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    return _earliest(*_fetch(_next_change_statement(connection.vendor), [now, now])[0])


@cache
def _total_columns(vendor, types):
    """Visible rows of ``types`` page types (0: all) and the store's next visibility change
    (first expiry, first go-live), as three columns of scalar subqueries: the writer's
    counters less the rows the clock hides (expired, or not live yet), which are few and
    found by index."""
    table, page_type = _table(), _column("page_type")
    expire_at, go_live_at = _column("expire_at"), _column("go_live_at")
    counts = connection.ops.quote_name(StoredCount._meta.db_table)
    counted_type = connection.ops.quote_name(StoredCount._meta.get_field("page_type").column)
    rows = connection.ops.quote_name(StoredCount._meta.get_field("rows").column)
    placeholders = ", ".join(["%s"] * types)
    of_type = f" AND {page_type} IN ({placeholders})" if types else ""
    counted = f" WHERE {counted_type} IN ({placeholders})" if types else ""
    return (
        f"(SELECT COALESCE(SUM({rows}), 0) FROM {counts}{counted})"
        f" - (SELECT COUNT(*) FROM {table} WHERE {expire_at} IS NOT NULL AND {expire_at} <= %s{of_type})"
        f" - (SELECT COUNT(*) FROM {table} WHERE {go_live_at} IS NOT NULL AND {go_live_at} > %s"
        f" AND ({expire_at} IS NULL OR {expire_at} > %s){of_type}), {_next_change_sql()}"
    )


def _total_params(types, at):
    return [*types, at, *types, at, at, *types, at, at]


@cache
def _total_sql(vendor, types):
    return f"SELECT {_total_columns(vendor, types)}"


def _total(row):
    total, next_expiry, next_go_live = row
    return int(total), _earliest(next_expiry, next_go_live)


def visible_total(page_types=None, now=None):
    """``(rows, next visibility change)``: how many stored pages of ``page_types`` (None: all)
    a reader sees now, without counting the store (see :class:`StoredCount`), in one statement."""
    types = sorted(page_types) if page_types is not None else []
    at = connection.ops.adapt_datetimefield_value(now or timezone.now())
    return _total(_fetch(_total_sql(connection.vendor, len(types)), _total_params(types, at))[0])


# Columns a listing may return as the body (its order column is any store field: ``_column`` checks it).
WINDOW_COLUMNS = frozenset({"card", "page_card", "full"})


class Remembered:
    """What this process has read or made from one version of stored content, by version, up
    to a size (a ``share`` of ``DELIVERY_MEMORY_CACHE_MB``); least recently used out first.

    The key names the version, so an entry is never stale, only unused. For listing
    documents (:data:`remembered_documents`) that is ``(column, page_id, seq, etag)``: every
    write of a stored row takes a new change number (``seq``), so the text under one key
    never changes (the ETag, a hash of the detail document, guards against change numbers
    coming round again, as SQLite's can after a rollback). Which rows a reader sees is still
    decided by the database, in the request's own statement; memory only spares moving their
    text again, and encoding it (documents are kept as UTF-8 bytes). On PostgreSQL a
    ``fields=*`` listing's 20 documents (350 KB) cost more to detoast, decompress, send and
    decode than the rest of the request.
    """

    def __init__(self, share=1.0):
        self.share = share
        self._entries = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def limit(self):
        return int(settings.DELIVERY_MEMORY_CACHE_MB * 1024 * 1024 * self.share)

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value):
        """Keep ``value`` (``str`` or ``bytes``) under ``key``, unless it alone is over the limit."""
        limit, size = self.limit(), sys.getsizeof(value)  # what it takes, object header included
        if size > limit:  # 0: remember nothing
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self._size += size
            while self._size > limit:
                _, oldest = self._entries.popitem(last=False)
                self._size -= sys.getsizeof(oldest)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0


remembered_documents = Remembered()


@cache
def _bodies_sql(vendor, column, count):
    """The ``column`` documents of pages by id, visible now: one statement shape per column on
    PostgreSQL (the ids as one array), so it stays prepared; one per id count on SQLite."""
    names = ", ".join(
        _column(name) for name in ("page_id", "page_type", "rendered_with", "seq", "etag", column)
    )
    keys = "= ANY(%s)" if vendor == "postgresql" else f"IN ({', '.join(['%s'] * count)})"
    return f"SELECT {names} FROM {_table()} WHERE {_column('page_id')} {keys} AND {_visible_sql()}"


def with_bodies(column, rows, now=None):
    """Listing rows ``(page_id, page_type, rendered_with, seq, etag, order value)`` as
    ``(page_id, body, page_type, rendered_with, seq, order value)``, ``body`` the ``column``
    document as UTF-8 bytes, ready to join into a response: from memory where this process
    has read that version before, the others from the store in one statement. Every row
    comes back, in order, so a listing's cursor still follows its last row: one no longer
    visible when its document was read (unpublished, expired in between) has ``body`` None,
    and one written again in between comes in its new version. Rows whose version is not
    known (``seq`` None) are simply read.
    """
    if column not in WINDOW_COLUMNS:
        raise ValueError(f"not a listing column: {column}")
    found, missing = {}, []
    remember = remembered_documents.limit() > 0
    for page_id, page_type, rendered_with, seq, etag, *_ in rows:
        body = (
            remembered_documents.get((column, page_id, seq, etag)) if remember and seq is not None else None
        )
        if body is None:
            missing.append(page_id)
        else:
            found[page_id] = (body, page_type, rendered_with, seq)
    if missing:
        at = connection.ops.adapt_datetimefield_value(now or timezone.now())
        sql = _bodies_sql(connection.vendor, column, len(missing))
        keys = [missing] if connection.vendor == "postgresql" else missing
        for page_id, page_type, rendered_with, seq, etag, text in _fetch(sql, [*keys, at, at]):
            # Encoded once here, not on every response: a 350 KB listing with a character past
            # U+00FF in it (a curly quote) is held at two bytes a character, and encoding it to
            # UTF-8 took 0.34 ms (a 342 KB sample), a fifth of a request under gunicorn.
            body = text.encode()
            remembered_documents.put((column, page_id, seq, etag), body)
            found[page_id] = (body, page_type, rendered_with, seq)
    gone = (None, None, None, None)
    return [(row[0], *found.get(row[0], gone), *row[5:]) for row in rows]


def stored_rows(column, page_ids):
    """Rows ``(page_id, body, page_type, rendered_with, seq, None)`` of ``page_ids``; ``body``
    None for those not visible now."""
    return with_bodies(column, [(pk, None, None, None, None, None) for pk in page_ids])


@cache
def _window_sql(vendor, types, order, descending, cursor):
    """One page of an unfiltered listing: ``types`` page types (0: all), in ``order``, NULLs
    last, then by id; ``cursor`` is None (offset paging), ``"null"`` (after a row whose order
    value is NULL) or ``"value"``. The order of ``api.filters.order_queryset`` and
    ``after_cursor``, without building the statement per request. The rows name each
    document's version (:func:`with_bodies` brings the text) and carry the listing's total
    and the store's next visibility change: one round trip when memory holds the documents.

    After a value, the rows beyond it are the non-NULL ones past ``(value, id)``, a row-value
    comparison the database answers with an index seek, followed by the NULL ones: two
    index-ordered parts of at most ``limit`` rows each, so a deep cursor costs what the first
    page costs (the OR of the ORM's form walks the index from its start).
    """
    page_id, by = _column("page_id"), _column(order)
    direction, beyond = ("DESC", "<") if descending else ("ASC", ">")
    where = [_visible_sql()]
    if types:
        where.append(f"{_column('page_type')} IN ({', '.join(['%s'] * types)})")
    names = ", ".join(_column(name) for name in ("page_id", "page_type", "rendered_with", "seq", "etag"))
    total = _total_columns(vendor, types)
    rows = f"FROM {_table()} WHERE {' AND '.join(where)}"
    inner = f"SELECT {names}, {by} AS ordered_by {rows}"
    select = f"SELECT {names}, {by} AS ordered_by, {total} {rows}"
    if order == "page_id":
        bound = f" AND {page_id} {beyond} %s" if cursor else ""
        return f"{select}{bound} ORDER BY {page_id} {direction} LIMIT %s OFFSET %s"
    if cursor == "null":  # NULLs come last: only more NULLs, by id
        bound = f" AND {by} IS NULL AND {page_id} {beyond} %s"
        return f"{select}{bound} ORDER BY {page_id} {direction} LIMIT %s OFFSET %s"
    if cursor is None:
        return f"{select} ORDER BY {by} {direction} NULLS LAST, {page_id} {direction} LIMIT %s OFFSET %s"
    return (
        f"SELECT *, {total} FROM (SELECT * FROM ({inner} AND ({by}, {page_id}) {beyond} (%s, %s) "
        f"ORDER BY {by} {direction}, {page_id} {direction} LIMIT %s) AS valued "
        f"UNION ALL SELECT * FROM ({inner} AND {by} IS NULL "
        f"ORDER BY {page_id} {direction} LIMIT %s) AS nulls) AS beyond "
        f"ORDER BY ordered_by IS NULL, ordered_by {direction}, {_column('page_id')} {direction} LIMIT %s OFFSET %s"
    )


def stored_window(column, *, page_types, order, descending, limit, offset=0, after=None, now=None):
    """``(rows, total, next visibility change)`` of one page of the visible stored pages of
    ``page_types`` (None: all): rows ``(page_id, body, page_type, rendered_with, seq, order
    value)`` (``body`` as :func:`with_bodies` gives it), found with the total by one
    hand-written statement, their documents brought by
    :func:`with_bodies`; ``total`` and the next change as :func:`visible_total` gives them.

    ``after`` is a keyset position ``(order value, page_id)``: rows strictly beyond it.
    """
    if column not in WINDOW_COLUMNS:
        raise ValueError(f"not a listing column: {column}")
    types = sorted(page_types) if page_types is not None else []
    now = now or timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    visible = [at, at, *types]
    if after is None:
        cursor, params = None, [*visible, limit, offset]
    elif order == "page_id" or after[0] is None:
        cursor = "value" if order == "page_id" else "null"
        params = [*visible, after[1], limit, offset]
    else:
        value = after[0]
        if isinstance(value, datetime):
            value = connection.ops.adapt_datetimefield_value(value)
        cursor = "value"
        params = [*visible, value, after[1], limit + offset, *visible, limit + offset, limit, offset]
    sql = _window_sql(connection.vendor, len(types), order, descending, cursor)
    rows = _fetch(sql, [*_total_params(types, at), *params])
    if not rows:  # past the end: no row to carry the total
        return [], *visible_total(page_types, now)
    total, next_change = _total(rows[0][6:9])
    if order.endswith("_at"):
        rows = [(*row[:5], _moment(row[5])) for row in rows]
    return with_bodies(column, [row[:6] for row in rows], now), total, next_change
