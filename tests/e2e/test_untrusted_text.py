"""Plain text typed into the admin shows as text in the frontend, never as markup.

A bio, a caption or a credit is plain text (docs/api.md, "Plain text"): an editor may
type "<img …>" into one, and readers must then see those characters, not an image,
and no script may run. An editor saves a hostile bio on a critic, a hostile summary
on a published review and a hostile caption and credit on one of its body images; the
reference frontend renders the review, its schema.org data (``structured_data``, which
repeats the summary) in a ``<script type="application/ld+json">``.
"""

import json

import pytest

from tests.e2e.admin import submit_from_footer
from tests.e2e.conftest import Session, save_screenshot

REVIEW_PATH = "/reviews/grabbers/"  # a demo review with a body image
CRITIC_SLUG = "daniel-reyes"  # its critic
BIO = 'Writes about <img src=x onerror=alert("bio")> & "creature features" <b>loudly</b>.'
CAPTION = "<script>alert('caption')</script><i>Grabbers</i>, still 1"
CREDIT = "<svg onload=alert('credit')></svg>Courtesy of the distributor"
SUMMARY = "One good joke </script><script>alert('summary')</script> about whiskey."


@pytest.fixture(scope="module")
def hostile_review(stack, browser):
    """An editor types markup into a critic's bio and into a published review's image caption and credit."""
    _, people = stack.api_get("people/", slug=CRITIC_SLUG)
    _, review = stack.api_get("pages/find/", html_path=REVIEW_PATH)
    editor = Session(browser, stack)
    try:
        page = editor.log_in("editor")
        page.goto(f"{stack.api}/admin/snippets/people/person/edit/{people['items'][0]['id']}/")
        page.fill("#id_bio", BIO)
        page.locator("footer").last.get_by_role("button", name="Save", exact=True).click()
        page.locator(".messages .success").wait_for()

        page.goto(f"{stack.api}/admin/pages/{review['id']}/edit/")
        page.fill("#id_summary", SUMMARY)
        body = page.locator("[data-contentpath=body]")
        body.locator("input[name$='-value-caption']").first.fill(CAPTION)
        body.locator("input[name$='-value-credit']").first.fill(CREDIT)
        submit_from_footer(page, "Publish")
        save_screenshot(page, "untrusted-text--published")
    finally:
        editor.context.close()
    return review["id"]


@pytest.fixture
def reader(hostile_review, stack, open_session):
    """The review in the frontend, every dialog a script opened recorded (and dismissed)."""
    session = open_session()
    session.dialogs = []

    def on_dialog(dialog):
        session.dialogs.append(dialog.message)
        dialog.dismiss()

    session.page.on("dialog", on_dialog)
    session.page.goto(f"{stack.frontend}{REVIEW_PATH}")
    session.page.locator("#app[data-state=ready]").wait_for()
    return session


def test_the_api_serves_the_text_as_typed(hostile_review, stack):
    _, review = stack.api_get(f"pages/{hostile_review}/")
    image = next(block["value"] for block in review["body"] if block["type"] == "image")
    assert review["authors"][0]["bio"] == BIO
    assert (image["caption"], image["credit"]) == (CAPTION, CREDIT)
    assert review["structured_data"]["description"] == SUMMARY


def test_the_json_ld_is_embedded_as_data_that_no_markup_can_end(reader, hostile_review, stack):
    _, review = stack.api_get(f"pages/{hostile_review}/")
    scripts = reader.page.locator('head script[type="application/ld+json"]')
    assert scripts.count() == 1
    assert json.loads(scripts.text_content()) == review["structured_data"]
    # Serialized as HTML (what a prerenderer would ship), the text still holds no "<".
    serialized = scripts.evaluate("script => script.outerHTML")
    assert serialized.count("</script>") == 1 and serialized.endswith("</script>")
    assert "\\u003c/script>" in serialized


def test_a_bio_shows_as_literal_text(reader, screenshot):
    bio = reader.page.locator("article.review .author__bio")
    assert bio.inner_text() == BIO
    assert bio.locator("*").count() == 0  # no element was made from it
    screenshot(reader.page, "review")


def test_a_caption_and_credit_show_as_literal_text(reader):
    caption = reader.page.locator("article.review [data-block=image] figcaption").first
    assert caption.inner_text().startswith(CAPTION)
    assert caption.locator(".credit").inner_text() == CREDIT
    assert caption.locator("script, i, svg").count() == 0


def test_the_summary_shows_as_literal_text(reader):
    assert reader.page.locator("article.review .standfirst").inner_text() == SUMMARY


def test_no_script_ran_or_was_refused(reader):
    reader.page.wait_for_load_state("load")
    assert reader.dialogs == []
    assert reader.console_errors == []  # a blocked inline handler would log a CSP violation
