"""A review like a real one, from a critic's first keystroke to a reader's phone.

The shape of a real festival review (docs' sample: text, a poster and two stills,
a pull quote, the critic's box, a link to the publication's interview), in our own
words, entered the way editors work:

1. A critic writes it in the page editor. The film is not in the database yet, so
   they add it from the film chooser's "Add film" tab; they choose the festival,
   upload three images from the image chooser, each with a layout (two take their
   alt text from the description typed at upload, one gets its own), add a pull
   quote, and link "interview with Alison Klayman" to the interview page through
   the rich-text link chooser. They submit it for moderation.
2. An editor, approving it, credits a guest critic who is not in the database
   either, added from the byline chooser's "Add critic" tab (critics may add films
   and festivals, not people), and approves and publishes.
3. The reference frontend renders it at desktop and phone widths: layouts, alt
   text, the quote, both critics' boxes (one with a photo, one without), the film
   box without a poster, the link to the interview, the card in the listing
   (its thumbnail the first body image: the review has no hero image).
"""

import pytest

from tests.e2e.admin import add_block, choose, create_in_chooser, submit_from_footer, upload_file
from tests.e2e.conftest import DESKTOP, MOBILE, Session, load_every_image, save_screenshot

TITLE = "Harbour Lights"
PATH = "/reviews/harbour-lights/"
SUMMARY = "A lighthouse keeper's last winter becomes a quiet standoff with the authority that wants his light run by a timer."
FILM = {
    "title": "Harbour Lights",
    "release_year": "2012",
    "runtime_minutes": "88",
    "countries": "Norway",
    "synopsis": "The last keeper of a northern lighthouse refuses to hand it over to automation.",
}
CRITIC = "Maya Okafor"  # the demo critic login's own person, with a photo
GUEST = {"name": "Rafael Quist", "bio": "Rafael writes about documentaries and the people who make them."}
INTERVIEW = "Alison Klayman on filming Ai Weiwei"
INTERVIEW_PATH = "/interviews/alison-klayman-interview/"
LINK_TEXT = "interview with Alison Klayman"
QUOTE = "A thriller whose only weapon is a logbook."

PARAGRAPHS = [
    [
        "Nobody in this documentary raises their voice, and it is one of the tensest films of the festival.",
        "Its subject keeps the last staffed light on a stretch of northern coast, and the harbour authority "
        "has written to say that from spring a timer will do his job.",
    ],
    [
        "The director films the keeper the way he watches the sea: patiently, in all weathers, waiting for "
        "the moment something changes. What changes is paperwork, and the film turns each letter into an event.",
    ],
    [
        "It is not a neutral film, and it does not try to be. The authority declined to take part, and the "
        "keeper is allowed his stubbornness and his charm in equal measure.",
        "My one reservation is the archive material, which interrupts the winter rather than deepening it.",
    ],
    [f"For another portrait of someone standing their ground, read our {LINK_TEXT}"],
]
IMAGES = [  # file, size, title, description typed at upload, alt typed in the block, layout as offered
    (
        "lamp-room.png",
        (1600, 900),
        "Harbour Lights: the lamp room",
        "The keeper polishing the lens at dusk",
        "",
        "Wide: wider than the text",
    ),
    (
        "poster.png",
        (600, 900),
        "Harbour Lights: poster",
        "",
        "Poster: a beam crossing a dark harbour",
        "Inset left: beside the text, on its left",
    ),
    (
        "letter.png",
        (1600, 900),
        "Harbour Lights: the letter",
        "The authority's letter pinned by the lamp",
        "",
        "Inset right: beside the text, on its right",
    ),
]
LAYOUTS = ["wide", "inset_left", "inset_right"]
ALTS = [
    "The keeper polishing the lens at dusk",
    "Poster: a beam crossing a dark harbour",
    "The authority's letter pinned by the lamp",
]


def type_text(page, body, paragraphs):
    add_block(body, "Text")
    body.locator(".public-DraftEditor-content").last.click()
    for n, paragraph in enumerate(paragraphs):
        if n:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


def link_last_words_to_page(page, words, search, title):
    """Select the last ``words`` typed and link them to a page through the rich-text link chooser."""
    # Draftail applies keystrokes asynchronously: on a busy machine a Shift+ArrowLeft can be
    # lost to the typing still landing. Widen the selection until it holds exactly the words.
    for _ in range(len(words) + 5):
        if page.evaluate("window.getSelection().toString()") == words:
            break
        page.keyboard.press("Shift+ArrowLeft")
    assert page.evaluate("window.getSelection().toString()") == words
    page.get_by_role("button", name="Link").last.click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name=q]").fill(search)
    modal.locator("a.choose-page", has_text=title).first.click()
    modal.wait_for(state="hidden")
    page.locator(".TooltipEntity", has_text=words).wait_for()
    # Draftail writes its state to the form a moment after a change (stateSaveInterval):
    # wait until the link is in the field that the form submits.
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('input[type=hidden]'))"
        '.some(input => input.value.includes(\'"type":"LINK"\'))'
    )


def add_image(page, body, tmp_path, file_name, size, title, description, alt, layout):
    add_block(body, "Image")
    body.get_by_role("button", name="Choose an image").last.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(upload_file(tmp_path, file_name, size))
    modal.locator("input[name$=upload-title]").fill(title)
    modal.locator("[name$=upload-description]").fill(description)
    modal.get_by_role("button", name="Upload").click()
    modal.wait_for(state="hidden")
    if alt:
        body.locator("input[name$='-value-alt_text']").last.fill(alt)
    body.locator("select[name$='-value-layout']").last.select_option(label=layout)


def critic_writes_and_submits(session, tmp_path, section_id):
    page = session.log_in("critic")
    page.goto(f"{session.stack.api}/admin/pages/add/reviews/reviewpage/{section_id}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", SUMMARY)
    create_in_chooser(page, "Choose film", "Add film", FILM)
    page.select_option("#id_grade", label="A-")
    choose(page, "Choose festival", "SIFF 2012")
    steps = {"byline_can_add_people": byline_chooser_can_create(page)}

    body = page.locator("[data-contentpath=body]")
    type_text(page, body, PARAGRAPHS[0])
    add_image(page, body, tmp_path, *IMAGES[0])
    type_text(page, body, PARAGRAPHS[1])
    add_image(page, body, tmp_path, *IMAGES[1])
    add_block(body, "Pull quote")
    body.locator("textarea[name$='-value-quote']").last.fill(QUOTE)
    body.locator("input[name$='-value-attribution']").last.fill(CRITIC)
    type_text(page, body, PARAGRAPHS[2])
    add_image(page, body, tmp_path, *IMAGES[2])
    type_text(page, body, PARAGRAPHS[3])
    link_last_words_to_page(page, LINK_TEXT, "Klayman", INTERVIEW)
    save_screenshot(page, "sample-review--critic-editing")

    # Waiting for the listing Wagtail answers with, not just for a load, means the submission
    # has committed before the editor opens the dashboard.
    submit_from_footer(page, "Submit to Editorial review")
    steps["submit_message"] = page.locator(".messages").inner_text()
    save_screenshot(page, "sample-review--critic-submitted")
    return steps


def byline_chooser_can_create(page):
    """Whether the byline chooser offers this login an "Add critic" tab (then closes it)."""
    page.get_by_role("button", name="Add critic").last.click()
    modal = page.locator(".modal-dialog")
    modal.locator("#search-results").wait_for()
    can_create = modal.get_by_role("tab", name="Add critic").count() > 0
    modal.get_by_role("button", name="Close").click()
    modal.wait_for(state="hidden")
    return can_create


def editor_credits_a_guest_and_approves(session):
    page = session.log_in("editor")
    page.get_by_role("link", name=TITLE).first.click()  # on the dashboard: "Awaiting your review"
    page.wait_for_url("**/edit/")
    create_in_chooser(page, "Add critic", "Add critic", GUEST)
    save_screenshot(page, "sample-review--editor-reviewing")
    submit_from_footer(page, "Approve and Publish")
    save_screenshot(page, "sample-review--editor-approved")
    return page.locator("tr", has_text=TITLE).locator(".w-status").inner_text().split()[-1].lower()


@pytest.fixture(scope="module")
def published(stack, browser, tmp_path_factory):
    _, sections = stack.api_get("pages/", type="reviews.ReviewIndexPage")
    critic, editor = Session(browser, stack), Session(browser, stack)
    try:
        steps = critic_writes_and_submits(
            critic, tmp_path_factory.mktemp("sample"), sections["items"][0]["id"]
        )
        steps["status"] = editor_credits_a_guest_and_approves(editor)
    except Exception as error:
        error.add_note(f"browser errors: critic {critic.console_errors}, editor {editor.console_errors}")
        raise
    finally:
        critic.context.close()
        editor.context.close()
    return steps


def test_a_critic_and_an_editor_publish_it_through_the_admin(published, stack):
    assert published["byline_can_add_people"] is False  # people are for editors to add
    assert "submitted for moderation" in published["submit_message"]
    assert published["status"] == "live"

    status, review = stack.api_get("pages/find/", html_path=PATH)
    assert status == 200
    assert (review["title"], review["grade"], review["summary"]) == (TITLE, "A-", SUMMARY)
    film = review["film"]
    assert (film["title"], film["year"], film["runtime_minutes"], film["countries"]) == (
        TITLE,
        2012,
        88,
        ["Norway"],
    )
    assert film["poster"] is None  # added from the chooser: the poster comes later, on the film's page
    assert review["festival"]["slug"] == "siff-2012"
    assert [author["name"] for author in review["authors"]] == [CRITIC, GUEST["name"]]
    assert review["authors"][1]["bio"] == GUEST["bio"]

    types = [block["type"] for block in review["body"]]
    assert types == ["text", "image", "text", "image", "pull_quote", "text", "image", "text"]
    images = [block["value"] for block in review["body"] if block["type"] == "image"]
    assert [image["layout"] for image in images] == LAYOUTS
    assert [image["alt"] for image in images] == ALTS
    assert review["hero_image"] is None
    # No hero image: the first body image leads, on social cards and on the listing's card.
    assert review["social_image"]["id"] == images[0]["image"]["id"]
    _, listing = stack.api_get("pages/", type="reviews.ReviewPage", slug="harbour-lights")
    assert listing["items"][0]["thumbnail"] == images[0]["image"]["renditions"]["thumbnail"]
    assert {"quote": QUOTE, "attribution": CRITIC} in [block["value"] for block in review["body"]]
    assert f"{LINK_TEXT}</a>" in review["body"][-1]["value"]
    assert f'href="{stack.frontend}{INTERVIEW_PATH}"' in review["body"][-1]["value"]


def figure_geometry(page):
    """Each body image's layout, box and loaded size, relative to the text column."""
    load_every_image(page)
    return page.locator("[data-block=image]").evaluate_all(
        """figures => figures.map(figure => {
            const box = figure.getBoundingClientRect();
            const text = document.querySelector('.body').getBoundingClientRect();
            const img = figure.querySelector('img');
            return {layout: figure.dataset.layout, alt: img.alt, left: box.left - text.left,
                    right: text.right - box.right, width: box.width, text: text.width,
                    loaded: img.complete && img.naturalWidth > 0};
        })"""
    )


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")])
def test_the_frontend_renders_it(published, stack, open_session, screenshot, viewport):
    session = open_session(viewport)
    page = session.page
    page.goto(f"{stack.frontend}/reviews/")
    page.locator("#app[data-state=ready]").wait_for()
    card = page.locator(".card", has_text=TITLE)
    assert card.locator("img").count() == 1  # the first body image stands in for the hero
    card.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"{stack.frontend}{PATH}")
    page.locator("#app[data-state=ready]").wait_for()

    article = page.locator("article.review")
    assert article.locator("h1").inner_text() == TITLE
    assert article.locator(".verdict .grade").inner_text() == "A-"
    assert article.locator(".film__title").inner_text() == TITLE
    assert article.locator(".film__poster").count() == 0
    assert QUOTE in article.locator("[data-block=pull_quote]").inner_text()

    figures = figure_geometry(page)
    assert [figure["layout"] for figure in figures] == LAYOUTS
    assert [figure["alt"] for figure in figures] == ALTS
    assert all(figure["loaded"] for figure in figures)
    wide, inset_left, inset_right = figures
    if viewport is DESKTOP:
        assert wide["width"] > wide["text"] + 100  # breaks out of the text column on both sides
        assert wide["left"] < -50 and wide["right"] < -50
        assert 0.4 * inset_left["text"] <= inset_left["width"] <= 0.5 * inset_left["text"]
        assert abs(inset_left["left"]) <= 1  # against the column's left edge, text to its right
        assert abs(inset_right["right"]) <= 1
    else:  # on a phone every image takes the column's width
        for figure in figures:
            assert abs(figure["width"] - figure["text"]) <= 1

    authors = article.locator(".author")
    assert authors.locator(".author__name").all_inner_texts() == [CRITIC, GUEST["name"]]
    assert authors.nth(0).locator(".author__photo").count() == 1
    assert authors.nth(1).locator(".author__photo").count() == 0
    for n in range(2):
        assert authors.nth(n).locator(".author__bio").bounding_box()["width"] >= 0.8 * figures[0]["text"]
    screenshot(page, "review")
    assert session.console_errors == []

    page.get_by_role("link", name=LINK_TEXT).click()
    page.wait_for_url(f"{stack.frontend}{INTERVIEW_PATH}")
    page.locator("article.interview").wait_for()
    assert page.locator("article.interview h1").inner_text() == INTERVIEW

    page.goto(f"{stack.frontend}{PATH}")
    page.get_by_role("link", name=f"All posts by {GUEST['name']}").click()
    page.wait_for_url(f"{stack.frontend}/critics/rafael-quist/")
    page.locator("#app[data-state=ready]").wait_for()
    assert page.locator(".card h2").all_inner_texts() == [TITLE]
