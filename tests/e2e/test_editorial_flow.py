"""The editorial flow in a real browser: write, moderate, publish, read, preview.

(a) A critic writes a review in the page editor (text, an uploaded image, a pull
    quote) under their own byline, filled in for them, and submits it; an editor
    approves it; it is then in the API.
(b) The reference frontend, on another origin, renders that review: CORS for real.
(c) An editor's unsaved change shows in the preview panel (the frontend, framed in
    the admin) while the API still serves the published review.
"""

import io

import pytest
from PIL import Image

from tests.e2e.admin import add_block, choose, open_footer_menu, submit_from_footer, upload_file
from tests.e2e.conftest import Session, save_screenshot
from tests.processes import http_get

FILM = "Ai Weiwei: Never Sorry"  # the demo film with a companion interview
TITLE = "Ai Weiwei: Never Sorry, a second look"
SLUG = "ai-weiwei-never-sorry-a-second-look"
PATH = f"/reviews/{SLUG}/"
PARAGRAPH = "On a second viewing the film is less about one artist than about the people who watch him."
QUOTE = "The surveillance cameras outside his studio become the film's second cast."
CRITIC = "Maya Okafor"  # the demo critic login's own person (load_demo)
ALT = "A crowd gathered outside a studio gate at dusk"


def critic_writes_and_submits(session, tmp_path, reviews_index_id, screenshot):
    page = session.log_in("critic")
    page.goto(f"{session.stack.api}/admin/pages/add/reviews/reviewpage/{reviews_index_id}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "A second look at Alison Klayman's portrait of Ai Weiwei.")
    choose(page, "Choose film", FILM)
    page.select_option("#id_grade", label="A-")
    byline = page.locator("#id_authors-FORMS").inner_text()  # filled in: the critic's own person

    body = page.locator("[data-contentpath=body]")
    add_block(body, "Text")
    body.locator(".public-DraftEditor-content").last.click()
    page.keyboard.type(PARAGRAPH)

    add_block(body, "Image")
    body.get_by_role("button", name="Choose an image").last.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(upload_file(tmp_path))
    modal.locator("input[name$=upload-title]").fill("Still: studio gate")
    modal.get_by_role("button", name="Upload").click()
    modal.wait_for(state="hidden")
    body.locator("input[name$='-value-alt_text']").last.fill(ALT)
    body.locator("input[name$='-value-caption']").last.fill("Outside the studio in Beijing.")

    add_block(body, "Pull quote")
    body.locator("textarea[name$='-value-quote']").last.fill(QUOTE)
    body.locator("input[name$='-value-attribution']").last.fill(CRITIC)
    screenshot(page, "critic-editing")

    footer = open_footer_menu(page)
    can_publish = footer.get_by_role("button", name="Publish").count() > 0
    footer.get_by_role("button", name="Submit to Editorial review").click()
    page.wait_for_url("**/admin/pages/*/")  # the submission has committed
    message = page.locator(".messages").inner_text()
    screenshot(page, "critic-submitted")
    return {"starting_byline": byline, "critic_could_publish": can_publish, "submit_message": message}


def editor_approves(session, screenshot):
    page = session.log_in("editor")
    page.get_by_role("link", name=TITLE).first.click()  # on the dashboard: "Awaiting your review"
    page.wait_for_url("**/edit/")
    screenshot(page, "editor-reviewing")
    submit_from_footer(page, "Approve and Publish")  # back in the Reviews listing
    status = page.locator("tr", has_text=TITLE).locator(".w-status").inner_text()
    screenshot(page, "editor-approved")
    return {"status_in_admin_after_approval": status.split()[-1].lower()}  # "Current page status: Live"


@pytest.fixture(scope="module")
def published_review(stack, browser, tmp_path_factory, request):
    """Flow (a), once per module: what each step showed, and the API's view after it."""

    def screenshot(page, step):
        save_screenshot(page, f"a-moderation--{step}")

    _, indexes = stack.api_get("pages/", type="reviews.ReviewIndexPage")
    critic, editor = Session(browser, stack), Session(browser, stack)
    try:
        steps = critic_writes_and_submits(
            critic, tmp_path_factory.mktemp("upload"), indexes["items"][0]["id"], screenshot
        )
        steps["api_status_after_submit"] = stack.api_get("pages/find/", html_path=PATH)[0]
        steps |= editor_approves(editor, screenshot)
        steps["foreign_requests"] = critic.foreign_requests + editor.foreign_requests
    finally:
        critic.context.close()
        editor.context.close()
    return steps


def test_a_critic_submits_an_editor_publishes_and_the_api_serves_it(published_review, stack):
    assert CRITIC in published_review["starting_byline"]
    assert published_review["critic_could_publish"] is False
    assert "submitted for moderation" in published_review["submit_message"]
    assert published_review["api_status_after_submit"] == 404  # awaiting moderation: not public
    assert published_review["status_in_admin_after_approval"] == "live"
    assert published_review["foreign_requests"] == []  # the admin loads nothing from elsewhere

    status, review = stack.api_get("pages/find/", html_path=PATH)
    assert status == 200
    assert review["title"] == TITLE
    assert review["grade"] == "A-"
    assert review["film"]["title"] == FILM
    assert [author["name"] for author in review["authors"]] == [CRITIC]
    assert [block["type"] for block in review["body"]] == ["text", "image", "pull_quote"]
    text, image, quote = (block["value"] for block in review["body"])
    assert PARAGRAPH in text
    assert image["alt"] == ALT
    assert image["image"]["renditions"]["medium"]["format"] == "webp"
    status, _, jpeg = http_get(image["image"]["renditions"]["fallback"]["url"])
    assert status == 200 and Image.open(io.BytesIO(jpeg)).format == "JPEG"
    assert quote == {"quote": QUOTE, "attribution": CRITIC}
    assert review["meta"]["html_url"] == f"{stack.frontend}{PATH}"


def test_b_the_frontend_on_another_origin_renders_the_review(
    published_review, stack, open_session, screenshot
):
    session = open_session()
    page = session.page
    api_responses = []
    page.on(
        "response", lambda response: api_responses.append(response) if "/api/v2/" in response.url else None
    )

    page.goto(f"{stack.frontend}/reviews/")
    page.locator("#app[data-state=ready]").wait_for()
    screenshot(page, "listing")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{stack.frontend}{PATH}")
    page.locator("#app[data-state=ready]").wait_for()

    article = page.locator("article.review")
    assert article.locator("h1").inner_text() == TITLE
    assert article.locator(".grade").inner_text() == "A-"
    assert article.locator(".film__title").inner_text() == FILM
    assert "Alison Klayman" in article.locator(".film__directors").inner_text()
    assert PARAGRAPH in article.locator("[data-block=text]").inner_text()
    assert QUOTE in article.locator("[data-block=pull_quote]").inner_text()
    author = article.locator(".author")
    assert author.locator(".author__name").inner_text() == CRITIC
    assert author.locator(".author__bio").inner_text().strip()

    figure = article.locator("[data-block=image]")
    figure.scroll_into_view_if_needed()
    srcset = figure.locator("source").get_attribute("srcset")
    assert all(f"{width}w" in srcset for width in (320, 640, 1024, 1600))
    image = figure.locator("img")
    assert image.get_attribute("alt") == ALT
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())

    interview = article.locator(".related li[data-type='reviews.InterviewPage'] a")
    assert interview.count() >= 1
    assert interview.first.get_attribute("href").startswith("/interviews/")
    screenshot(page, "review")

    # The page came from the API on the other origin, allowed by CORS, and nothing else.
    find = [r for r in api_responses if "/api/v2/pages/find/" in r.url]
    assert find and find[-1].status == 200
    assert find[-1].headers["access-control-allow-origin"] == stack.frontend
    assert session.foreign_requests == []
    assert session.console_errors == []

    interview.first.click()
    page.locator("article.interview").wait_for()
    assert page.locator("article.interview .related a", has_text=TITLE).count() == 1


def test_c_preview_shows_the_draft_while_the_api_serves_the_published_page(
    published_review, stack, open_session, screenshot
):
    status, review = stack.api_get("pages/find/", html_path=PATH)
    assert status == 200
    draft_title = f"{TITLE} (revised)"
    draft_quote = "Revised: the cameras outside the studio are the film's second cast."

    session = open_session()
    page = session.log_in("editor")
    page.goto(f"{stack.api}/admin/pages/{review['id']}/edit/")
    page.fill("#id_title", draft_title)
    body = page.locator("[data-contentpath=body]")
    body.locator("textarea[name$='-value-quote']").last.fill(draft_quote)
    page.get_by_role("button", name="Toggle preview").click()

    preview = page.frame_locator("#w-preview-iframe")
    preview.locator("article.review h1", has_text=draft_title).wait_for()
    assert preview.locator("#preview-banner").is_visible()
    assert draft_quote in preview.locator("[data-block=pull_quote]").inner_text()
    assert preview.locator(".grade").inner_text() == "A-"
    screenshot(page, "preview-panel")

    # Unsaved edits are nowhere public: not in the API, not on the frontend.
    status, published = stack.api_get("pages/find/", html_path=PATH)
    assert (status, published["title"]) == (200, TITLE)
    assert published["body"][2]["value"]["quote"] == QUOTE
    reader = open_session().page
    reader.goto(f"{stack.frontend}{PATH}")
    reader.locator("#app[data-state=ready]").wait_for()
    assert reader.locator("article.review h1").inner_text() == TITLE
    assert reader.locator("#preview-banner").is_hidden()

    # A preview URL is the frontend's, carrying a token that works from any browser
    # (the frontend fetches the draft anonymously) until it expires.
    preview_url = page.frame_locator("#w-preview-iframe").locator("body").evaluate("() => location.href")
    assert preview_url.startswith(f"{stack.frontend}/preview/?content_type=reviews.reviewpage&token=")
    reader.goto(preview_url)
    reader.locator("article.review h1", has_text=draft_title).wait_for()
    screenshot(reader, "preview-standalone")
    assert session.foreign_requests == []
