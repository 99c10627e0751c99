"""Clients generated from /api/v2/openapi.json alone work against the live stack.

Clients: a frontend team using openapi-typescript (examples/typescript/, compiled
with ``tsc --strict``, no ``any``, ``as`` or ``!``), and a mobile or data team
using openapi-python-client with its default settings. Both must narrow a page
to a review, render every block, and survive a block type added after they were
generated (docs/api.md, Forward compatibility).
"""

import copy
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.api.conftest import schema_errors
from tests.processes import ROOT, ServerProcess, free_port, http_get

TYPESCRIPT = ROOT / "examples" / "typescript"
REVIEW_PATH = "/reviews/ai-weiwei-never-sorry/"
NEVER_SEEN_BLOCK = {"type": "gallery", "id": "f1e2d3", "value": {"images": [], "layout": "grid"}}


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)


def document_env():
    """The environment ``make clients`` generates under: dev settings, default API limits."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("API_")}
    env["DJANGO_SETTINGS_MODULE"] = "site_config.settings.dev"
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture(scope="session")
def npx():
    if not (TYPESCRIPT / "node_modules").is_dir():
        pytest.fail("examples/typescript has no node_modules: run `npm ci` there (make clients does)")
    return shutil.which("npx") or pytest.fail("npx (Node.js 20) is not installed")


@pytest.fixture(scope="session")
def typescript_client(npx):
    """examples/typescript compiled with its strict tsconfig; the command that runs it."""
    compiled = run([npx, "tsc", "-p", "tsconfig.json"], cwd=TYPESCRIPT)
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr

    def render(origin, path=REVIEW_PATH):
        result = run(["node", "dist/main.js", origin, path], cwd=TYPESCRIPT)
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(result.stdout)

    return render


@pytest.fixture(scope="session")
def python_client(stack, tmp_path_factory):
    """The package openapi-python-client generates, default settings, from the live document."""
    workdir = tmp_path_factory.mktemp("python-client")
    status, _, body = http_get(f"{stack.api}/api/v2/openapi.json")
    assert status == 200
    (workdir / "openapi.json").write_bytes(body)
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    generated = run(
        [
            os.path.join(os.path.dirname(sys.executable), "openapi-python-client"),
            "generate",
            "--path",
            "openapi.json",
            "--output-path",
            "client",
        ],
        cwd=workdir,
        env=env,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(workdir / "client"))
    try:
        yield importlib.import_module("marquee_delivery_api_client")
    finally:
        sys.path.remove(str(workdir / "client"))


def api_json(stack, path):
    status, _, body = http_get(f"{stack.api}{path}")
    assert status == 200, body
    return json.loads(body)


def block_counts(page):
    counts = {}
    for block in page["body"]:
        counts[block["type"]] = counts.get(block["type"], 0) + 1
    return counts


class _Canned(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def tomorrows_api(stack):
    """A server answering every GET with the flagship review as a later API version could send
    it: one more block, of a type today's document does not name."""
    page = api_json(stack, f"/api/v2/pages/find/?html_path={REVIEW_PATH}")
    page = copy.deepcopy(page)
    page["body"].insert(1, NEVER_SEEN_BLOCK)
    handler = type("Tomorrow", (_Canned,), {"body": json.dumps(page).encode()})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", page
    finally:
        server.shutdown()
        server.server_close()


# --- TypeScript ----------------------------------------------------------------------


def test_committed_typescript_types_are_what_the_document_generates(npx, tmp_path):
    document = tmp_path / "openapi.json"
    written = run(
        [sys.executable, "manage.py", "openapi_document", str(document)], cwd=ROOT, env=document_env()
    )
    assert written.returncode == 0, written.stderr
    generated = run(
        [npx, "openapi-typescript", str(document), "-o", str(tmp_path / "api.d.ts")], cwd=TYPESCRIPT
    )
    assert generated.returncode == 0, generated.stderr
    committed = (TYPESCRIPT / "src" / "api.d.ts").read_text()
    assert (tmp_path / "api.d.ts").read_text() == committed, "stale types: run `make clients` and commit"


def test_the_typescript_client_is_strict_without_escape_hatches():
    config = json.loads((TYPESCRIPT / "tsconfig.json").read_text())
    assert config["compilerOptions"]["strict"] is True
    for source in (TYPESCRIPT / "src").glob("*.ts"):
        if source.name == "api.d.ts":
            continue
        code = re.sub(r"//.*|/\*.*?\*/", "", source.read_text(), flags=re.S)
        assert not re.search(r"\bany\b", code), f"{source.name} uses any"
        assert not re.search(r"\bas\b(?! const)", code), f"{source.name} casts with as"
        assert not re.search(r"[\w)\]]!(?!=)", code), f"{source.name} asserts non-null with !"


def test_the_typescript_client_renders_every_block_of_a_review(stack, typescript_client):
    page = api_json(stack, f"/api/v2/pages/find/?html_path={REVIEW_PATH}")
    rendered = typescript_client(stack.api)
    assert rendered["title"] == page["title"]
    assert rendered["blocks"] == block_counts(page)
    assert rendered["skipped"] == []
    assert rendered["author_boxes"] == len(page["authors"]) >= 1
    assert rendered["film_box"] is True


def test_the_typescript_client_skips_a_block_type_it_has_never_seen(tomorrows_api, typescript_client):
    origin, page = tomorrows_api
    rendered = typescript_client(origin)
    assert rendered["skipped"] == ["gallery"]
    expected = block_counts(page)
    del expected["gallery"]
    assert rendered["blocks"] == expected


def test_a_never_seen_block_type_is_valid_under_todays_document(tomorrows_api):
    _origin, page = tomorrows_api
    assert schema_errors({"$ref": "#/components/schemas/PageResponse"}, page) == []


# --- Python ---------------------------------------------------------------------------


@pytest.fixture
def client_of(python_client):
    def make(origin, **kwargs):
        # Statuses the document does not list raise: every one the server sends must be there.
        return python_client.Client(base_url=origin, raise_on_unexpected_status=True, **kwargs)

    return make


def test_the_python_client_lists_filters_and_pages_reviews(stack, python_client, client_of):
    from marquee_delivery_api_client.api.pages import list_pages

    listing = list_pages.sync(client=client_of(stack.api), type_="reviews.ReviewPage", limit=2)
    assert listing.meta.total_count >= 2 and len(listing.items) == 2
    assert all(item.meta.type_ == "reviews.ReviewPage" for item in listing.items)
    assert listing.meta.next_after


def test_the_python_client_gets_a_review_by_id_and_by_path(stack, python_client, client_of):
    from marquee_delivery_api_client.api.pages import find_page, get_pages
    from marquee_delivery_api_client.models import ReviewPage, TextBlock

    client = client_of(stack.api)
    found = find_page.sync(client=client, html_path=REVIEW_PATH)
    assert isinstance(found, ReviewPage)
    assert found.grade.value == "A-"
    assert any(isinstance(block, TextBlock) for block in found.body)
    by_id = get_pages.sync(client=client, id=found.id)
    assert isinstance(by_id, ReviewPage) and by_id.title == found.title


def test_the_python_client_reads_people_films_and_images(stack, python_client, client_of):
    from marquee_delivery_api_client.api.films import get_films, list_films
    from marquee_delivery_api_client.api.images import list_images
    from marquee_delivery_api_client.api.people import get_people, list_people

    client = client_of(stack.api)
    critics = list_people.sync(client=client, role="critic")
    assert critics.items and all("critic" in person.roles for person in critics.items)
    person = get_people.sync(client=client, id=critics.items[0].id)
    assert person.pages
    films = list_films.sync(client=client, year=2012)
    assert films.items
    assert get_films.sync(client=client, id=films.items[0].id).pages
    images = list_images.sync(client=client, limit=3)
    assert images.items[0].renditions.thumbnail.width > 0


def test_the_python_client_gets_a_304_for_a_current_etag(stack, python_client, client_of):
    from marquee_delivery_api_client.api.pages import find_page

    first = find_page.sync_detailed(client=client_of(stack.api), html_path=REVIEW_PATH)
    etag = first.headers["ETag"]
    again = find_page.sync_detailed(
        client=client_of(stack.api, headers={"If-None-Match": etag}), html_path=REVIEW_PATH
    )
    assert again.status_code == 304 and again.parsed is None
    assert again.headers["ETag"] == etag


def test_the_python_client_gets_a_429_with_retry_after(stack, python_client, client_of):
    from marquee_delivery_api_client.api.pages import list_pages
    from marquee_delivery_api_client.models import Error

    port = free_port()
    env = {**stack.env, "API_RATE_LIMIT": "2", "API_RATE_WINDOW": "3600", "CACHE_KEY_PREFIX": f"rate-{port}"}
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with ServerProcess(command, port=port, env=env, ready_path="/healthz") as server:
        client = client_of(server.url("").rstrip("/"))
        responses = [list_pages.sync_detailed(client=client, limit=1) for _ in range(3)]
    limited = responses[-1]
    assert limited.status_code == 429
    assert isinstance(limited.parsed, Error) and limited.parsed.status == 429
    assert int(limited.headers["Retry-After"]) >= 1


def test_the_python_client_skips_a_block_type_it_has_never_seen(tomorrows_api, python_client, client_of):
    from marquee_delivery_api_client.api.pages import find_page
    from marquee_delivery_api_client.models import ReviewPage, UnknownBlock

    origin, page = tomorrows_api
    found = find_page.sync(client=client_of(origin), html_path=REVIEW_PATH)
    assert isinstance(found, ReviewPage)
    unknown = [block for block in found.body if isinstance(block, UnknownBlock)]
    assert [block.type_ for block in unknown] == ["gallery"]
    assert len(found.body) == len(page["body"])
