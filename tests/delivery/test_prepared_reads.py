"""On PostgreSQL the store's read statements are prepared once per connection.

Planning the detail statement cost three times what running it does (docs/performance.md);
if a settings change left psycopg's prepare threshold unset, every read would be planned
again and nothing else would notice. (That the reads are their own connection health
check is proven against a real server: tests/ops/test_faults.py.)
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
