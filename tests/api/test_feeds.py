"""Readers subscribe to Marquee: JSON Feed 1.1 and Atom feeds of the latest reviews, and of a
critic, a festival or a tag (/feeds/…).

Clients: feed readers (parsed here with feedparser, as many of them do) and apps that read
the JSON Feed (validated against the JSON Feed 1.1 schema in tests/api/fixtures and the
OpenAPI document's ``JSONFeed``).
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import jsonschema_rs
import pytest
import time_machine
from wagtail.models import PageViewRestriction

from api.openapi import build_document
from delivery.models import StoredPage
from delivery.render import settings_fingerprint
from people.factories import CriticFactory
from reviews.factories import FestivalFactory, InterviewPageFactory, ReviewPageFactory

FRONTEND = "https://www.marquee.test"
JSON_FEED_SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json").read_text())
MAY_1 = datetime(2012, 5, 1, 10, tzinfo=UTC)


def publish_at(page, moment):
    """Publish a revision of ``page`` at ``moment``, as an editor would have then."""
    with time_machine.travel(moment, tick=False):
        page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def site(db):
    """Two critics; three reviews a day apart (the newest by Rhea) and an interview by Spencer."""
    spencer = CriticFactory(
        name="Spencer Whitlock", slug="spencer-whitlock", website="https://spencer.example"
    )
    rhea = CriticFactory(name="Rhea Kaur", slug="rhea-kaur")
    siff = FestivalFactory(name="SIFF", year=2012)
    oldest = publish_at(
        ReviewPageFactory(title="Grabbers", authors=[spencer], festival=siff, tags=["Horror"]), MAY_1
    )
    middle = publish_at(
        ReviewPageFactory(title="Moonrise Kingdom", authors=[spencer]), MAY_1 + timedelta(days=1)
    )
    newest = publish_at(
        ReviewPageFactory(title="Holy Motors", authors=[rhea], summary="Weird <b>and</b> wonderful."),
        MAY_1 + timedelta(days=2),
    )
    interview = publish_at(
        InterviewPageFactory(title="Talking to Klayman", authors=[spencer], festival=siff, tags=["horror"]),
        MAY_1 + timedelta(days=3),
    )
    return {
        "spencer": spencer,
        "rhea": rhea,
        "oldest": oldest,
        "middle": middle,
        "newest": newest,
        "interview": interview,
    }


def json_feed(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    feed = response.json()
    errors = list(jsonschema_rs.validator_for(JSON_FEED_SCHEMA, validate_formats=True).iter_errors(feed))
    assert not errors, errors[0]
    document = build_document()
    openapi_schema = {"$ref": "#/components/schemas/JSONFeed", "components": document["components"]}
    assert jsonschema_rs.validator_for(openapi_schema).is_valid(feed)
    return feed


def atom_feed(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_the_reviews_json_feed_lists_the_latest_reviews_newest_first(client, site):
    feed = json_feed(client, "/feeds/reviews.json")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Marquee: reviews"
    assert feed["home_page_url"] == f"{FRONTEND}/"
    assert feed["feed_url"] == "http://testserver/feeds/reviews.json"
    assert [item["title"] for item in feed["items"]] == ["Holy Motors", "Moonrise Kingdom", "Grabbers"]


def test_a_json_feed_item_links_the_frontend_and_carries_summary_authors_image_and_dates(client, site):
    oldest = site["oldest"]
    item = json_feed(client, "/feeds/reviews.json")["items"][-1]
    assert item["id"] == f"http://testserver/api/v2/pages/{oldest.pk}/"
    assert item["url"] == f"{FRONTEND}/reviews/{oldest.slug}/"
    assert item["summary"] == oldest.summary
    assert item["content_text"] == oldest.summary
    assert item["authors"][0]["name"] == "Spencer Whitlock"
    assert item["authors"][0]["url"] == "https://spencer.example"
    assert item["authors"][0]["avatar"].startswith("http://testserver/media/images/")
    assert item["image"].endswith(".webp") and item["image"].startswith("http://testserver/media/")
    assert item["date_published"] == "2012-05-01T10:00:00Z"
    assert item["date_modified"] == "2012-05-01T10:00:00Z"
    assert item["tags"] == ["Horror"]
    assert item["_marquee"] == {"page_id": oldest.pk, "type": "reviews.ReviewPage", "grade": "B"}


def test_the_atom_feed_has_every_required_field(client, site):
    parsed = atom_feed(client, "/feeds/reviews.xml")
    assert parsed.feed.title == "Marquee: reviews"
    assert parsed.feed.link == f"{FRONTEND}/"
    assert parsed.feed.id == "http://testserver/feeds/reviews.xml"
    assert parsed.feed.updated_parsed[:3] == (2012, 5, 3)
    assert [entry.title for entry in parsed.entries] == ["Holy Motors", "Moonrise Kingdom", "Grabbers"]
    oldest, entry = site["oldest"], parsed.entries[-1]
    assert entry.id == f"http://testserver/api/v2/pages/{oldest.pk}/"
    assert entry.link == f"{FRONTEND}/reviews/{oldest.slug}/"
    assert entry.summary == oldest.summary
    assert entry.author == "Spencer Whitlock"
    assert entry.published_parsed[:4] == (2012, 5, 1, 10)
    assert entry.updated_parsed[:4] == (2012, 5, 1, 10)
    assert [tag.term for tag in entry.tags] == ["Horror"]
    (image,) = entry.media_content
    assert image["medium"] == "image" and image["url"].endswith(".webp")


def test_a_summary_stays_plain_text_in_atom(client, site):
    """Atom summaries are typed html: the summary is escaped, so readers show "<b>" as typed."""
    entry = atom_feed(client, "/feeds/reviews.xml").entries[0]
    assert entry.title == "Holy Motors"
    assert entry.summary == "Weird &lt;b&gt;and&lt;/b&gt; wonderful."


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_critic_feed_has_their_reviews_and_interviews_only(client, site, fmt):
    path = f"/feeds/critics/spencer-whitlock.{fmt}"
    if fmt == "json":
        feed = json_feed(client, path)
        titles, title = [item["title"] for item in feed["items"]], feed["title"]
    else:
        parsed = atom_feed(client, path)
        titles, title = [entry.title for entry in parsed.entries], parsed.feed.title
    assert title == "Marquee: Spencer Whitlock"
    assert titles == ["Talking to Klayman", "Moonrise Kingdom", "Grabbers"]


def test_a_festival_feed_and_a_tag_feed(client, site):
    festival = json_feed(client, f"/feeds/festivals/{site['oldest'].festival.slug}.json")
    assert festival["title"] == "Marquee: SIFF 2012"
    assert [item["title"] for item in festival["items"]] == ["Talking to Klayman", "Grabbers"]
    tag = atom_feed(client, "/feeds/tags/horror.xml")
    assert [entry.title for entry in tag.entries] == ["Talking to Klayman", "Grabbers"]
    assert tag.feed.title == "Marquee: Horror"  # the tag as first typed (tags are case-insensitive)


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/critics/nobody.json",
        "/feeds/festivals/cannes-1950.xml",
        "/feeds/tags/nothing.json",
        "/feeds/critics/not.a.slug.json",
        "/feeds/reviews.rss",
        "/feeds/",
    ],
)
def test_an_unknown_feed_is_a_json_404(client, site, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_a_critic_known_only_from_a_draft_has_no_feed(client, site):
    unannounced = CriticFactory(slug="unannounced")
    draft = ReviewPageFactory(authors=[unannounced])
    draft.unpublish()
    assert client.get("/feeds/critics/unannounced.json").status_code == 404


def test_unpublished_restricted_and_expired_reviews_leave_every_feed(client, site):
    site["newest"].unpublish()
    PageViewRestriction.objects.create(page=site["middle"], restriction_type="password", password="x")
    oldest = site["oldest"]
    oldest.expire_at = datetime(2030, 1, 1, tzinfo=UTC)
    oldest.save_revision().publish()
    assert [item["title"] for item in json_feed(client, "/feeds/reviews.json")["items"]] == ["Grabbers"]
    with time_machine.travel(datetime(2030, 1, 2, tzinfo=UTC)):
        assert json_feed(client, "/feeds/reviews.json")["items"] == []
        assert atom_feed(client, "/feeds/reviews.xml").entries == []
        assert client.get("/feeds/critics/rhea-kaur.json").status_code == 404


@pytest.mark.parametrize("path", ["/feeds/reviews.json", "/feeds/tags/horror.xml"])
def test_conditional_get_answers_304_until_the_feed_changes(client, site, path):
    first = client.get(path)
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"].startswith("public, max-age=")
    again = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    since = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304

    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5)):
        publish_at(ReviewPageFactory(tags=["horror"]), datetime.now(UTC))
        assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 200
        assert client.get(path, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 200


def test_a_feed_reads_the_store_in_a_few_queries(client, site, django_assert_max_num_queries):
    """Rows and their documents in one query, the newest change (two), the next expiry (one)."""
    with django_assert_max_num_queries(4):
        assert client.get("/feeds/critics/spencer-whitlock.xml").status_code == 200


def test_other_methods_are_refused(client, site):
    response = client.post("/feeds/reviews.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_feed_length_is_a_setting(client, site, settings):
    settings.FEED_ITEMS = 2
    assert [item["title"] for item in json_feed(client, "/feeds/reviews.json")["items"]] == [
        "Holy Motors",
        "Moonrise Kingdom",
    ]


def test_documents_stored_by_an_older_release_are_rendered_again_before_a_feed_shows_them(client, site):
    """After a deploy that changes the document format (FORMAT_VERSION), no feed serves the old one."""
    StoredPage.objects.update(rendered_with="an older release")
    titles = [item["title"] for item in json_feed(client, "/feeds/reviews.json")["items"]]
    assert titles == ["Holy Motors", "Moonrise Kingdom", "Grabbers"]
    fresh = StoredPage.objects.filter(page_type="reviews.ReviewPage").values_list("rendered_with", flat=True)
    assert set(fresh) == {settings_fingerprint()}
