"""Compressed responses: a client that sends ``Accept-Encoding: gzip`` gets gzip, the
same JSON once decompressed, ``Vary: Accept-Encoding`` for caches, and ETags that still
answer ``If-None-Match`` with a 304 whichever encoding the client stored.

A stored review detail is gzipped once, when it is written (delivery/render.py
``gzipped``); any other API response once per version in each server process (api/caching.py
``gzipped``), after the ``304`` is decided.
"""

import gzip
import json
from unittest import mock

import pytest
from django.utils.text import compress_string

from people.factories import CriticFactory
from reviews.factories import ReviewPageFactory, body

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def review():
    return ReviewPageFactory(authors=[CriticFactory()], body=body(paragraphs=6, quotes=2))


def test_a_detail_is_served_gzipped_to_clients_that_accept_it(api, client, review):
    path = f"/api/v2/pages/{review.pk}/"
    plain = client.get(path)
    packed = api.get(path, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain


def test_etags_of_both_encodings_answer_if_none_match(api, client, review):
    path = f"/api/v2/pages/{review.pk}/"
    strong = client.get(path)["ETag"]
    weak = client.get(path, **GZIP)["ETag"]
    assert weak == "W/" + strong
    for stored, headers in [(strong, {}), (weak, GZIP), (strong, GZIP), (weak, {})]:
        api.get(path, expected_status=304, HTTP_IF_NONE_MATCH=stored, **headers)


def test_a_find_by_path_is_gzipped_too(api, client, review):
    params = {"html_path": f"/reviews/{review.slug}/"}
    packed = api.get("/api/v2/pages/find/", params, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == client.get("/api/v2/pages/find/", params).content


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v2/people/", {}),
        ("/api/v2/openapi.json", {}),
    ],
    ids=["people", "openapi"],
)
def test_other_responses_are_compressed_on_the_way_out(api, client, review, path, params):
    packed = client.get(path, params, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == client.get(path, params).content
    etag = client.get(path, params)["ETag"]
    assert client.get(path, params, HTTP_IF_NONE_MATCH=etag, **GZIP).status_code == 304


def test_a_projection_is_compressed_on_the_way_out(api, client, review):
    path = f"/api/v2/pages/{review.pk}/"
    packed = api.get(path, {"fields": "title,body"}, **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert set(packed.data) >= {"title", "body"}


def test_a_listing_is_compressed_once_per_version_of_its_rows(api, client, review):
    """A listing's gzip is made once and kept by the version of the rows it holds: the same
    listing again is not compressed again, and a change to one of its pages is never answered
    with the old bytes."""
    path, params = "/api/v2/pages/", {"type": "reviews.ReviewPage", "fields": "*"}
    with mock.patch("api.caching.compress_string", wraps=compress_string) as compress:
        first = api.get(path, params, **GZIP)
        again = api.get(path, params, **GZIP)
        assert compress.call_count == 1
        assert again.content == first.content
        assert again["ETag"] == first["ETag"] == "W/" + client.get(path, params)["ETag"]
        assert again["Content-Length"] == str(len(again.content))
        assert "Accept-Encoding" in again["Vary"]

        review.title = "A New Title for the Listing"
        review.save_revision().publish()
        changed = api.get(path, params, **GZIP)
        assert compress.call_count == 2
    plain = client.get(path, params)
    assert gzip.decompress(changed.content) == plain.content
    assert json.loads(plain.content)["items"][0]["title"] == "A New Title for the Listing"
    assert changed["ETag"] == "W/" + plain["ETag"] != first["ETag"]


def test_a_listing_revalidated_gets_a_304_without_being_compressed(api, client, review):
    path, params = "/api/v2/pages/", {"type": "reviews.ReviewPage", "fields": "*"}
    strong = client.get(path, params)["ETag"]
    with mock.patch("api.caching.compress_string", wraps=compress_string) as compress:
        for stored in (strong, "W/" + strong):
            not_modified = api.get(path, params, expected_status=304, HTTP_IF_NONE_MATCH=stored, **GZIP)
            assert not_modified["ETag"] == "W/" + strong
            assert not_modified.content == b""
        assert compress.call_count == 0


def test_a_listing_too_short_to_gain_is_sent_plain(api, client, review):
    path, params = "/api/v2/pages/", {"type": "reviews.ReviewPage", "offset": 100}
    short = api.get(path, params, **GZIP)
    assert "Content-Encoding" not in short
    assert short.content == client.get(path, params).content
    assert short.data["items"] == []
