"""The image object: one shape for posters, heroes, photos and body images (built by reviews/images.py)."""

from typing import Literal

from .base import Count, Id, PlainText, Shape, Url


class Rendition(Shape):
    """One generated size: ``{"url": "…", "width": 320, "height": 180, "format": "webp"}``."""

    url: Url
    width: Count
    height: Count
    format: Literal["webp", "jpeg"]


class Renditions(Shape):
    """Every rendition of reviews.images.RENDITION_SPECS, by name."""

    thumbnail: Rendition
    small: Rendition
    medium: Rendition
    large: Rendition
    fallback: Rendition
    social: Rendition


class FocalPoint(Shape):
    """The part of the image to keep when cropping, in original pixels."""

    x: int
    y: int
    width: int
    height: int


class Image(Shape):
    """``{"id", "title", "alt", "width", "height", "focal_point", "renditions", "srcset"}``."""

    id: Id
    title: PlainText
    alt: PlainText
    width: Count
    height: Count
    focal_point: FocalPoint | None
    renditions: Renditions
    srcset: str
