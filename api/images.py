"""One image object everywhere: posters, heroes, photos and body images.

Every image the API emits has the same shape (docs/api.md, "Image object")::

    {
      "id": 12, "title": "…", "alt": "…", "width": 1600, "height": 900,
      "focal_point": {"x": 800, "y": 450, "width": 200, "height": 200} | null,
      "renditions": {"thumbnail": {"url": "…", "width": 320, "height": 180, "format": "webp"}, …},
      "srcset": "… 320w, … 640w, … 1024w, … 1600w"
    }

Renditions come from a fixed set of filter specs, generated when an image is
saved (reviews.signal_handlers) so that API requests only read them.
"""

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, prefetch_related_objects
from django.db.models.functions import Length, Substr
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

# name → Wagtail filter spec. Changing a spec changes the public contract.
RENDITION_SPECS = {
    "thumbnail": "width-320|format-webp",
    "small": "width-640|format-webp",
    "medium": "width-1024|format-webp",
    "large": "width-1600|format-webp",
    "fallback": "width-1024|format-jpeg",
    "social": "fill-1200x630|format-jpeg",
}
SRCSET_RENDITIONS = ("thumbnail", "small", "medium", "large")


def public_media(queryset):
    """Images or documents outside any view-restricted collection (or its children).

    The restriction check is a correlated subquery, so it costs no extra query.
    """
    restricted = CollectionViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("collection__path"), 1, Length(F("collection__path")))
    ).filter(collection__path=F("prefix"))
    return queryset.exclude(Exists(restricted))


def load_public_images(image_ids):
    """``{id: image}`` for the public ones among ``image_ids``, renditions attached.

    Two queries whatever the number of images.
    """
    image_ids = {pk for pk in image_ids if pk}
    if not image_ids:
        return {}
    Image = get_image_model()
    images = {image.pk: image for image in public_media(Image.objects.filter(pk__in=image_ids))}
    if not images:
        return images
    # Wagtail's own rendition lookup reads prefetched renditions (matching the
    # focal point) and creates any that are missing, e.g. after the set changed.
    Rendition = Image.get_rendition_model()
    specs = list(RENDITION_SPECS.values())
    prefetch_related_objects(
        list(images.values()),
        Prefetch("renditions", queryset=Rendition.objects.filter(filter_spec__in=specs)),
    )
    for image in images.values():
        image._api_renditions = image.get_renditions(*specs)
    return images


def image_representation(image):
    """The image object for an image loaded by :func:`load_public_images`."""
    renditions = {}
    for name, spec in RENDITION_SPECS.items():
        rendition = image._api_renditions[spec]
        renditions[name] = {
            "url": absolute_media_url(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "format": spec.rsplit("format-", 1)[-1],
        }
    srcset, seen_widths = [], set()
    for name in SRCSET_RENDITIONS:
        rendition = renditions[name]
        if rendition["width"] not in seen_widths:
            seen_widths.add(rendition["width"])
            srcset.append(f"{rendition['url']} {rendition['width']}w")
    focal_point = None
    if image.has_focal_point():
        focal_point = {
            "x": image.focal_point_x,
            "y": image.focal_point_y,
            "width": image.focal_point_width,
            "height": image.focal_point_height,
        }
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.default_alt_text,
        "width": image.width,
        "height": image.height,
        "focal_point": focal_point,
        "renditions": renditions,
        "srcset": ", ".join(srcset),
    }


def absolute_media_url(url):
    """Media URLs are absolute: a mobile app has no origin to resolve them against."""
    if url.startswith(("http://", "https://", "//")):
        return url
    return settings.WAGTAILAPI_BASE_URL.rstrip("/") + url
