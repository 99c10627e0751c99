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

from functools import cache, lru_cache

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.images import get_image_model
from wagtail.images.models import Filter
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
_FORMATS = {spec: spec.rsplit("format-", 1)[-1] for spec in RENDITION_SPECS.values()}


def public_media(queryset):
    """Images or documents outside any view-restricted collection (or its children).

    The restriction check is a correlated subquery, so it costs no extra query.
    """
    restricted = CollectionViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("collection__path"), 1, Length(F("collection__path")))
    ).filter(collection__path=F("prefix"))
    return queryset.exclude(Exists(restricted))


@cache
def _filters():
    """Wagtail Filter objects for the fixed specs, parsed once per process."""
    return {spec: Filter(spec=spec) for spec in RENDITION_SPECS.values()}


def load_public_images(image_ids):
    """``{id: image}`` for the public ones among ``image_ids``, with ``image.api_renditions``.

    Two queries whatever the number of images. Renditions are read as plain
    rows (no model instances: a 50-image body has 300 of them) and matched to
    their spec and to the image's current focal point, as Wagtail does. Any that
    are missing, e.g. after the set changed, are created through Wagtail.
    """
    image_ids = {pk for pk in image_ids if pk}
    if not image_ids:
        return {}
    Image = get_image_model()
    images = {image.pk: image for image in public_media(Image.objects.filter(pk__in=image_ids))}
    if not images:
        return images
    filters = _filters()
    rows = (
        Image.get_rendition_model()
        .objects.filter(image_id__in=images, filter_spec__in=filters)
        .values_list("image_id", "filter_spec", "focal_point_key", "file", "width", "height")
    )
    stored = {(pk, spec, key): (file, width, height) for pk, spec, key, file, width, height in rows}
    for pk, image in images.items():
        renditions = {}
        missing = []
        for spec, image_filter in filters.items():
            row = stored.get((pk, spec, image_filter.get_cache_key(image)))
            if row is None:
                missing.append(spec)
            else:
                renditions[spec] = (_rendition_url(row[0]), row[1], row[2])
        if missing:
            for spec, rendition in image.get_renditions(*missing).items():
                renditions[spec] = (rendition.url, rendition.width, rendition.height)
        image.api_renditions = renditions
    return images


@lru_cache(maxsize=50_000)
def _rendition_url(name):
    """Storage URL of a rendition file. Rendition file names never change, so memoize."""
    return get_image_model().get_rendition_model()._meta.get_field("file").storage.url(name)


def image_representation(image):
    """The image object for an image loaded by :func:`load_public_images`."""
    renditions = {}
    for name, spec in RENDITION_SPECS.items():
        url, width, height = image.api_renditions[spec]
        renditions[name] = {
            "url": absolute_media_url(url),
            "width": width,
            "height": height,
            "format": _FORMATS[spec],
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
