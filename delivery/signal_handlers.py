"""Every change that can alter a public document reaches the store through here.

Each handler names what changed; :mod:`delivery.store` turns that into the set
of documents to re-render, and :func:`schedule` has them rendered. With a real
queue it marks them in the outbox, in the change's transaction, and the commit
starts the worker, so the worker never renders from uncommitted data and many
changes to one page render it once (delivery/outbox.py); with the immediate
backend (development, tests) they render at once, inside the transaction, and
commit with it.
"""

import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from taggit.models import Tag
from treebeard.mp_tree import path_updated
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from people.models import Person
from reviews.models import (
    EditorialPageAuthor,
    EditorialPageRelatedLink,
    EditorialPageTag,
    Festival,
    Film,
    FilmDirector,
    InterviewPageInterviewee,
)

from .links import forget_site_root_paths
from .models import StoredPage
from .outbox import mark
from .store import affected_by_page, dependents, subtree
from .tasks import generate_api_renditions, render_pages, wake_worker
from .transactions import CommitWitness, waiting_for_commit

# Saving only these fields (a draft revision, a lock) leaves the live page as it was.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "live_revision",
    }
)

_local = threading.local()


def schedule(page_ids):
    """Re-render ``page_ids``: now (immediate backend) or through the outbox and the worker."""
    page_ids = {int(pk) for pk in page_ids}
    if not page_ids:
        return
    if not settings.DELIVERY_RENDER_ON_COMMIT:
        render_pages.call(sorted(page_ids))
        return
    mark(page_ids)  # commits with the change, or not at all
    if not connection.in_atomic_block:
        wake_worker()
    elif _transaction_waker() is None:
        # Once per transaction; a rolled-back savepoint drops its callback and its marks together.
        # Robust: the marks are committed, so a queue that cannot be reached must not fail the
        # editor's request; the scheduler's ``render_pending`` finds them within a minute.
        _local.waker = _new_waker()
        transaction.on_commit(_local.waker, robust=True)


def schedule_page(page, tree=False):
    """``schedule(affected_by_page(page, tree))``, noting that the page's reach is marked: for the
    rest of this transaction, and for the signal Wagtail sends about this page object next."""
    schedule(affected_by_page(page, tree=tree))
    marks = _current_marks()
    page._delivery_marks = (id(page), marks)  # Wagtail's .specific copies it: trusted on this object only
    waker = _transaction_waker()
    if waker is not None:
        waker.pages.setdefault(page.pk, set()).add(marks)


def _current_marks():
    """A witness of the marks made now (:class:`~delivery.transactions.CommitWitness`): whether
    they hold. One per savepoint, not one per page, so a transaction that marks a thousand
    pages checks a few callbacks, not a thousand."""
    waker = _transaction_waker()
    if waker is None:
        return CommitWitness()
    savepoints = tuple(connection.savepoint_ids)
    marks = waker.marks.get(savepoints)
    if marks is None or not marks.holds():
        marks = waker.marks[savepoints] = CommitWitness()
    return marks


def _marked_in_this_transaction(page_id):
    """Whether this transaction has marked what ``page_id`` reaches and the marks still hold."""
    waker = _transaction_waker()
    return waker is not None and any(marks.holds() for marks in waker.pages.get(page_id, ()))


def _transaction_waker():
    """The callback that wakes the worker when this transaction commits, once registered."""
    waker = getattr(_local, "waker", None)
    return waker if waker is not None and waiting_for_commit(waker) else None


def _new_waker():
    def wake_on_commit():
        _local.waker = None
        wake_worker()

    wake_on_commit.pages = {}  # page id -> witnesses of its marks
    wake_on_commit.marks = {}  # savepoint ids -> the witness of the marks made in them
    return wake_on_commit


# --- pages ------------------------------------------------------------------------


def page_saved(sender, instance, update_fields=None, **kwargs):
    if not isinstance(instance, Page):
        return
    instance.__dict__.pop("_delivery_marks", None)  # only this save's marks may stand for it
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    if instance.live or StoredPage.objects.filter(pk=instance.pk).exists():
        schedule_page(instance)


def page_changed(sender, instance, **kwargs):
    """Published or unpublished. Wagtail sends this right after saving the page object, and
    that save has marked what the page reaches (``page_saved``): marking it again would add
    nothing, unless those marks were rolled back. (With the immediate backend that save
    rendered the page before its child rows were written; ``page_child_changed`` renders it
    again for each, so every child model of a page must be connected there.)"""
    saved_as, marks = instance.__dict__.pop("_delivery_marks", (None, None))
    if (saved_as == id(instance) and marks.holds()) or _marked_in_this_transaction(instance.pk):
        return
    schedule_page(instance)


def page_moved(sender, instance, **kwargs):
    schedule_page(instance, tree=True)


def page_deleting(sender, instance, **kwargs):
    # Before the rows go, while the tree and the dependencies still say what they reach
    # (once per page: a multi-table delete signals for each class of the page).
    if isinstance(instance, Page) and type(instance) is instance.specific_class:
        if not hasattr(_local, "deleting"):
            _local.deleting = {}
        _local.deleting[instance.pk] = affected_by_page(instance, tree=True)


def page_deleted(sender, instance, **kwargs):
    # The base ``Page`` row goes last: only then is the page gone from every table.
    deleting = getattr(_local, "deleting", {})
    if sender is Page and instance.pk in deleting:
        schedule(deleting.pop(instance.pk))


def slug_changed(sender, instance, **kwargs):
    # Sent once Wagtail has rewritten the descendants' url_paths: every URL below moved.
    schedule_page(instance, tree=True)


def tree_paths_changed(sender, old_path, new_path, **kwargs):
    """treebeard rewrote tree paths with raw SQL (a move, a sibling reorder): for pages,
    every page under the new path and what shows them; for collections, the media in them."""
    if issubclass(sender, Page):
        moved = set(Page.objects.filter(path__startswith=new_path).values_list("pk", flat=True))
        schedule(moved | dependents("page", moved) | subtree([new_path]))
    elif issubclass(sender, Collection):
        schedule(_media_dependents(new_path))


def page_child_changed(sender, instance, **kwargs):
    """An author, interviewee, tag or related link of a page was saved or removed."""
    page_id = getattr(instance, "page_id", None) or getattr(instance, "content_object_id", None)
    if _marked_in_this_transaction(page_id):
        # Saved with its page (a publish commits the page, then its child rows): the page's
        # own save has marked what it reaches, and an author, tag or link cannot change that.
        return
    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        page_saved(sender, page)


def restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        schedule_page(page, tree=True)


# --- what documents show ----------------------------------------------------------


def _object_changed(kind):
    def handler(sender, instance, **kwargs):
        schedule(dependents(kind, [instance.pk]))

    handler.__name__ = f"{kind}_changed"
    return handler


def director_changed(sender, instance, **kwargs):
    schedule(dependents("film", [instance.film_id]))


def collection_changed(sender, instance, **kwargs):
    """A collection or its view restriction changed: documents showing its images or files."""
    collection = instance if isinstance(instance, Collection) else instance.collection
    schedule(_media_dependents(collection.path))


def _media_dependents(collection_path):
    in_collection = {"collection__path__startswith": collection_path}
    images = get_image_model().objects.filter(**in_collection).values_list("pk", flat=True)
    documents = get_document_model().objects.filter(**in_collection).values_list("pk", flat=True)
    return dependents("image", images) | dependents("document", documents)


def media_moved_in_bulk(request, action_type, objects, action_view):
    """Wagtail's bulk "add to collection" moves images and documents with a queryset update."""
    image_model, document_model = get_image_model(), get_document_model()
    images = [obj.pk for obj in objects if isinstance(obj, image_model)]
    documents = [obj.pk for obj in objects if isinstance(obj, document_model)]
    schedule(dependents("image", images) | dependents("document", documents))


def rendition_deleted(sender, instance, origin=None, **kwargs):
    # A replaced image file drops its renditions after the image is saved: documents
    # showing the image must not keep the deleted renditions' URLs. When the image
    # itself is being deleted, its own post_delete re-renders them once it is gone
    # (rendering now would make new renditions for an image about to disappear).
    if isinstance(origin, get_image_model()):
        return
    schedule(dependents("image", [instance.image_id]))


def site_changed(sender, instance, **kwargs):
    """Site root paths shape every URL: re-render everything."""
    forget_site_root_paths()
    schedule(
        set(Page.objects.values_list("pk", flat=True)) | set(StoredPage.objects.values_list("pk", flat=True))
    )


def queue_api_renditions(sender, instance, **kwargs):
    image_id = instance.pk
    transaction.on_commit(lambda: generate_api_renditions.enqueue(image_id))


def register():
    post_save.connect(page_saved, dispatch_uid="delivery-page-saved")
    page_published.connect(page_changed, dispatch_uid="delivery-page-published")
    page_unpublished.connect(page_changed, dispatch_uid="delivery-page-unpublished")
    post_page_move.connect(page_moved, dispatch_uid="delivery-page-moved")
    page_slug_changed.connect(slug_changed, dispatch_uid="delivery-slug-changed")
    path_updated.connect(tree_paths_changed, dispatch_uid="delivery-tree-paths")
    post_delete.connect(
        rendition_deleted, sender=get_image_model().get_rendition_model(), dispatch_uid="delivery-rendition"
    )
    pre_delete.connect(page_deleting, dispatch_uid="delivery-page-deleting")
    post_delete.connect(page_deleted, dispatch_uid="delivery-page-deleted")
    for model in (EditorialPageAuthor, InterviewPageInterviewee, EditorialPageTag, EditorialPageRelatedLink):
        for signal in (post_save, post_delete):
            signal.connect(page_child_changed, sender=model, dispatch_uid=f"delivery-child-{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="delivery-restriction")
        for model in (Collection, CollectionViewRestriction):
            signal.connect(collection_changed, sender=model, dispatch_uid=f"delivery-{model.__name__}")
        signal.connect(director_changed, sender=FilmDirector, dispatch_uid="delivery-director")
        signal.connect(site_changed, sender=Site, dispatch_uid="delivery-site")
        for kind, model in (
            ("person", Person),
            ("film", Film),
            ("festival", Festival),
            ("image", get_image_model()),
            ("document", get_document_model()),
            ("tag", Tag),
        ):
            signal.connect(_object_changed(kind), sender=model, dispatch_uid=f"delivery-{kind}", weak=False)
    post_save.connect(queue_api_renditions, sender=get_image_model(), dispatch_uid="delivery-renditions")
