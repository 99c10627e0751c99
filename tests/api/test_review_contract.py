"""The web and mobile apps render a review or interview from one request.

Contract: docs/api.md. These tests use the demo content, the publication's
own flagship review, so that they read like the client's view of it.
"""

import pytest
from django.core.management import call_command

from reviews.models import InterviewPage, ReviewPage

FRONTEND = "https://www.marquee.test"


@pytest.fixture
def demo(db, settings):
    call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        "review": ReviewPage.objects.get(slug="ai-weiwei-never-sorry"),
        "interview": InterviewPage.objects.get(slug="alison-klayman-interview"),
    }


def test_the_flagship_review_renders_from_one_request(api, demo):
    review = api.get(f"/api/v2/pages/{demo['review'].pk}/").data

    assert review["title"] == "Ai Weiwei: Never Sorry"
    assert review["meta"]["type"] == "reviews.ReviewPage"
    assert review["meta"]["html_url"] == f"{FRONTEND}/reviews/ai-weiwei-never-sorry/"
    assert review["canonical_url"] == review["meta"]["html_url"]
    assert review["grade"] == "A-" and review["grade_score"] == 10
    assert review["festival"]["name"] == "SIFF" and review["festival"]["year"] == 2012

    film = review["film"]
    assert (film["title"], film["year"], film["runtime_minutes"]) == ("Ai Weiwei: Never Sorry", 2012, 91)
    assert film["directors"] == [
        {"id": film["directors"][0]["id"], "name": "Alison Klayman", "slug": "alison-klayman"}
    ]
    assert film["poster"]["renditions"]["medium"]["url"].startswith("http")

    (author,) = review["authors"]
    assert author["name"] == "Spencer Whitlock"
    assert author["bio"].startswith("Spencer grew up")
    assert author["links"]["x"] == "https://x.com/spencerwhitlock"
    assert author["photo"]["srcset"]
    assert author["pages_url"].endswith(f"/api/v2/pages/?person={author['id']}")

    assert [block["type"] for block in review["body"]] == [
        "text",
        "image",
        "pull_quote",
        "text",
        "image",
        "text",
    ]
    assert review["hero_image"]["renditions"]["large"]["format"] == "webp"
    assert review["social_image"]["renditions"]["social"]["width"] == 1200
    assert set(review["tags"]) == {"documentary", "siff-2012", "art", "china"}
    assert review["meta"]["seo_title"] == "Ai Weiwei: Never Sorry"
    assert review["meta"]["search_description"]

    (related,) = review["related"]
    assert related == {
        "id": demo["interview"].pk,
        "type": "reviews.InterviewPage",
        "title": "Alison Klayman on filming Ai Weiwei",
        "url": f"{FRONTEND}/interviews/alison-klayman-interview/",
        "detail_url": f"http://testserver/api/v2/pages/{demo['interview'].pk}/",
        "summary": demo["interview"].summary,
        "thumbnail": related["thumbnail"],
    }
    assert related["thumbnail"]["width"] == 320


def test_no_bare_ids_or_internal_markup_reach_the_client(api, demo):
    response = api.get(f"/api/v2/pages/{demo['review'].pk}/")
    assert b"linktype" not in response.content
    assert b'href="/' not in response.content
    for block in response.data["body"]:
        if block["type"] == "image":
            assert isinstance(block["value"]["image"], dict)
            assert block["value"]["alt"] and block["value"]["caption"]
    last_text = response.data["body"][-1]["value"]
    assert f'<a href="{FRONTEND}/interviews/alison-klayman-interview/">' in last_text


def test_the_interview_names_its_interviewees_and_links_back(api, demo):
    interview = api.get(f"/api/v2/pages/{demo['interview'].pk}/").data
    assert [person["name"] for person in interview["interviewees"]] == ["Alison Klayman"]
    assert [person["name"] for person in interview["authors"]] == ["Spencer Whitlock"]
    assert "question_answer" in [block["type"] for block in interview["body"]]
    assert demo["review"].pk in [page["id"] for page in interview["related"]]
    assert "grade" not in interview


def test_find_by_frontend_path_serves_the_page_directly(api, demo):
    found = api.get("/api/v2/pages/find/", {"html_path": "/reviews/ai-weiwei-never-sorry/"})
    detail = api.get(f"/api/v2/pages/{demo['review'].pk}/")
    assert found.data == detail.data
    api.get("/api/v2/pages/find/", {"html_path": "reviews/ai-weiwei-never-sorry"})  # slashes optional
    api.get("/api/v2/pages/find/", {"html_path": "/reviews/no-such-review/"}, expected_status=404)


def test_listings_are_light_by_default_and_complete_with_fields_star(api, demo):
    light = api.get("/api/v2/pages/", {"type": "reviews.ReviewPage"}).data
    assert light["meta"]["total_count"] == ReviewPage.objects.count()
    item = next(i for i in light["items"] if i["id"] == demo["review"].pk)
    assert set(item) == {
        "id",
        "meta",
        "title",
        "summary",
        "grade",
        "grade_score",
        "film_title",
        "author_names",
        "thumbnail",
        "tags",
    }
    assert item["film_title"] == "Ai Weiwei: Never Sorry"
    assert item["author_names"] == ["Spencer Whitlock"]
    assert item["thumbnail"]["width"] == 320

    full = api.get("/api/v2/pages/", {"type": "reviews.ReviewPage", "fields": "*"}).data
    full_item = next(i for i in full["items"] if i["id"] == demo["review"].pk)
    detail = api.get(f"/api/v2/pages/{demo['review'].pk}/").data
    for key in ("film", "authors", "body", "related", "festival", "hero_image"):
        assert full_item[key] == detail[key]


def test_listings_are_newest_first_by_default(api, demo):
    items = api.get("/api/v2/pages/", {"type": "reviews.ReviewPage,reviews.InterviewPage"}).data["items"]
    dates = [item["meta"]["first_published_at"] for item in items]
    assert dates == sorted(dates, reverse=True)


def test_fields_can_be_trimmed(api, demo):
    data = api.get(f"/api/v2/pages/{demo['review'].pk}/", {"fields": "_,title,grade"}).data
    assert set(data) == {"title", "grade"}
