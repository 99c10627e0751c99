"""The reference frontend's server: every route gets the page, the API is named, nothing else is allowed.

What a static host must replicate (examples/frontend/README.md), checked over HTTP.
"""

import sys

import pytest

from tests.processes import ServerProcess, free_port, http_get

API = "http://api.marquee.test:8000/api/v2/"


@pytest.fixture(scope="module")
def frontend():
    port = free_port()
    command = [sys.executable, "examples/frontend/serve.py", "--port", port, "--api", API]
    command += ["--media-origin", "https://media.marquee.test"]
    with ServerProcess(command, port=port) as server:
        yield server


def fetch(url):
    status, headers, body = http_get(url)
    return status, headers, body.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/reviews/",
        "/reviews/some-film/",
        "/interviews/x/?a=1",
        "/critics/maya-okafor/",
        "/festivals/",
        "/festivals/siff-2012/",
        "/grades/",
        "/preview/?token=t",
    ],
)
def test_every_route_gets_the_page(frontend, path):
    status, headers, body = fetch(frontend.url(path))
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert '<script type="module" src="/assets/app.js">' in body


def test_config_names_the_api(frontend):
    status, headers, body = fetch(frontend.url("/config.js"))
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert body == f'window.MARQUEE_CONFIG = {{"apiBase": "{API}"}};\n'


def test_policy_allows_the_api_and_media_origins_only(frontend):
    _, headers, _ = fetch(frontend.url("/reviews/some-film/"))
    policy = dict(
        directive.strip().split(" ", 1) for directive in headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["connect-src"] == "http://api.marquee.test:8000"
    assert policy["img-src"] == "'self' http://api.marquee.test:8000 https://media.marquee.test"
    assert policy["script-src"] == "'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_files_outside_the_frontend_are_not_served(frontend):
    for path in ("/../Makefile", "/%2e%2e/Makefile", "/../../site_config/settings/base.py"):
        _, _, body = fetch(frontend.url(path))
        assert "SECRET_KEY" not in body and ".PHONY" not in body
        assert '<script type="module" src="/assets/app.js">' in body  # the page, not the file


def test_the_log_keeps_no_preview_token(frontend):
    assert fetch(frontend.url("/preview/?content_type=reviews.reviewpage&token=secret-draft-key"))[0] == 200
    assert "GET /preview/ " in frontend.output()
    assert "secret-draft-key" not in frontend.output()
