"""Admin forms: the image upload form every image (poster, hero, photo, body image) goes through."""

import warnings

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class WholeImageField(WagtailImageField):
    """Wagtail's image field, with the upload decoded by Pillow and every frame counted.

    Wagtail reads an upload through Willow, whose Pillow plugin reports one frame
    for any image, so an animated GIF of 20 frames of 2,000 × 1,000 passes a
    40-million-pixel limit as 2 million; and a file with a valid header and
    garbage after it (``GIF89a…``) raised from inside Wagtail's own check, a 500
    for the editor. Here the file is opened and its first frame decoded before
    Wagtail's checks, and ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` counts width ×
    height × frames. Anything Pillow cannot read is the form error an unreadable
    file gets.
    """

    def check_image_pixel_size(self, f):
        width, height, frames = self._decoded_size(f)
        if self.max_image_pixels is not None and width * height * frames > self.max_image_pixels:
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {"num_pixels": width * height * frames, "max_pixels_count": self.max_image_pixels},
                code="file_too_many_pixels",
            )
        super().check_image_pixel_size(f)

    def _decoded_size(self, f):
        """``(width, height, frames)``; frames are counted from their headers, only the first is decoded."""
        f.seek(0)
        try:
            with warnings.catch_warnings():
                # Pillow only warns between its limit and twice that: refuse the same way.
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                with PILImage.open(f) as image:
                    width, height = image.size
                    frames = getattr(image, "n_frames", 1)
                    if self.max_image_pixels is None or width * height * frames <= self.max_image_pixels:
                        image.load()  # the first frame decodes: renditions can be made from it
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {"num_pixels": "unknown number", "max_pixels_count": self.max_image_pixels},
                code="file_too_many_pixels",
            ) from None
        except Exception as exc:  # Pillow reports a malformed file as OSError, SyntaxError, EOFError, …
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from exc
        finally:
            f.seek(0)
        return width, height, frames


class ImageForm(BaseImageForm):
    """Wagtail's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``) with ``WholeImageField`` for the file.

    Used by every image upload in the admin: the image library, the chooser's
    upload tab and the multiple uploader.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            wagtail_field = self.fields["file"]
            self.fields["file"] = WholeImageField(
                label=wagtail_field.label,
                required=wagtail_field.required,
                widget=wagtail_field.widget,
            )
