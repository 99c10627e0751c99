"""The API's own signal wiring: preview tokens end when their page changes state."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .preview import forget_previews


def end_previews(sender, instance, **kwargs):
    # Published, unpublished, moved or deleted: its open previews are out of date.
    if isinstance(instance, Page):
        forget_previews(instance.pk)


def register():
    for signal in (page_published, page_unpublished, post_page_move, post_delete):
        signal.connect(end_previews, dispatch_uid=f"marquee-preview-{id(signal)}")
