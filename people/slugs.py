"""Slugs that stay unique in their table: "maya-okafor", then "maya-okafor-2"."""

from django.utils.text import slugify


def unique_slug(model, text, pk=None, max_length=190):
    """A slug for ``text`` not used by another row of ``model`` (``pk`` is the row itself)."""
    base = slugify(text)[:max_length] or model._meta.model_name
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exclude(pk=pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
