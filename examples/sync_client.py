"""A reference client for ``GET /api/v2/sync/``: keeps every public review and interview in SQLite.

Standard library only. Run it as often as you like; each run fetches only what changed:

    python examples/sync_client.py http://127.0.0.1:8000 marquee.sqlite3
    python examples/sync_client.py http://127.0.0.1:8000 reviews.sqlite3 --type reviews.ReviewPage

The loop an app runs (docs/api.md, "Keeping an offline copy in sync"):

1. Call ``/api/v2/sync/`` with the stored cursor (none the first time).
2. Apply the items in order: an upsert replaces the stored document, a tombstone deletes it.
   Store ``next_cursor`` in the same transaction, so a crash never loses or repeats a step.
3. While ``has_more`` is true, call again at once with ``next_cursor``.
4. On ``410`` the cursor is too old: start over without one, keep the old copy on screen
   until the new pass completes, then drop whatever it did not bring back.
"""

import argparse
import json
import sqlite3
import urllib.error
import urllib.parse
import urllib.request

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    document TEXT NOT NULL,
    pass INTEGER NOT NULL  -- the full pass that last confirmed it (see sync)
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
"""


def http_get(url):
    """``(status, body bytes)`` of a GET, 4xx and 5xx included."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class SyncError(Exception):
    pass


class SyncClient:
    """An offline copy in the SQLite file ``path``, kept in sync with the API at ``base_url``.

    ``fetch(url) -> (status, body)`` does the HTTP (default :func:`http_get`; tests pass
    Django's test client). ``types`` narrows the copy, e.g. ``["reviews.ReviewPage"]``.
    """

    def __init__(self, base_url, path=":memory:", types=None, fetch=http_get, limit=None):
        self.endpoint = base_url.rstrip("/") + "/api/v2/sync/"
        self.types = ",".join(types) if types else None
        self.limit = limit
        self.fetch = fetch
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)
        self.requests = 0
        self.bytes = 0

    def _state(self, key, default=None):
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def _set_state(self, key, value):
        self.db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    def url(self, cursor):
        query = {"cursor": cursor} if cursor else {"type": self.types} if self.types else {}
        if self.limit:
            query["limit"] = self.limit
        return self.endpoint + ("?" + urllib.parse.urlencode(query) if query else "")

    def sync(self):
        """Bring the copy up to date; returns the number of items applied."""
        applied = 0
        while True:
            cursor = self._state("cursor")
            status, body = self.fetch(self.url(cursor))
            self.requests += 1
            self.bytes += len(body)
            if status == 410 and cursor is not None:
                self._start_over()
                continue
            if status != 200:
                raise SyncError(f"sync answered {status}: {body[:200]!r}")
            response = json.loads(body)
            with self.db:  # one transaction: the items and the cursor that follows them
                full_pass = int(self._state("pass", "0"))
                for item in response["items"]:
                    if item["deleted"]:
                        self.db.execute("DELETE FROM documents WHERE id = ?", (item["id"],))
                    else:
                        self.db.execute(
                            "INSERT OR REPLACE INTO documents (id, type, document, pass) VALUES (?, ?, ?, ?)",
                            (item["id"], item["type"], json.dumps(item["document"]), full_pass),
                        )
                applied += len(response["items"])
                self._set_state("cursor", response["next_cursor"])
                if not response["has_more"] and self._state("restarting"):
                    # A pass that started over is complete: what it did not bring back is gone.
                    self.db.execute("DELETE FROM documents WHERE pass < ?", (full_pass,))
                    self.db.execute("DELETE FROM state WHERE key = 'restarting'")
            if not response["has_more"]:
                return applied

    def _start_over(self):
        """The server no longer has the changes since our cursor: fetch everything again."""
        with self.db:
            self.db.execute("DELETE FROM state WHERE key = 'cursor'")
            self._set_state("pass", str(int(self._state("pass", "0")) + 1))
            self._set_state("restarting", "1")

    def documents(self):
        """``{id: document}`` of the copy."""
        rows = self.db.execute("SELECT id, document FROM documents")
        return {page_id: json.loads(document) for page_id, document in rows}


def main():
    parser = argparse.ArgumentParser(description="Keep an offline copy of Marquee's reviews and interviews.")
    parser.add_argument("base_url", help="the API's origin, e.g. http://127.0.0.1:8000")
    parser.add_argument("database", help="SQLite file to keep the copy in")
    parser.add_argument("--type", action="append", help="only this page type (repeatable)")
    parser.add_argument("--limit", type=int, help="items per request")
    args = parser.parse_args()
    client = SyncClient(args.base_url, args.database, types=args.type, limit=args.limit)
    applied = client.sync()
    count = client.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    print(f"{applied} items applied in {client.requests} requests ({client.bytes} bytes); {count} documents")


if __name__ == "__main__":
    main()
