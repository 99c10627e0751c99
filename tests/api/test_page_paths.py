"""Page paths on the API host: a redirect to the frontend for public pages, 404 for the rest.

The backend never renders a page for a reader. Whoever asks (anonymous or an
editor's session), ``/<path>/`` answers ``302`` to the page's frontend URL when
the API would serve that page, and ``404`` otherwise; only the admin's preview
renders a page, for the editor.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from wagtail.contrib.redirects.models import Redirect

from reviews.factories import InterviewPageFactory, ReviewPageFactory
from reviews.models import HomePage, InterviewIndexPage, ReviewIndexPage
from tests.api.test_visibility import HIDDEN_TITLE, HIDING, make_login_protected
from tests.databases import scratch_database

pytestmark = pytest.mark.django_db
FRONTEND = "https://www.marquee.test"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/", "/reviews/", "/interviews/"])
def test_home_and_index_pages_redirect_to_the_frontend(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == FRONTEND + path


def test_a_public_review_redirects_to_its_frontend_url(client):
    ReviewPageFactory(slug="never-sorry")
    response = client.get("/reviews/never-sorry/")
    assert response.status_code == 302
    assert response["Location"] == f"{FRONTEND}/reviews/never-sorry/"


def test_the_redirect_carries_no_page_content(client):
    ReviewPageFactory(title="Redirected review", slug="redirected")
    assert b"Redirected review" not in client.get("/reviews/redirected/").content


def test_the_query_string_is_kept(client):
    assert client.get("/reviews/", {"page": "2"})["Location"] == f"{FRONTEND}/reviews/?page=2"


@pytest.mark.parametrize("hide", HIDING, ids=lambda f: f.__name__)
def test_a_page_the_api_hides_is_not_found(client, hide):
    page = InterviewPageFactory(title=HIDDEN_TITLE)
    hide(page)
    response = client.get(f"/interviews/{page.slug}/")
    assert response.status_code == 404
    assert HIDDEN_TITLE.encode() not in response.content


def test_a_restricted_index_is_not_found(client):
    make_login_protected(ReviewIndexPage.objects.get())
    assert client.get("/reviews/").status_code == 404


def test_an_editor_session_sees_no_more_than_the_public(admin_client):
    draft = ReviewPageFactory(slug="editor-draft")
    draft.unpublish()
    ReviewPageFactory(slug="editor-live")
    assert admin_client.get("/reviews/editor-draft/").status_code == 404
    assert admin_client.get("/reviews/editor-live/").status_code == 302


def test_without_a_frontend_every_page_path_is_not_found(client, settings):
    settings.FRONTEND_BASE_URL = ""
    ReviewPageFactory(slug="nowhere-to-go")
    assert client.get("/").status_code == 404
    assert client.get("/reviews/nowhere-to-go/").status_code == 404


def test_wagtail_redirects_still_apply(client):
    review = ReviewPageFactory(slug="new-slug")
    Redirect.add_redirect("/old-slug", redirect_to=review)
    response = client.get("/old-slug/")
    assert response.status_code == 301
    assert response["Location"] == f"{FRONTEND}/reviews/new-slug/"


def test_a_redirect_from_a_hidden_page_path_applies(client):
    draft = ReviewPageFactory(slug="withdrawn")
    draft.unpublish()
    Redirect.add_redirect("/reviews/withdrawn", redirect_to="https://elsewhere.example/")
    response = client.get("/reviews/withdrawn/")
    assert response.status_code == 301
    assert response["Location"] == "https://elsewhere.example/"


@pytest.mark.parametrize("model", [HomePage, ReviewIndexPage, InterviewIndexPage])
def test_editors_still_preview_every_page_type_server_rendered(admin_client, settings, model):
    settings.PREVIEW_FRONTEND_URL = ""
    page = model.objects.get()
    response = admin_client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert response.status_code == 200
    assert page.title.encode() in response.content


def test_editors_still_preview_a_review_server_rendered(admin_client, settings):
    settings.PREVIEW_FRONTEND_URL = ""
    review = ReviewPageFactory(title="Previewed review", slug="previewed")
    review.unpublish()
    response = admin_client.get(f"/admin/pages/{review.pk}/view_draft/")
    assert response.status_code == 200
    assert b"Previewed review" in response.content


PRODUCTION_PROBE = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(raise_request_exception=False, HTTP_HOST="api.example.com")
for path in ("/", "/reviews/", "/interviews/", "/no-such-page/"):
    response = client.get(path, secure=True)
    print(path, response.status_code, response.get("Location"))
"""


def test_production_settings_redirect_page_paths_too(tmp_path):
    """The same answers under production settings, on a freshly migrated database."""
    with scratch_database("page_paths", tmp_path) as database_url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_config.settings.production",
            "SECRET_KEY": "p" * 20 + "-long-random-production-secret-" + "q" * 20,
            "ALLOWED_HOSTS": "api.example.com",
            "DATABASE_URL": database_url,
            "FRONTEND_BASE_URL": "https://www.example.com",
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
        env.pop("REDIS_URL", None)
        result = subprocess.run(
            [sys.executable, "-c", PRODUCTION_PROBE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "/ 302 https://www.example.com/",
        "/reviews/ 302 https://www.example.com/reviews/",
        "/interviews/ 302 https://www.example.com/interviews/",
        "/no-such-page/ 404 None",
    ]
