"""Browser tests: the admin, the API and the reference frontend as real servers, driven in Chromium.

One stack per session: a scratch database (SQLite, or a fresh PostgreSQL database when
DATABASE_URL points there; Redis as the cache when REDIS_URL is set), its own media,
the demo content and logins (``load_demo``: admin, editor, critic), Django's server for
the admin and the API on one origin, ``examples/frontend/serve.py`` on another, and
CORS and the preview URL configured between them exactly as a deployment would.
Debian's chromium runs headless through Playwright. Screenshots: ``test-artifacts/``.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from playwright.sync_api import sync_playwright

from tests.databases import scratch_database
from tests.processes import ROOT, ServerProcess, free_port, http_get

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_PASSWORD = "marquee-demo"


DESKTOP = {"width": 1400, "height": 1000}
MOBILE = {"width": 390, "height": 844}  # a phone held upright


@dataclass(frozen=True)
class Stack:
    api: str  # the admin and the API: http://127.0.0.1:<port>
    frontend: str  # the reference frontend, another origin
    env: dict  # the servers' environment: its database, media, base URLs

    def django(self, code):
        """Run Python against the stack's database (``manage.py shell -c``), as an operator would.

        For content a test needs that the demo lacks; saving goes through the same
        signals as the admin, so the delivery store follows.
        """
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def api_get(self, path, **params):
        """(status, JSON) of an anonymous API request, as any client would make it."""
        status, _, body = http_get(f"{self.api}/api/v2/{path}" + (f"?{urlencode(params)}" if params else ""))
        return status, json.loads(body)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("e2e")
    api_port, frontend_port = free_port(), free_port()
    api, frontend = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{frontend_port}"
    with scratch_database("marquee_e2e", workdir) as database_url:
        env = {
            **os.environ,  # REDIS_URL, when set, is the server's cache: preview drafts live there
            "DJANGO_SETTINGS_MODULE": "site_config.settings.dev",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "0",  # the scratch database is dropped at the end
            "CACHE_KEY_PREFIX": f"marquee-e2e-{api_port}",
            "MEDIA_ROOT": str(workdir / "media"),
            "FRONTEND_BASE_URL": frontend,
            "PREVIEW_FRONTEND_URL": f"{frontend}/preview/",
            "CORS_ALLOWED_ORIGINS": frontend,
            "WAGTAILAPI_BASE_URL": api,
            "WAGTAILADMIN_BASE_URL": api,
            # These tests edit at machine speed: an autosave (Wagtail's, half a second after a
            # change) still in flight when the next step lands made the editor lose a link
            # just chosen or report fields required that the test had filled.
            "WAGTAIL_AUTOSAVE_INTERVAL": "0",
        }
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "--noinput"], ["load_demo"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
        api_server = ServerProcess(
            [*manage, "runserver", f"127.0.0.1:{api_port}", "--noreload"],
            port=api_port,
            env=env,
            ready_path="/healthz",
        )
        frontend_server = ServerProcess(
            [
                sys.executable,
                "examples/frontend/serve.py",
                "--port",
                frontend_port,
                "--api",
                f"{api}/api/v2/",
            ],
            port=frontend_port,
        )
        with api_server, frontend_server:
            yield Stack(api=api, frontend=frontend, env=env)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is not installed: `make test-e2e` installs it (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Session:
    """One browser context (its own cookies), recording what a test must not see."""

    def __init__(self, browser, stack, viewport=DESKTOP):
        self.stack = stack
        self.context = browser.new_context(viewport=viewport, device_scale_factor=1)
        self.context.set_default_timeout(20_000)
        self.foreign_requests = []  # anything not from the API's or the frontend's origin
        self.console_errors = []
        self.context.on("request", self._on_request)
        self.context.on("page", self._watch)
        self.page = self.context.new_page()

    def _on_request(self, request):
        if not request.url.startswith((self.stack.api, self.stack.frontend, "data:", "blob:")):
            self.foreign_requests.append(request.url)

    def _watch(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def log_in(self, username):
        page = self.page
        page.goto(f"{self.stack.api}/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.stack.api}/admin/")
        return page


@pytest.fixture
def open_session(browser, stack):
    """``open_session(viewport=MOBILE)`` → a fresh ``Session``; every one is closed after the test."""
    sessions = []

    def open_(viewport=DESKTOP):
        sessions.append(Session(browser, stack, viewport))
        return sessions[-1]

    yield open_
    for session in sessions:
        session.context.close()


def load_every_image(page):
    """Lazy images load only near the viewport: load them all, so a full-page screenshot shows them."""
    page.evaluate(
        "() => document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })"
    )
    page.wait_for_function("() => Array.from(document.images).every(img => img.complete)")
    page.evaluate("() => Promise.all(Array.from(document.images).map(img => img.decode().catch(() => null)))")


def save_screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    load_every_image(page)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "step")`` saves test-artifacts/<test>--<step>.png (kept by CI)."""
    test = re.sub(r"\W+", "-", request.node.name).strip("-")
    return lambda page, step: save_screenshot(page, f"{test}--{step}")
