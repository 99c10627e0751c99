"""Signal wiring for the API: renditions ahead of time, cache invalidation, CDN purge,
preview tokens ended."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from people.models import Person
from reviews.models import Festival, Film, FilmDirector

from .caching import bump_content_version
from .links import forget_site_root_paths
from .preview import forget_previews
from .purge import purge_page_urls
from .tasks import generate_api_renditions

# Anything whose change can alter an API response invalidates the response cache.
CONTENT_MODELS = [
    Person,
    Film,
    FilmDirector,
    Festival,
    get_image_model(),
    get_document_model(),
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Redirect,
    Site,
    Tag,
]


@receiver(post_save, sender=get_image_model())
def queue_api_renditions(sender, instance, **kwargs):
    image_id = instance.pk
    transaction.on_commit(lambda: generate_api_renditions.enqueue(image_id))


def page_changed(sender, instance, **kwargs):
    bump_content_version()
    purge_page_urls(instance)
    # Published, unpublished, moved or deleted: its open previews are out of date.
    forget_previews(instance.pk)


def register():
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid=f"marquee-api-{signal}")
    post_page_move.connect(page_changed, dispatch_uid="marquee-api-move")
    pre_delete.connect(_page_deleted, dispatch_uid="marquee-api-page-delete")
    for model in CONTENT_MODELS:
        post_save.connect(
            bump_content_version, sender=model, dispatch_uid=f"marquee-api-save-{model.__name__}"
        )
        post_delete.connect(
            bump_content_version, sender=model, dispatch_uid=f"marquee-api-delete-{model.__name__}"
        )
    post_save.connect(forget_site_root_paths, sender=Site, dispatch_uid="marquee-api-site-save")
    post_delete.connect(forget_site_root_paths, sender=Site, dispatch_uid="marquee-api-site-delete")
    m2m_changed.connect(bump_content_version, sender=Person.roles.through, dispatch_uid="marquee-api-roles")
    m2m_changed.connect(
        bump_content_version, sender=PageViewRestriction.groups.through, dispatch_uid="marquee-api-groups"
    )


def _page_deleted(sender, instance, **kwargs):
    # Before the rows go (so authors and film are still there to purge), once per
    # page: multi-table deletes signal for the specific class and each parent.
    if isinstance(instance, Page) and type(instance) is instance.specific_class:
        page_changed(sender, instance)
