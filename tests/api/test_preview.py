"""Headless preview: the draft, unsaved edits included, in the same JSON shape, only with a valid token."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from people.factories import CriticFactory
from reviews.factories import ReviewPageFactory
from reviews.models import Grade

pytestmark = pytest.mark.django_db
FRONTEND_PREVIEW = "https://preview.marquee.test/preview"


@pytest.fixture
def review():
    return ReviewPageFactory(title="Published title", authors=[CriticFactory()], grade=Grade.B)


def edit_form(review, **changes):
    author = review.authors.first()
    data = {
        "title": review.title,
        "slug": review.slug,
        "summary": review.summary,
        "film": review.film_id,
        "grade": review.grade,
        "festival": "",
        "authors": inline_formset([{"id": author.pk, "person": author.person_id}], initial=1),
        "related_links": inline_formset([]),
        "tags": "",
        "body": streamfield([("text", rich_text("<p>Unsaved paragraph.</p>"))]),
        **changes,
    }
    return nested_form_data(data)


def preview_token(admin_client, review, **changes):
    url = f"/admin/pages/{review.pk}/edit/preview/"
    assert admin_client.post(url, edit_form(review, **changes)).json()["is_valid"]
    response = admin_client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == FRONTEND_PREVIEW
    query = parse_qs(location.query)
    return query["content_type"][0], query["token"][0]


def test_preview_serves_unsaved_edits_in_the_published_shape(admin_client, client, review, settings):
    settings.PREVIEW_FRONTEND_URL = FRONTEND_PREVIEW
    content_type, token = preview_token(admin_client, review, title="Unsaved draft title", grade=Grade.A)
    assert content_type == "reviews.reviewpage"

    response = client.get("/api/v2/preview/", {"content_type": content_type, "token": token})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    draft = response.json()
    assert draft["title"] == "Unsaved draft title" and draft["grade"] == "A"
    assert "Unsaved paragraph." in draft["body"][0]["value"]

    published = client.get(f"/api/v2/pages/{review.pk}/").json()
    assert published["title"] == "Published title"
    assert set(draft) == set(published)
    assert set(draft["meta"]) == set(published["meta"])


def test_forged_or_foreign_tokens_are_refused(admin_client, client, review, settings):
    settings.PREVIEW_FRONTEND_URL = FRONTEND_PREVIEW
    content_type, token = preview_token(admin_client, review)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for params in (
        {"content_type": content_type, "token": forged},
        {"content_type": "reviews.interviewpage", "token": token},
    ):
        response = client.get("/api/v2/preview/", params)
        assert response.status_code == 403
        assert response.json()["status"] == 403
    assert client.get("/api/v2/preview/", {"content_type": content_type}).status_code == 400


def read_preview(client, content_type, token):
    return client.get("/api/v2/preview/", {"content_type": content_type, "token": token})


def assert_refused(response):
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 403


def test_tokens_last_ten_minutes_by_default(admin_client, client, review, settings, time_machine):
    settings.PREVIEW_FRONTEND_URL = FRONTEND_PREVIEW
    start = datetime.now(UTC)  # the admin session must still be valid
    time_machine.move_to(start, tick=False)
    content_type, token = preview_token(admin_client, review)
    time_machine.move_to(start + timedelta(minutes=9, seconds=59), tick=False)
    assert read_preview(client, content_type, token).status_code == 200
    time_machine.move_to(start + timedelta(minutes=10, seconds=1), tick=False)
    response = read_preview(client, content_type, token)
    assert_refused(response)
    assert "expired" in response.json()["message"]


def publish(page):
    page.save_revision().publish()


def unpublish(page):
    page.unpublish()


def delete(page):
    page.delete()


@pytest.mark.parametrize("end", [publish, unpublish, delete], ids=lambda f: f.__name__)
def test_a_token_dies_with_its_page_publication(admin_client, client, review, settings, end):
    """Publishing, unpublishing or deleting the page ends its previews at once, whatever their age."""
    settings.PREVIEW_FRONTEND_URL = FRONTEND_PREVIEW
    content_type, token = preview_token(admin_client, review)
    assert read_preview(client, content_type, token).status_code == 200
    end(review)
    assert_refused(read_preview(client, content_type, token))


def test_another_pages_publication_leaves_a_token_alone(admin_client, client, review, settings):
    settings.PREVIEW_FRONTEND_URL = FRONTEND_PREVIEW
    content_type, token = preview_token(admin_client, review)
    publish(ReviewPageFactory())
    assert read_preview(client, content_type, token).status_code == 200


def test_previewing_again_after_a_publish_works(admin_client, client, review, settings):
    settings.PREVIEW_FRONTEND_URL = FRONTEND_PREVIEW
    preview_token(admin_client, review)
    publish(review)
    content_type, token = preview_token(admin_client, review, title="After publishing")
    assert read_preview(client, content_type, token).json()["title"] == "After publishing"


def test_without_a_frontend_preview_is_server_rendered(admin_client, review, settings):
    settings.PREVIEW_FRONTEND_URL = ""
    url = f"/admin/pages/{review.pk}/edit/preview/"
    admin_client.post(url, edit_form(review, title="Local draft"))
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"Local draft" in response.content


def test_view_live_goes_to_the_frontend(admin_client, review):
    assert review.full_url == f"https://www.marquee.test/reviews/{review.slug}/"
    assert review.url == review.full_url
    edit_page = admin_client.get(f"/admin/pages/{review.pk}/edit/")
    assert f'href="https://www.marquee.test/reviews/{review.slug}/"'.encode() in edit_page.content


def test_each_site_can_preview_in_its_own_frontend(admin_client, review, settings):
    """PREVIEW_FRONTEND_URLS picks the frontend by the page's site; others use the default."""
    settings.PREVIEW_FRONTEND_URL = FRONTEND_PREVIEW
    site = review.get_site()
    settings.PREVIEW_FRONTEND_URLS = {"elsewhere.marquee.test": "https://elsewhere.marquee.test/preview"}
    preview_token(admin_client, review)  # not this page's site: the default frontend

    settings.PREVIEW_FRONTEND_URLS = {site.hostname: "https://festival.marquee.test/draft"}
    url = f"/admin/pages/{review.pk}/edit/preview/"
    admin_client.post(url, edit_form(review))
    assert admin_client.get(url)["Location"].startswith("https://festival.marquee.test/draft?content_type=")
