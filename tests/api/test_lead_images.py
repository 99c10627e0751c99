"""Images as editors think of them: a page's lead image, alt text typed once, image layouts.

Contract (docs/api.md): a card's ``thumbnail`` and a page's ``social_image`` come
from the hero image, else the first public body image, else the film's poster;
an image block's ``alt`` left blank is the image's own description; every image
block carries a ``layout``. Read through the API, as a client sees them.
"""

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from wagtail.models import Collection, CollectionViewRestriction

from delivery.models import Change
from reviews.blocks import ImageBlock
from reviews.factories import FilmFactory, ReviewPageFactory
from reviews.models import ReviewPage

pytestmark = pytest.mark.django_db


def image(**fields):
    return wagtail_factories.ImageFactory(**fields)


def image_block(picture, **value):
    return {
        "type": "image",
        "value": {
            "image": picture.pk,
            "alt_text": "",
            "decorative": False,
            "caption": "",
            "credit": "",
            **value,
        },
    }


def text_block():
    return {"type": "text", "value": "<p>Prose.</p>"}


def restricted_image():
    collection = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    return image(collection=collection)


def card(api, page):
    listing = api.get("/api/v2/pages/", {"type": "reviews.ReviewPage", "slug": page.slug}).data
    (item,) = listing["items"]
    return item


def detail(api, page):
    return api.get(f"/api/v2/pages/{page.pk}/").data


def thumbnail_of(picture):
    return picture.get_rendition("width-320|format-webp").url


# --- thumbnail and social image ------------------------------------------------------------


def test_the_hero_image_leads(api):
    hero, still = image(), image()
    review = ReviewPageFactory(hero_image=hero, body=[image_block(still, alt_text="A still")])
    assert card(api, review)["thumbnail"]["url"].endswith(thumbnail_of(hero))
    assert detail(api, review)["social_image"]["id"] == hero.pk


def test_without_a_hero_the_first_body_image_leads(api):
    first, second = image(), image()
    review = ReviewPageFactory(
        hero_image=None,
        body=[text_block(), image_block(first, alt_text="First"), image_block(second, alt_text="Second")],
    )
    assert card(api, review)["thumbnail"]["url"].endswith(thumbnail_of(first))
    assert detail(api, review)["social_image"]["id"] == first.pk


def test_a_restricted_body_image_is_passed_over(api):
    public = image()
    review = ReviewPageFactory(
        hero_image=None,
        body=[image_block(restricted_image(), alt_text="Embargoed"), image_block(public, alt_text="Public")],
    )
    assert detail(api, review)["social_image"]["id"] == public.pk


def test_without_hero_or_body_images_the_film_poster_leads(api):
    film = FilmFactory()
    review = ReviewPageFactory(hero_image=None, film=film, body=[text_block()])
    assert card(api, review)["thumbnail"]["url"].endswith(thumbnail_of(film.poster))
    assert detail(api, review)["social_image"]["id"] == film.poster.pk


def test_a_page_with_no_image_at_all_has_no_thumbnail(api):
    review = ReviewPageFactory(hero_image=None, film=FilmFactory(poster=None), body=[text_block()])
    assert card(api, review)["thumbnail"] is None
    assert detail(api, review)["social_image"] is None


def test_a_chosen_social_image_still_wins(api):
    social = image()
    review = ReviewPageFactory(hero_image=None, social_image=social, body=[text_block()])
    assert detail(api, review)["social_image"]["id"] == social.pk


def test_a_new_poster_reaches_the_cards_that_show_it(api):
    """The store re-renders a page whose thumbnail is its film's poster when the poster changes."""
    film = FilmFactory()
    review = ReviewPageFactory(hero_image=None, film=film, body=[text_block()])
    other = ReviewPageFactory()  # has a hero: its card does not show any poster
    seq = Change.objects.order_by("-seq").values_list("seq", flat=True).first()

    film.poster = image()
    film.save()

    assert card(api, review)["thumbnail"]["url"].endswith(thumbnail_of(film.poster))
    rerendered = set(Change.objects.filter(seq__gt=seq).values_list("page_id", flat=True))
    assert review.pk in rerendered
    assert other.pk not in rerendered


def test_the_hero_help_text_says_what_stands_in_for_it():
    help_text = ReviewPage._meta.get_field("hero_image").help_text
    assert "first image in the body" in help_text and "poster" in help_text


# --- alt text typed once --------------------------------------------------------------------


def body_image(api, review):
    (block,) = [block for block in detail(api, review)["body"] if block["type"] == "image"]
    return block["value"]


def test_blank_alt_text_is_the_images_own_description(api):
    still = image(description="Ai Weiwei at his studio gate, filmed by police")
    review = ReviewPageFactory(body=[image_block(still, alt_text="")])
    assert body_image(api, review)["alt"] == "Ai Weiwei at his studio gate, filmed by police"


def test_alt_text_typed_in_the_block_wins(api):
    still = image(description="The image's own description")
    review = ReviewPageFactory(body=[image_block(still, alt_text="Said differently here")])
    assert body_image(api, review)["alt"] == "Said differently here"


def test_a_decorative_image_has_empty_alt(api):
    still = image(description="Something")
    review = ReviewPageFactory(body=[image_block(still, decorative=True)])
    assert body_image(api, review)["alt"] == ""


def clean_block(picture, **value):
    block = ImageBlock()
    return block.clean(block.to_python(image_block(picture, **value)["value"]))


def test_the_editor_accepts_blank_alt_text_for_a_described_image():
    assert clean_block(image(description="A crowd at dusk"), alt_text="")["alt_text"] == ""


def test_the_editor_asks_for_alt_text_when_the_image_has_no_description():
    with pytest.raises(ValidationError) as refused:
        clean_block(image(description=""), alt_text="")
    assert "alt_text" in refused.value.block_errors


# --- layout -----------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["full_width", "wide", "inset_left", "inset_right"])
def test_the_layout_reaches_the_client(api, layout):
    review = ReviewPageFactory(body=[image_block(image(), alt_text="A still", layout=layout)])
    assert body_image(api, review)["layout"] == layout


def test_an_image_placed_before_layouts_existed_is_full_width(api):
    review = ReviewPageFactory(body=[image_block(image(), alt_text="A still")])  # no "layout" key
    assert body_image(api, review)["layout"] == "full_width"


def test_an_unknown_layout_is_refused_in_the_editor():
    with pytest.raises(ValidationError):
        clean_block(image(description="A still"), layout="floating")
