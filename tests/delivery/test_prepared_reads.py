"""On PostgreSQL the store's read statements are prepared and planned once per connection.

Planning the detail statement cost three times what running it does (docs/performance.md);
if a settings change left psycopg's prepare threshold unset, every read would be planned
again and nothing else would notice. (tests/ops/test_faults.py holds, against a real
server, that a read on a connection dropped while idle reconnects instead of failing.)
"""

import pytest
from django.db import connection

from reviews.factories import ReviewPageFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_detail_and_listing_reads_are_prepared(client):
    review = ReviewPageFactory()
    for path in (f"/api/v2/pages/{review.pk}/", "/api/v2/pages/?type=reviews.ReviewPage"):
        assert client.get(path).status_code == 200
    statements = prepared_statements()
    assert any("delivery_storedpage" in sql and "LIMIT 1" in sql for sql in statements)  # detail
    assert any("ordered_by" in sql for sql in statements)  # listing window


def test_reads_are_planned_once_not_on_every_execution(client):
    review = ReviewPageFactory()
    paths = (f"/api/v2/pages/{review.pk}/", "/api/v2/pages/?type=reviews.ReviewPage")
    for _ in range(8):  # past the five custom plans PostgreSQL tries before it may settle
        for path in paths:
            assert client.get(path).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%ordered_by%'"
        )
        plans = cursor.fetchall()
    assert plans and all(custom == 0 for _generic, custom in plans), plans


def test_documents_are_compressed_with_lz4_where_the_server_has_it():
    with connection.cursor() as cursor:
        cursor.execute("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
        if "lz4" not in cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL server was built without lz4")
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute "
            "WHERE attrelid = 'delivery_storedpage'::regclass AND attname IN ('detail', 'card', 'page_card', 'full')"
        )
        assert dict(cursor.fetchall()) == {"detail": "l", "card": "l", "page_card": "l", "full": "l"}
