"""A new section (a review or interview index page) gets its critics and its workflow at once."""

from django.db.models.signals import post_save

from .roles import SECTION_MODELS, grant_section


def grant_new_section(sender, instance, created, raw=False, **kwargs):
    # Fixtures (raw) bring their own permission rows.
    if created and not raw:
        grant_section(instance)


def register():
    for model in SECTION_MODELS:
        post_save.connect(grant_new_section, sender=model, dispatch_uid=f"grant_new_section.{model.__name__}")
