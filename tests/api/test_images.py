"""One image object everywhere; renditions made ahead; restricted media never served."""

import pytest
import wagtail_factories
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from people.factories import CriticFactory
from reviews.factories import ReviewPageFactory, body
from reviews.images import RENDITION_SPECS

pytestmark = pytest.mark.django_db
Rendition = get_image_model().get_rendition_model()


def test_every_image_has_the_documented_renditions_and_srcset(api):
    image = wagtail_factories.ImageFactory(file__width=2000, file__height=1000)
    data = api.get(f"/api/v2/images/{image.pk}/").data
    assert set(data["renditions"]) == set(RENDITION_SPECS)
    assert data["renditions"]["thumbnail"] == {
        "url": data["renditions"]["thumbnail"]["url"],
        "width": 320,
        "height": 160,
        "format": "webp",
    }
    assert data["renditions"]["social"]["width"] == 1200 and data["renditions"]["social"]["height"] == 630
    assert data["renditions"]["fallback"]["url"].endswith(".jpg")
    assert data["srcset"].count("w,") == 3 and data["srcset"].endswith("1600w")
    assert data["renditions"]["large"]["url"].startswith("http://testserver/media/")


def test_the_same_object_in_posters_heroes_photos_and_bodies(api):
    shared = wagtail_factories.ImageFactory()
    critic = CriticFactory(photo=shared)
    review = ReviewPageFactory(hero_image=shared, authors=[critic], body=body(images=[shared]))
    review.film.poster = shared
    review.film.save()
    data = api.get(f"/api/v2/pages/{review.pk}/").data
    image_block = next(b for b in data["body"] if b["type"] == "image")
    assert (
        data["hero_image"]
        == data["film"]["poster"]
        == data["authors"][0]["photo"]
        == image_block["value"]["image"]
    )


def test_renditions_are_generated_when_an_image_is_saved(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory(file__width=800, file__height=600)
    specs = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert specs == set(RENDITION_SPECS.values())


def test_serving_an_image_creates_no_rendition_when_made_ahead(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory()
    before = Rendition.objects.count()
    api.get(f"/api/v2/images/{image.pk}/")
    assert Rendition.objects.count() == before


def test_a_deleted_body_image_leaves_a_null_image_not_an_error(api):
    image = wagtail_factories.ImageFactory()
    review = ReviewPageFactory(body=body(images=[image]))
    image.delete()
    data = api.get(f"/api/v2/pages/{review.pk}/").data
    image_block = next(b for b in data["body"] if b["type"] == "image")
    assert image_block["value"]["image"] is None
    assert image_block["value"]["caption"] == "Caption"


@pytest.fixture
def restricted_collection():
    root = Collection.get_first_root_node()
    private = root.add_child(name="Embargoed stills")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    child = private.add_child(name="Embargoed stills / Festival")
    return child


def test_images_in_restricted_collections_are_never_served(api, restricted_collection):
    public = wagtail_factories.ImageFactory()
    secret = wagtail_factories.ImageFactory(collection=restricted_collection, title="Embargoed still")
    listed = [item["id"] for item in api.get("/api/v2/images/").data["items"]]
    assert public.pk in listed and secret.pk not in listed
    api.get(f"/api/v2/images/{secret.pk}/", expected_status=404)

    review = ReviewPageFactory(hero_image=secret, body=body(images=[secret]))
    response = api.get(f"/api/v2/pages/{review.pk}/")
    assert response.data["hero_image"] is None
    assert next(b for b in response.data["body"] if b["type"] == "image")["value"]["image"] is None
    assert b"Embargoed" not in response.content


def test_documents_in_restricted_collections_are_never_served(api, restricted_collection):
    public = wagtail_factories.DocumentFactory()
    secret = wagtail_factories.DocumentFactory(collection=restricted_collection)
    listed = [item["id"] for item in api.get("/api/v2/documents/").data["items"]]
    assert public.pk in listed and secret.pk not in listed
    api.get(f"/api/v2/documents/{secret.pk}/", expected_status=404)
