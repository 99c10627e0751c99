"""Media in view-restricted collections stays restricted.

Documents are reached only through Wagtail's serve view, which checks the
collection's view restriction; no media URL served by Django exposes an
original (``documents/``, ``original_images/``), in development either.
Object storage: tests/ops/test_object_storage.py.
"""

import importlib

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from wagtail.models import Collection, CollectionViewRestriction

pytestmark = pytest.mark.django_db
SECRET_BYTES = b"%PDF-1.4 embargoed festival line-up"
PUBLIC_BYTES = b"%PDF-1.4 public press kit"


def restricted_collection(restriction_type, **fields):
    collection = Collection.get_first_root_node().add_child(name=f"Embargoed ({restriction_type})")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=restriction_type, **fields
    )
    return collection.add_child(name=f"Embargoed ({restriction_type}) / Berlinale")


def document(content, collection=None, name="line-up.pdf"):
    extra = {"collection": collection} if collection else {}
    return wagtail_factories.DocumentFactory(file=ContentFile(content, name=name), **extra)


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    ("restriction_type", "fields"),
    [("login", {}), ("password", {"password": "berlin"}), ("groups", {})],
)
def test_a_restricted_document_is_refused_to_anonymous_readers(client, restriction_type, fields):
    secret = document(SECRET_BYTES, restricted_collection(restriction_type, **fields))
    response = client.get(secret.url)
    assert response.status_code in (200, 302, 403)  # a login redirect or a password form
    assert SECRET_BYTES not in body(response)


def test_a_public_document_downloads(client):
    public = document(PUBLIC_BYTES, name="press-kit.pdf")
    response = client.get(public.url)
    assert response.status_code == 200
    assert body(response) == PUBLIC_BYTES


def test_document_urls_are_the_serve_view_not_the_file(client):
    public = document(PUBLIC_BYTES, name="press-kit.pdf")
    assert public.url == f"/documents/{public.pk}/{public.filename}"
    assert public.url != public.file.url


def test_the_api_links_documents_through_the_serve_view(client, settings):
    public = document(PUBLIC_BYTES, name="press-kit.pdf")
    data = client.get(f"/api/v2/documents/{public.pk}/").json()
    assert data["download_url"] == f"{settings.WAGTAILAPI_BASE_URL}/documents/{public.pk}/{public.filename}"


@pytest.fixture
def dev_urls(settings):
    """The URLconf as ``DEBUG=True`` (``make run``) builds it."""
    import site_config.urls

    settings.DEBUG = True
    importlib.reload(site_config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(site_config.urls)
    clear_url_caches()


def test_development_media_serving_exposes_no_originals(dev_urls, client):
    secret = document(SECRET_BYTES, restricted_collection("login"))
    image = wagtail_factories.ImageFactory(collection=restricted_collection("groups"))
    assert client.get(secret.file.url).status_code == 404
    assert client.get(image.file.url).status_code == 404


def test_development_media_serving_still_serves_renditions(dev_urls, client):
    rendition = wagtail_factories.ImageFactory().get_rendition("width-100")
    response = client.get(rendition.url)
    assert response.status_code == 200
    with rendition.file.open("rb") as stored:
        assert body(response) == stored.read()


def test_without_debug_django_serves_no_media_files(client):
    public = document(PUBLIC_BYTES, name="press-kit.pdf")
    rendition = wagtail_factories.ImageFactory().get_rendition("width-100")
    assert client.get(public.file.url).status_code == 404
    assert client.get(rendition.url).status_code == 404
