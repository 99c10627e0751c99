"""The reference frontend holds up with real content, at desktop and phone widths.

Layout is measured in the browser: body text and an author's bio keep a readable
width whether or not the critic has a photo and the page a hero image; a card
without an image is not squeezed into the image's column; the film's poster is
never upscaled on a phone. Then the pages readers expect: a critic's page (the
author box's "all posts by this author"), festival pages, a home page mixing
reviews and interviews, the grade legend; and an API that refuses the frontend's
origin is reported as that, not as an unreachable API.

The demo's flagship review has a hero image, a poster and a critic with a photo;
``bare_review`` adds one with none of them. Screenshots: test-artifacts/.
"""

import sys

import pytest

from tests.e2e.conftest import DESKTOP, MOBILE
from tests.processes import ServerProcess, free_port

FLAGSHIP = "/reviews/ai-weiwei-never-sorry/"  # hero image, poster, critic with a photo
BARE = "/reviews/quiet-rooms/"  # no hero, no body image, no poster, critic without a photo
BARE_CRITIC = "Noor Haddad"
WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]

BARE_REVIEW = """
from people.models import Person, Role
from reviews.models import EditorialPageAuthor, Festival, Film, Grade, ReviewIndexPage, ReviewPage

critic = Person.objects.create(
    name="Noor Haddad",
    bio="Noor reviews small films from large festivals and writes the newsletter's weekly round-up. "
    "She grew up above a cinema in Montreal and still sits in the third row.",
)
critic.roles.set(Role.objects.filter(slug="critic"))
critic.save()
film = Film.objects.create(title="Quiet Rooms", release_year=2012, runtime_minutes=84, countries="Canada")
paragraph = (
    "<p>Three sisters clear out their late father's flat over one long weekend, and the film lets "
    "every drawer they open say more than any of them will. It is patient without being slow, and "
    "its best scene is a phone call we only hear one side of.</p>"
)
page = ReviewPage(
    title="Quiet Rooms",
    slug="quiet-rooms",
    summary="A small, exact film about what a family keeps.",
    film=film,
    festival=Festival.objects.get(slug="siff-2012"),
    grade=Grade.from_letter("B+"),
    body=[{"type": "text", "value": paragraph * 3}],
)
page.authors = [EditorialPageAuthor(person=critic)]
ReviewIndexPage.first_in_tree().add_child(instance=page)
page.save_revision().publish()
"""


@pytest.fixture(scope="module")
def bare_review(stack):
    stack.django(BARE_REVIEW)
    return BARE


def open_page(open_session, stack, path, viewport):
    page = open_session(viewport).page
    page.goto(f"{stack.frontend}{path}")
    page.locator("#app[data-state]").wait_for()
    assert page.locator("#app").get_attribute("data-state") == "ready"
    return page


def width(locator):
    return locator.bounding_box()["width"]


def column_width(page):
    """The width the text column can have at this viewport: the measure, or the window less margins."""
    return min(page.locator("main").evaluate("main => main.clientWidth - 32"), 736)


def assert_readable(page, locator, share=0.85):
    """Readable: most of the text column (never a sliver beside an absent image), never wider than it."""
    assert share * column_width(page) <= width(locator) <= column_width(page) + 1


# --- reviews: body text, author box, film box -----------------------------------------------


@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize("path", [FLAGSHIP, BARE], ids=["with-photos", "without-photos"])
def test_text_and_bio_keep_a_readable_width(bare_review, stack, open_session, screenshot, viewport, path):
    page = open_page(open_session, stack, path, viewport)
    article = page.locator("article.review")
    for paragraph in article.locator(".body [data-block=text] p").all():
        assert_readable(page, paragraph, share=0.95)
    author = article.locator(".author").first
    has_photo = author.locator(".author__photo").count() == 1
    assert has_photo == (path == FLAGSHIP)
    # Beside a 6rem photo on wide screens; the full column on phones and without a photo.
    assert_readable(page, author.locator(".author__bio"), share=0.8 if has_photo else 0.95)
    assert_readable(page, article.locator(".film .film__facts-box"), share=0.7 if path == FLAGSHIP else 0.85)
    screenshot(page, "review")


def test_the_poster_is_sharp_on_a_phone(stack, open_session, screenshot):
    page = open_page(open_session, stack, FLAGSHIP, MOBILE)
    poster = page.locator(".film__poster img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=poster.element_handle())
    shown, natural = poster.evaluate("img => [img.clientWidth, img.naturalWidth]")
    assert shown > 300  # the poster takes the box's width on a phone
    assert natural >= shown  # a rendition at least as wide as shown: no upscaling
    screenshot(page, "poster")


# --- listings --------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", WIDTHS)
def test_cards_with_and_without_an_image(bare_review, stack, open_session, screenshot, viewport):
    page = open_page(open_session, stack, "/reviews/", viewport)
    bare = page.locator(".card", has_text="Quiet Rooms")
    assert bare.locator("img").count() == 0
    assert width(bare.locator(".card__text")) >= 0.95 * width(bare)
    # Exactly this title: other tests may publish "Ai Weiwei: Never Sorry, a second look".
    pictured = page.locator(".card").filter(
        has=page.get_by_role("heading", name="Ai Weiwei: Never Sorry", exact=True)
    )
    assert pictured.locator("img").count() == 1
    assert width(pictured.locator(".card__text")) >= (0.7 if viewport is DESKTOP else 0.95) * width(pictured)
    screenshot(page, "listing")


def test_the_home_page_mixes_the_latest_reviews_and_interviews(stack, open_session, screenshot):
    page = open_page(open_session, stack, "/", DESKTOP)
    kinds = page.locator(".card").evaluate_all("cards => cards.map(card => card.dataset.type)")
    assert {"reviews.ReviewPage", "reviews.InterviewPage"} <= set(kinds)
    _, reviews = stack.api_get("pages/", type="reviews.ReviewPage", limit=12)
    _, interviews = stack.api_get("pages/", type="reviews.InterviewPage", limit=12)
    newest = sorted(
        reviews["items"] + interviews["items"],
        key=lambda item: item["meta"]["first_published_at"],
        reverse=True,
    )
    titles = page.locator(".card h2").all_inner_texts()
    assert titles == [item["title"] for item in newest[: len(titles)]]
    screenshot(page, "home")


# --- critic, festival and grade pages ------------------------------------------------------


@pytest.mark.parametrize("viewport", WIDTHS)
def test_all_posts_by_the_author(bare_review, stack, open_session, screenshot, viewport):
    page = open_page(open_session, stack, BARE, viewport)
    page.get_by_role("link", name=f"All posts by {BARE_CRITIC}").click()
    page.wait_for_url(f"{stack.frontend}/critics/noor-haddad/")
    page.locator("#app[data-state=ready]").wait_for()
    critic = page.locator("article.critic")
    assert critic.locator(".author__name").inner_text() == BARE_CRITIC
    assert critic.locator(".card h2").all_inner_texts() == ["Quiet Rooms"]
    assert_readable(page, critic.locator(".author__bio"), share=0.95)
    screenshot(page, "critic")


def test_a_critic_page_lists_reviews_and_interviews(stack, open_session):
    page = open_page(open_session, stack, "/critics/spencer-whitlock/", DESKTOP)
    _, reviews = stack.api_get("pages/", type="reviews.ReviewPage", author="spencer-whitlock", limit=50)
    _, interviews = stack.api_get("pages/", type="reviews.InterviewPage", author="spencer-whitlock", limit=50)
    shown = page.locator("[data-type='reviews.ReviewPage'] .card h2").all_inner_texts()
    assert shown == [item["title"] for item in reviews["items"]]
    shown = page.locator("[data-type='reviews.InterviewPage'] .card h2").all_inner_texts()
    assert shown == [item["title"] for item in interviews["items"]]


def test_an_unknown_critic_is_not_found(stack, open_session):
    page = open_session().page
    page.goto(f"{stack.frontend}/critics/nobody-here/")
    page.locator("#app[data-state=error]").wait_for()
    assert page.locator(".error h1").inner_text() == "Not found"


def test_festival_pages(bare_review, stack, open_session, screenshot):
    page = open_page(open_session, stack, "/festivals/", DESKTOP)
    _, festivals = stack.api_get("festivals/", limit=50)
    assert page.locator(".festival-list a").all_inner_texts() == [
        f"{festival['name']} {festival['year']}" for festival in festivals["items"]
    ]
    page.get_by_role("link", name="SIFF 2012").click()
    page.wait_for_url(f"{stack.frontend}/festivals/siff-2012/")
    page.locator("#app[data-state=ready]").wait_for()
    assert page.locator("h1").inner_text() == "SIFF 2012"
    _, seen_there = stack.api_get("pages/", type="reviews.ReviewPage", festival="siff-2012", limit=50)
    shown = page.locator("[data-type='reviews.ReviewPage'] .card h2").all_inner_texts()
    assert shown == [item["title"] for item in seen_there["items"]]
    assert "Quiet Rooms" in shown
    screenshot(page, "festival")

    # A review's festival links to its page.
    page.goto(f"{stack.frontend}{BARE}")
    page.locator(".byline .festival a").click()
    page.wait_for_url(f"{stack.frontend}/festivals/siff-2012/")


def test_the_grade_legend(stack, open_session, screenshot):
    page = open_page(open_session, stack, "/grades/", DESKTOP)
    legend = page.locator(".grade-legend")
    assert legend.locator(".grade").all_inner_texts() == ["A", "B", "C", "D", "F"]
    assert all(text.strip() for text in legend.locator("dd").all_inner_texts())
    screenshot(page, "grades")

    page.goto(f"{stack.frontend}{FLAGSHIP}")
    verdict = page.locator(".verdict")
    assert verdict.locator(".grade").inner_text() == "A-"
    assert verdict.locator("a").get_attribute("href") == "/grades/"
    assert verdict.locator("a").inner_text() == "Outstanding: seek it out"  # what an A means

    page.goto(f"{stack.frontend}/reviews/")
    legend = page.locator(".grade-legend")
    legend.wait_for(state="visible")  # the listing renders after its API call answers
    legend.locator("summary").click()
    assert legend.locator("dd").first.is_visible()


# --- an API that refuses this origin ---------------------------------------------------------


def other_frontend(api):
    port = free_port()
    command = [sys.executable, "examples/frontend/serve.py", "--port", port, "--api", api]
    return ServerProcess(command, port=port)


def test_a_cors_refusal_says_so(stack, open_session, screenshot):
    with other_frontend(f"{stack.api}/api/v2/") as frontend:  # an origin the API does not allow
        page = open_session().page
        page.goto(frontend.url("/reviews/"))
        page.locator("#app[data-state=error]").wait_for()
        assert page.locator(".error h1").inner_text() == "Not allowed by the API"
        message = page.locator(".error p").inner_text()
        assert f"add http://127.0.0.1:{frontend.port} to the API's CORS_ALLOWED_ORIGINS" in message
        screenshot(page, "cors-refused")


def test_an_unreachable_api_says_so(stack, open_session):
    with other_frontend(f"http://127.0.0.1:{free_port()}/api/v2/") as frontend:  # nothing listens there
        page = open_session().page
        page.goto(frontend.url("/reviews/"))
        page.locator("#app[data-state=error]").wait_for()
        assert page.locator(".error h1").inner_text() == "Something went wrong"
        assert page.locator(".error p").inner_text().startswith("Could not reach the API")
