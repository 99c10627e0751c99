"""The JSON examples in docs/api.md are what the API answers on the demo content.

Client: every frontend and mobile developer, who reads docs/api.md before the
OpenAPI document. Each ``curl`` line followed by a JSON block is requested (through
the schema-checking client) and the example compared with the answer:

- ``"…"`` as a key or a list item stands for the rest of an object or list; ``…``
  inside a string for any part of it; otherwise objects and lists match exactly;
- ids (``"id"``, ids in URLs), keyset and sync cursors, sitemap ``lastmod`` times and
  image file names are assigned when the content is loaded, so only their presence (or
  count) is compared;
- the documented origins (``make run``'s) stand for the configured ones.
"""

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
DOCUMENTED_API, DOCUMENTED_FRONTEND = "http://127.0.0.1:8000", "http://localhost:3000"
EXAMPLE = re.compile(r"```sh\ncurl '([^']+)'\n```\s*```json\n(.*?)\n```", re.S)
TRIMMED = "…"


def examples():
    return [(url, json.loads(body)) for url, body in EXAMPLE.findall(DOCS.read_text())]


def _normalized(text):
    """A URL or string with database ids replaced, and the documented origins by the configured ones."""
    text = text.replace(DOCUMENTED_API, settings.WAGTAILAPI_BASE_URL)
    text = text.replace(DOCUMENTED_FRONTEND, settings.FRONTEND_BASE_URL)
    return re.sub(r"(?<=[/=])\d+(?=/|$|&)", "<id>", text)


def mismatches(example, actual, where="$"):
    """Where ``actual`` differs from the documented ``example`` (empty: it matches)."""
    if isinstance(example, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        keys = [key for key in example if key != TRIMMED]
        problems = [f"{where}.{key}: missing" for key in keys if key not in actual]
        if TRIMMED not in example:
            problems += [f"{where}.{key}: not documented" for key in actual if key not in example]
        for key in keys:
            if key in actual:
                problems += _value_mismatches(key, example[key], actual[key], f"{where}.{key}")
        return problems
    if isinstance(example, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {actual!r}"]
        if TRIMMED not in example:
            head, tail = example, []
        else:  # items left out at one place: the head and the tail are shown
            cut = example.index(TRIMMED)
            head, tail = example[:cut], example[cut + 1 :]
        shown = len(head) + len(tail)
        if len(actual) < shown or (TRIMMED not in example and len(actual) != shown):
            return [f"{where}: {len(actual)} items, documented {shown}{'+' if TRIMMED in example else ''}"]
        pairs = [*enumerate(head), *((len(actual) - len(tail) + n, item) for n, item in enumerate(tail))]
        return [p for n, item in pairs for p in mismatches(item, actual[n], f"{where}[{n}]")]
    if isinstance(example, str) and isinstance(actual, str):
        pattern = ".*".join(re.escape(_normalized(part)) for part in example.split(TRIMMED))
        return [] if re.fullmatch(pattern, _normalized(actual), re.S) else [f"{where}: {actual!r}"]
    return [] if example == actual and type(example) is type(actual) else [f"{where}: {actual!r}"]


def _value_mismatches(key, example, actual, where):
    if key in ("id", "page_id"):  # pages, people and blocks: assigned by the database
        return [] if type(example) is type(actual) else [f"{where}: {actual!r}"]
    if key in ("next_after", "next_cursor"):  # a cursor holds ids and moments
        return [] if (example is None) == (actual is None) else [f"{where}: {actual!r}"]
    if key == "lastmod":  # when the demo content was loaded
        return [] if type(example) is type(actual) else [f"{where}: {actual!r}"]
    if key == "images":  # uploaded file names get a random suffix when the name is taken
        return [] if len(example) == len(actual) else [f"{where}: {actual!r}"]
    return mismatches(example, actual, where)


@pytest.fixture
def demo(db, settings, tmp_path):
    # Fresh media, as on a new checkout: otherwise storage renames files that exist already.
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_docs_show_examples():
    assert len(examples()) >= 8


def test_every_documented_example_is_what_the_api_answers(api, demo):
    """One demo load for all examples (it is the slow part); every mismatch is reported."""
    problems = {}
    for url, example in examples():
        parts = urlsplit(url)
        error = isinstance(example, dict) and set(example) == {"message", "status"}
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        response = api.get(parts.path, query, expected_status=example["status"] if error else 200)
        found = mismatches(example, response.data)
        if found:
            problems[url] = found
    assert problems == {}


def test_the_comparison_notices_a_difference():
    assert mismatches({"a": 1, "b": ["x", TRIMMED]}, {"a": 1, "b": ["x", "y"]}) == []
    assert mismatches(["x", TRIMMED, "z"], ["x", "y", "z"]) == []
    assert mismatches(["x", TRIMMED, "z"], ["x", "z", "y"]) == ["$[2]: 'y'"]
    assert mismatches({"a": 1}, {"a": 1, "b": 2}) == ["$.b: not documented"]
    assert mismatches({"a": "The …"}, {"a": "The end"}) == []
    assert mismatches({"a": "The …"}, {"a": "An end"}) == ["$.a: 'An end'"]
