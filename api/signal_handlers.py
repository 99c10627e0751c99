"""Renditions ahead of time: when an image is saved, queue its API renditions."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from .tasks import generate_api_renditions


@receiver(post_save, sender=get_image_model())
def queue_api_renditions(sender, instance, **kwargs):
    image_id = instance.pk
    transaction.on_commit(lambda: generate_api_renditions.enqueue(image_id))
