"""Store the documents with lz4, not pglz, on PostgreSQL servers built with it.

A stored document (about 18 KB of JSON) is compressed out of line, and every read
decompresses it: with PostgreSQL's default, pglz, that was most of what a 20-item
``fields=*`` listing cost the server (0.65 ms a statement at 2,000 reviews, 0.06 ms
of it finding the rows). lz4 decompresses the same documents several times faster
(0.47 ms for the statement) for a few percent more disk. The existing rows are
rewritten once, in batches, so they are compressed the new way (the table holds old
row versions until autovacuum reclaims them); a server without lz4 keeps pglz.
SQLite stores text uncompressed, so this is PostgreSQL only and outside the models'
state, like 0007.
"""

from django.db import migrations

DOCUMENT_COLUMNS = ("detail", "card", "page_card", "full")
REWRITE_BATCH = 500


def _lz4_available(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
    return row is not None and "lz4" in row[0]


def _set_compression(schema_editor, method):
    quote = schema_editor.quote_name
    changes = ", ".join(f"ALTER COLUMN {quote(column)} SET COMPRESSION {method}" for column in DOCUMENT_COLUMNS)
    # A catalog change: the table's exclusive lock is held for moments, not for the rewrite.
    schema_editor.execute(f"ALTER TABLE delivery_storedpage {changes}")
    # A value keeps the compression it was written with: write each one again, a batch of
    # rows per transaction (the migration is not atomic), so reads never wait and a writer
    # waits at most for one batch.
    rewrites = ", ".join(f"{quote(column)} = {quote(column)} || ''" for column in DOCUMENT_COLUMNS)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT MIN(page_id), MAX(page_id) FROM delivery_storedpage")
        first, last = cursor.fetchone()
    if first is None:
        return
    for start in range(first, last + 1, REWRITE_BATCH):
        schema_editor.execute(
            f"UPDATE delivery_storedpage SET {rewrites} WHERE page_id >= %s AND page_id < %s",
            [start, start + REWRITE_BATCH],
        )


def use_lz4(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql" and _lz4_available(schema_editor):
        _set_compression(schema_editor, "lz4")


def use_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _set_compression(schema_editor, "DEFAULT")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("delivery", "0008_pending_renders"),
    ]

    operations = [migrations.RunPython(use_lz4, use_default)]
