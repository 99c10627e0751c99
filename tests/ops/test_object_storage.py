"""Media on S3-compatible object storage, against a real S3 API (moto's server, run locally).

An editor uploads an image through Wagtail's admin; the file lands in the
bucket; the API's rendition URLs point at the bucket and can be fetched.
Documents never send readers to the bucket: Wagtail's serve view checks the
collection's view restriction and streams the file itself.
"""

import sys
import urllib.request

import boto3
import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.processes import ServerProcess, free_port

BUCKET = "marquee-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    with ServerProcess(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", port], port=port
    ) as server:
        yield server.url("")


@pytest.fixture
def s3_media(s3_endpoint, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    if BUCKET not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "location": "media",
                "file_overwrite": False,
                "querystring_auth": False,
                # Media is public; real buckets usually grant that with a bucket policy or a CDN.
                "default_acl": "public-read",
            },
        },
    }
    return client


def png_bytes(width=1200, height=800):
    from io import BytesIO

    buffer = BytesIO()
    PILImage.new("RGB", (width, height), (200, 40, 40)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "still.png"
    return buffer


@pytest.mark.django_db
def test_an_uploaded_image_and_its_renditions_live_in_the_bucket(s3_media, admin_client, client):
    response = admin_client.post(
        "/admin/images/add/", {"title": "Festival still", "file": png_bytes(), "collection": 1}
    )
    assert response.status_code in (200, 302), response.content[:500]
    image = get_image_model().objects.get(title="Festival still")

    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(key.startswith("media/original_images/") for key in keys)

    data = client.get(f"/api/v2/images/{image.pk}/").json()
    url = data["renditions"]["medium"]["url"]
    assert url.startswith(s3_media.meta.endpoint_url + f"/{BUCKET}/media/images/")
    with urllib.request.urlopen(url) as fetched:
        assert fetched.status == 200
        assert fetched.read(12)[8:12] == b"WEBP"
    # Uploading a file of the same name never overwrites the first.
    admin_client.post("/admin/images/add/", {"title": "Second still", "file": png_bytes(), "collection": 1})
    second = get_image_model().objects.get(title="Second still")
    assert second.file.name != image.file.name


@pytest.mark.django_db
def test_documents_are_served_through_django_never_from_the_bucket(s3_media, client):
    document = wagtail_factories.DocumentFactory(file=ContentFile(b"%PDF-1.4 press kit", name="kit.pdf"))
    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert f"media/{document.file.name}" in keys

    assert document.url == f"/documents/{document.pk}/{document.filename}"
    response = client.get(document.url)
    assert response.status_code == 200  # not a redirect to the bucket's URL
    assert b"".join(response.streaming_content) == b"%PDF-1.4 press kit"


@pytest.mark.django_db
def test_a_restricted_document_in_the_bucket_is_refused(s3_media, client):
    collection = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    secret = wagtail_factories.DocumentFactory(
        collection=collection, file=ContentFile(b"%PDF-1.4 embargoed", name="embargoed.pdf")
    )
    response = client.get(secret.url)
    assert response.status_code == 302
    assert s3_media.meta.endpoint_url not in response["Location"]
