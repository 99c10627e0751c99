"""The default SQLite database takes several editors at once (``make run``).

Wagtail's editor writes from one browser tab in parallel: autosave POSTs the
form to the edit view (a new revision) while the preview panel POSTs it to the
preview view (a stored form state). With SQLite's defaults two such writers
collide, and one gets a 500 "database is locked". The settings give every
SQLite database WAL, a busy timeout and ``BEGIN IMMEDIATE`` transactions;
this test proves it against a real server on a real SQLite file, whatever
database the rest of the suite runs on.
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.processes import ROOT, ServerProcess, free_port

PAGES = 3  # editors, each in one tab on their own review
ROUNDS = 6  # autosave and preview requests per tab
PASSWORD = "concurrent-editors"
SETUP = """
import django, json
django.setup()
from django.contrib.auth import get_user_model
from reviews.factories import ReviewPageFactory
pages = []
for n in range({pages}):
    get_user_model().objects.create_superuser(f"editor{{n}}", "", {password!r})
    page = ReviewPageFactory()
    pages.append({{"id": page.pk, "film": page.film_id, "person": page.authors.get().person_id}})
print(json.dumps(pages))
"""


class AdminTab:
    """One logged-in browser: its own cookies, the CSRF token sent back with each POST."""

    def __init__(self, base_url, username):
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.request("GET", "/admin/login/")
        status, _ = self.request("POST", "/admin/login/", {"username": username, "password": PASSWORD})
        assert status == 200, "login failed"

    def csrf_token(self):
        return next((cookie.value for cookie in self.cookies if cookie.name == "csrftoken"), "")

    def request(self, method, path, data=None, headers=None):
        """``(status, body text)``, without raising on 4xx/5xx."""
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.csrf_token()}).encode()
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def review_form(page, round_number):
    return nested_form_data(
        {
            "title": f"Edited in round {round_number}",
            "slug": f"review-{page['id']}",
            "summary": "Written while the preview refreshes.",
            "film": page["film"],
            "grade": 10,
            "festival": "",
            "authors": inline_formset([{"person": page["person"]}]),
            "related_links": inline_formset([]),
            "tags": "",
            "body": streamfield([("text", rich_text(f"<p>Draft {round_number}.</p>"))]),
        }
    )


def test_autosave_and_preview_at_once_never_hit_a_locked_database(migrated_sqlite, tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DJANGO_SETTINGS_MODULE": "site_config.settings.dev",  # what `make run` serves
        "DATABASE_URL": f"sqlite:///{migrated_sqlite}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    setup = SETUP.format(pages=PAGES, password=PASSWORD)
    result = subprocess.run(
        [sys.executable, "-c", setup], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    pages = json.loads(result.stdout)

    port = free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with ServerProcess(command, port=port, env=env, ready_path="/healthz") as server:
        tabs = [AdminTab(server.url("").rstrip("/"), f"editor{n}") for n in range(PAGES)]
        start = threading.Barrier(2 * PAGES)
        failures = []

        def autosave(tab, page):
            start.wait()
            for round_number in range(ROUNDS):
                status, body = tab.request(
                    "POST",
                    f"/admin/pages/{page['id']}/edit/",
                    review_form(page, round_number),
                    headers={"Accept": "application/json"},
                )
                if status != 200:
                    failures.append(("autosave", status, body[:300]))

        def preview(tab, page):
            start.wait()
            for round_number in range(ROUNDS):
                status, body = tab.request(
                    "POST", f"/admin/pages/{page['id']}/edit/preview/", review_form(page, round_number)
                )
                if status != 200:
                    failures.append(("preview", status, body[:300]))

        threads = [
            threading.Thread(target=writer, args=(tab, page))
            for tab, page in zip(tabs, pages, strict=True)
            for writer in (autosave, preview)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert failures == []


def test_every_sqlite_database_url_gets_wal_and_immediate_transactions(tmp_path):
    """Not only the default file: any ``sqlite:///`` DATABASE_URL, e.g. a scratch or restored copy."""
    database = tmp_path / "elsewhere.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "site_config.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    script = (
        "import django, json; django.setup(); from django.db import connection; connection.ensure_connection();"
        "print(json.dumps(connection.settings_dict['OPTIONS']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )

    assert json.loads(result.stdout)["transaction_mode"] == "IMMEDIATE"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
