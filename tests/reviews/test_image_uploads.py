"""Image uploads in the admin: a file that does not decode, or an animation over the pixel
limit, is a form error for the editor, never a 500 and never an accepted image.

Through the real upload URLs (the image library's add view, the chooser's
upload tab, the multiple uploader) with a logged-in member of Editors.
"""

import io
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

PIXEL_LIMIT = 100_000  # WAGTAILIMAGES_MAX_IMAGE_PIXELS in these tests


def gif(frames, width, height):
    """An animated GIF; each frame a different colour so the encoder keeps every one."""
    images = [PILImage.new("RGB", (width, height), (20 * n, 0, 0)) for n in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=100)
    return buffer.getvalue()


def still(image_format, size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, image_format)
    return buffer.getvalue()


UNREADABLE = {
    "gif-header-then-garbage": ("upload.gif", b"GIF89a" + b"\x00garbage" * 20),
    "png-header-then-garbage": ("upload.png", b"\x89PNG\r\n\x1a\n" + b"garbage!" * 20),
    "jpeg-header-then-garbage": ("upload.jpg", b"\xff\xd8\xff\xe0" + b"garbage!" * 20),
    "webp-header-then-garbage": ("upload.webp", b"RIFF\x40\x00\x00\x00WEBPVP8 " + b"garbage!" * 20),
    "gif-truncated-frame-data": ("upload.gif", gif(1, 200, 200)[:60]),
    "png-truncated-pixel-data": ("upload.png", still("PNG", (200, 200))[:-40]),
}
ACCEPTED = {
    "gif-one-frame": ("upload.gif", gif(1, 300, 300)),  # 90,000 pixels
    "gif-animated-under-the-limit": ("upload.gif", gif(4, 150, 150)),  # 90,000 pixels in all
    "png": ("upload.png", still("PNG")),
    "jpeg": ("upload.jpg", still("JPEG")),
    "webp": ("upload.webp", still("WEBP")),
}
TOO_MANY_PIXELS = {
    "gif-animated-over-the-limit": ("upload.gif", gif(12, 100, 100)),  # 10,000 per frame, 120,000 in all
    "gif-one-frame-over-the-limit": ("upload.gif", gif(1, 400, 400)),
}
assert PILImage.open(io.BytesIO(TOO_MANY_PIXELS["gif-animated-over-the-limit"][1])).n_frames == 12


@pytest.fixture
def editor(client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = PIXEL_LIMIT
    call_command("setup_roles", stdout=StringIO())
    user = get_user_model().objects.create_user("eddie", "eddie@example.com", "a-long-password-1")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def upload_through_the_library(client, name, content):
    """``(accepted, response)`` from the image library's add form."""
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Upload", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code in (200, 302)  # the form again, or a redirect to the library
    return response.status_code == 302, response


def upload_through_the_chooser(client, name, content):
    """``(accepted, response)`` from the upload tab of the image chooser (in the page editor)."""
    response = client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "Upload",
            "image-chooser-upload-file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    step = response.json()["step"]
    assert step in ("chosen", "reshow_creation_form")
    return step == "chosen", response


def upload_through_the_multiple_uploader(client, name, content):
    """``(accepted, response)`` from the drag-and-drop multiple uploader."""
    response = client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    return response.json()["success"], response


UPLOADS = [upload_through_the_library, upload_through_the_chooser, upload_through_the_multiple_uploader]


@pytest.mark.parametrize("upload", UPLOADS)
@pytest.mark.parametrize("case", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_file_that_does_not_decode_is_a_form_error(editor, upload, case):
    accepted, _ = upload(editor, *case)
    assert not accepted


@pytest.mark.parametrize("upload", UPLOADS)
@pytest.mark.parametrize("case", TOO_MANY_PIXELS.values(), ids=TOO_MANY_PIXELS.keys())
def test_every_frame_counts_towards_the_pixel_limit(editor, upload, case):
    accepted, _ = upload(editor, *case)
    assert not accepted


@pytest.mark.parametrize("upload", UPLOADS)
@pytest.mark.parametrize("case", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_images_within_the_limits_are_accepted(editor, upload, case):
    accepted, _ = upload(editor, *case)
    assert accepted


@pytest.mark.parametrize("case", [*UNREADABLE.values(), *TOO_MANY_PIXELS.values()])
def test_a_refused_upload_stores_no_image(editor, case):
    upload_through_the_library(editor, *case)
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    "url_name", ["wagtailimages:add", "wagtailimages:add_multiple", "wagtailimages_chooser:create"]
)
def test_the_upload_forms_render(editor, url_name):
    assert editor.get(reverse(url_name)).status_code == 200
