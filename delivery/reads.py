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
def _total_sql(vendor, types):
    """Visible rows of ``types`` page types (0: all): the writer's counters less the rows
    the clock hides (expired, or not live yet), which are few and found by index."""
    table, page_type = _table(), _column("page_type")
    expire_at, go_live_at = _column("expire_at"), _column("go_live_at")
    counts = connection.ops.quote_name(StoredCount._meta.db_table)
    counted_type = connection.ops.quote_name(StoredCount._meta.get_field("page_type").column)
    rows = connection.ops.quote_name(StoredCount._meta.get_field("rows").column)
    placeholders = ", ".join(["%s"] * types)
    of_type = f" AND {page_type} IN ({placeholders})" if types else ""
    counted = f" WHERE {counted_type} IN ({placeholders})" if types else ""
    return (
        f"SELECT (SELECT COALESCE(SUM({rows}), 0) FROM {counts}{counted})"
        f" - (SELECT COUNT(*) FROM {table} WHERE {expire_at} <= %s{of_type})"
        f" - (SELECT COUNT(*) FROM {table} WHERE {go_live_at} > %s"
        f" AND ({expire_at} IS NULL OR {expire_at} > %s){of_type}), {_next_change_sql()}"
    )


def visible_total(page_types=None, now=None):
    """``(rows, next visibility change)``: how many stored pages of ``page_types`` (None: all)
    a reader sees now, without counting the store (see :class:`StoredCount`), in one statement."""
    types = sorted(page_types) if page_types is not None else []
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    sql = _total_sql(connection.vendor, len(types))
    total, next_expiry, next_go_live = _fetch(sql, [*types, now, *types, now, now, *types, now, now])[0]
    return int(total), _earliest(next_expiry, next_go_live)


# Columns a listing may return as the body (its order column is any store field: ``_column`` checks it).
WINDOW_COLUMNS = frozenset({"card", "page_card", "full"})


@cache
def _window_sql(vendor, column, types, order, descending, cursor):
    """One page of an unfiltered listing: ``types`` page types (0: all), in ``order``, NULLs
    last, then by id; ``cursor`` is None (offset paging), ``"null"`` (after a row whose order
    value is NULL) or ``"value"``. The order of ``api.filters.order_queryset`` and
    ``after_cursor``, without building the statement per request.

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
    names = ", ".join(_column(name) for name in ("page_id", column, "page_type", "rendered_with", "seq"))
    select = f"SELECT {names}, {by} AS ordered_by FROM {_table()} WHERE {' AND '.join(where)}"
    if order == "page_id":
        bound = f" AND {page_id} {beyond} %s" if cursor else ""
        return f"{select}{bound} ORDER BY {page_id} {direction} LIMIT %s OFFSET %s"
    if cursor == "null":  # NULLs come last: only more NULLs, by id
        bound = f" AND {by} IS NULL AND {page_id} {beyond} %s"
        return f"{select}{bound} ORDER BY {page_id} {direction} LIMIT %s OFFSET %s"
    if cursor is None:
        return f"{select} ORDER BY {by} {direction} NULLS LAST, {page_id} {direction} LIMIT %s OFFSET %s"
    return (
        f"SELECT * FROM (SELECT * FROM ({select} AND ({by}, {page_id}) {beyond} (%s, %s) "
        f"ORDER BY {by} {direction}, {page_id} {direction} LIMIT %s) AS valued "
        f"UNION ALL SELECT * FROM ({select} AND {by} IS NULL "
        f"ORDER BY {page_id} {direction} LIMIT %s) AS nulls) AS beyond "
        f"ORDER BY ordered_by IS NULL, ordered_by {direction}, {_column('page_id')} {direction} LIMIT %s OFFSET %s"
    )


def stored_window(column, *, page_types, order, descending, limit, offset=0, after=None, now=None):
    """Rows ``(page_id, body, page_type, rendered_with, seq, order value)`` of one page of the
    visible stored pages of ``page_types`` (None: all), in one hand-written statement.

    ``after`` is a keyset position ``(order value, page_id)``: rows strictly beyond it.
    """
    if column not in WINDOW_COLUMNS:
        raise ValueError(f"not a listing column: {column}")
    types = sorted(page_types) if page_types is not None else []
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    visible = [now, now, *types]
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
    sql = _window_sql(connection.vendor, column, len(types), order, descending, cursor)
    rows = _fetch(sql, params)
    if order.endswith("_at"):
        return [(*row[:5], _moment(row[5])) for row in rows]
    return rows
