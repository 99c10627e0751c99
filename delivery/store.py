"""Writing the delivery store: render a page, store its bytes, columns and dependencies.

:func:`write_page` is the one way a document enters or leaves the store. It
locks the page row, decides from the database (not from the caller) whether
the page is public right now, and in one transaction either upserts the row,
its facets and its dependency set, or removes them; either way it appends to
the change log and sends ``document_changed`` (webhooks listen). Readers see the old row until that transaction commits.

:func:`affected_by` answers "which documents must be re-rendered when this
changed?" from the recorded dependencies and tree paths.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from reviews.models import EditorialPage, ReviewPage
from reviews.selectors import publishable_pages, visible_at
from reviews.serializers import type_label

from .loader import Loader
from .models import Change, Dependency, StoredCount, StoredFacet, StoredPage
from .render import etag_for, gzipped, render, settings_fingerprint, to_json, views
from .signals import document_changed

logger = logging.getLogger(__name__)


#: Pages rendered together, with one loader, in one transaction (:func:`write_batch`): ten
#: share their queries well (a review costs about a quarter of a lone render) and keep the
#: transaction, and the page locks it holds, to a fraction of a second.
RENDER_BATCH = 10


def batches(page_ids, size=RENDER_BATCH):
    """``page_ids`` (or any list) in consecutive slices of ``size``."""
    for start in range(0, len(page_ids), size):
        yield page_ids[start : start + size]


def write_all(page_ids, size=RENDER_BATCH):
    """Write every page, ``size`` to a batch, yielding ``(batch, {page_id: outcome})`` as each
    commits; a page whose render raised stops it with that error (rebuilds stop on it; the
    worker goes through ``delivery.tasks.write_pages``, which logs it and retries the page)."""
    for batch in batches(list(page_ids), size):
        outcomes = write_batch(batch)
        for outcome in outcomes.values():
            if isinstance(outcome, Exception):
                raise outcome
        yield batch, outcomes


def write_page(page_id):
    """Bring page ``page_id``'s stored document in line with the database.

    A page is stored while it is live and unrestricted (``publishable_pages``); the
    clock's part (expiry, go-live) is applied by every read (``visible_now``).

    Returns ``"stored"``, ``"removed"`` or ``"unchanged"``.
    """
    outcome = write_batch([page_id])[page_id]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def write_batch(page_ids):
    """:func:`write_page` for several pages at once: ``{page_id: outcome}``, where the outcome
    of a page whose render raised is the exception (logged by the caller; that page's stored
    document and rows are left as they were, the others are written).

    The pages are rendered together, with one loader: the queries behind a document (its
    people, film, images, related pages) are made once for the batch, not once per page,
    which makes a render of ten pages several times cheaper per page. All of it is one
    transaction, each page's writes in a savepoint of its own.
    """
    page_ids = sorted({int(pk) for pk in page_ids})
    outcomes, counted = {}, {}
    with transaction.atomic():
        # Serialize renders of one page (PostgreSQL row locks, always taken in id order, so two
        # batches never deadlock over them; SQLite writes are serialized anyway): an older render
        # can never overwrite a newer one. No-key locks: an editor adding a link or a child row
        # that points at one of these pages does not wait for the batch.
        locked = Page.objects.select_for_update(no_key=True).filter(pk__in=page_ids).order_by("pk")
        list(locked.values_list("pk"))
        pages = {
            page.pk: page
            for page in publishable_pages(Page).filter(pk__in=page_ids).specific()
            # A page being deleted may have lost its own table's row already: it is gone.
            if type(page) is page.specific_class
        }
        loader = Loader(pages.values())
        held = _Held(page_ids, pages.values())
        for page_id in page_ids:
            counts = {}  # stored rows gained or lost, by type: kept only if the page's writes are
            try:
                with transaction.atomic():
                    page = pages.get(page_id)
                    if page is None:
                        outcomes[page_id] = "removed" if remove_page(page_id, counts) else "unchanged"
                    else:
                        outcomes[page_id] = _store(page, loader, held, counts)
            except Exception as exc:  # one broken page must not keep the others from being written
                outcomes[page_id] = exc
                continue
            for page_type, delta in counts.items():
                counted[page_type] = counted.get(page_type, 0) + delta
        # The counters last, in type order: two batches updating them never wait on each other
        # in opposite orders.
        for page_type in sorted(counted):
            if counted[page_type]:
                _count(page_type, counted[page_type])
    return outcomes


def remove_page(page_id, counts):
    """Take a page out of the store (it is no longer public). True if it was there.

    The stored row it takes away is added to ``counts`` (rows by type), for the caller to
    apply to the counters."""
    stored = StoredPage.objects.filter(pk=page_id).values("page_type", "url_path").first()
    if stored is None:
        return False
    Dependency.objects.filter(page_id=page_id).delete()
    StoredPage.objects.filter(pk=page_id).delete()  # facets cascade
    counts[stored["page_type"]] = counts.get(stored["page_type"], 0) - 1
    change = Change.objects.create(page_id=page_id, page_type=stored["page_type"], deleted=True)
    document_changed.send(
        Change, change=change, url_path=stored["url_path"], document=None, republished=False
    )
    return True


def _count(page_type, delta):
    """Add ``delta`` to the stored rows of ``page_type`` (the caller's transaction)."""
    if StoredCount.objects.filter(pk=page_type).update(rows=F("rows") + delta):
        return
    try:
        with transaction.atomic():  # the type's first row: another writer may be creating it
            StoredCount.objects.create(page_type=page_type, rows=delta)
    except IntegrityError:
        StoredCount.objects.filter(pk=page_type).update(rows=F("rows") + delta)


class _Held:
    """What the store holds now for a batch of pages, read in four queries rather than four
    per page: their rows, facet and dependency rows, and the ids of their parents."""

    def __init__(self, page_ids, pages):
        rows = StoredPage.objects.filter(pk__in=page_ids).values("page_id", "full", "rendered_with", *COLUMNS)
        self.rows = {row.pop("page_id"): row for row in rows}
        self.facets, self.dependencies = {}, {}
        for page_id, *facet in StoredFacet.objects.filter(page_id__in=page_ids).values_list(
            "page_id", "kind", "value"
        ):
            self.facets.setdefault(page_id, []).append(tuple(facet))
        for page_id, *dependency in Dependency.objects.filter(page_id__in=page_ids).values_list(
            "page_id", "kind", "object_id"
        ):
            self.dependencies.setdefault(page_id, []).append(tuple(dependency))
        parent_paths = {page.path[: -Page.steplen] for page in pages if page.depth > 1}
        self.parents = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk"))

    def parent_id(self, page):
        return self.parents.get(page.path[: -Page.steplen]) if page.depth > 1 else None


def _store(page, loader, held, counts):
    model = type(page)
    with loader.recording() as dependencies:
        full = render(page, loader)
    detail, card, page_card = views(full, model)
    full_json = to_json(full)
    columns = _columns(page, model, held.parent_id(page))
    fingerprint = settings_fingerprint()

    facets = sorted(_facets(page))
    dependencies = sorted(dependencies)
    existing = held.rows.get(page.pk)
    if existing is not None:
        existing = dict(existing)
        same_document = existing.pop("full") == full_json and existing.pop("rendered_with") == fingerprint
        if same_document and existing == columns:
            # The bytes are the same; what they were built from may not be (a tag's new
            # slug, a link re-pointed from one draft to another): keep those exact.
            _replace_facets_and_dependencies(page.pk, facets, dependencies, held)
            return "unchanged"

    change = Change.objects.create(page_id=page.pk, page_type=columns["page_type"])
    detail_json = to_json(detail)
    values = {
        **columns,
        "detail": detail_json,
        "detail_gzip": gzipped(detail_json),
        "card": to_json(card),
        "page_card": to_json(page_card),
        "full": full_json,
        "etag": etag_for(detail_json),
        "rendered_with": fingerprint,
        "seq": change.seq,
    }
    if existing is not None:  # the page's lock keeps it there until this transaction ends
        StoredPage.objects.filter(pk=page.pk).update(**values, rendered_at=timezone.now())
    else:
        StoredPage.objects.create(pk=page.pk, **values)
        counts[columns["page_type"]] = counts.get(columns["page_type"], 0) + 1
    _replace_facets_and_dependencies(page.pk, facets, dependencies, held)
    # A new revision was published exactly when Wagtail moved last_published_at.
    republished = existing is None or existing["last_published_at"] != columns["last_published_at"]
    document_changed.send(
        Change, change=change, url_path=page.url_path, document=detail_json, republished=republished
    )
    return "stored"


def _replace_facets_and_dependencies(page_id, facets, dependencies, held):
    """Make the page's facet and dependency rows exactly ``facets`` and ``dependencies``.

    Each set is rewritten only if it differs: a re-render (a new title, a sibling's
    change) usually leaves both as they were.
    """
    if sorted(held.facets.get(page_id, ())) != facets:
        StoredFacet.objects.filter(page_id=page_id).delete()
        StoredFacet.objects.bulk_create(
            StoredFacet(page_id=page_id, kind=kind, value=value) for kind, value in facets
        )
    if sorted(held.dependencies.get(page_id, ())) != dependencies:
        Dependency.objects.filter(page_id=page_id).delete()
        Dependency.objects.bulk_create(
            Dependency(page_id=page_id, kind=kind, object_id=object_id) for kind, object_id in dependencies
        )


#: The store's columns taken from the page (``_columns``), besides the documents.
COLUMNS = (
    "page_type",
    "content_type_id",
    "url_path",
    "path",
    "depth",
    "parent_id",
    "title",
    "slug",
    "first_published_at",
    "last_published_at",
    "go_live_at",
    "expire_at",
    "film_id",
    "festival_id",
    "film_year",
    "grade_score",
)


def _columns(page, model, parent_id):
    editorial = isinstance(page, EditorialPage)
    film = page.film if editorial and page.film_id else None
    return {
        "page_type": type_label(model),
        "content_type_id": page.content_type_id,
        "url_path": page.url_path,
        "path": page.path,
        "depth": page.depth,
        "parent_id": parent_id,
        "title": page.title,
        "slug": page.slug,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "go_live_at": page.go_live_at,
        "expire_at": page.expire_at,
        "film_id": page.film_id if editorial else None,
        "festival_id": page.festival_id if editorial else None,
        "film_year": film.release_year if film is not None else None,
        "grade_score": int(page.grade) if isinstance(page, ReviewPage) else None,
    }


def _facets(page):
    """``(kind, value)`` pairs for the many-valued filters (api/filters.py reads them)."""
    if not isinstance(page, EditorialPage):
        return set()
    facets = set()
    # .all(), never a new queryset: the loader prefetched these relations, and chaining
    # on a prefetched related manager would query without the page filter.
    people = [("author", link.person) for link in page.authors.all()]
    if hasattr(page, "interviewees"):
        people += [("interviewee", link.person) for link in page.interviewees.all()]
    for role, person in people:
        for kind in {"author", "person"} if role == "author" else {"person"}:
            facets.add((f"{kind}_id", str(person.pk)))
            facets.add((f"{kind}_slug", person.slug))
    for item in page.tagged_items.all():
        facets.add(("tag", item.tag.slug[:255]))
        facets.add(("tag", item.tag.name.lower()[:255]))
    if page.film_id:
        facets.add(("film_slug", page.film.slug))
    if page.festival_id:
        facets.add(("festival_slug", page.festival.slug))
    return facets


# --- what a change reaches ----------------------------------------------------


def dependents(kind, object_ids):
    """Ids of stored documents that recorded any of ``object_ids`` of ``kind``."""
    object_ids = [int(pk) for pk in object_ids if pk is not None]
    if not object_ids:
        return set()
    return set(
        Dependency.objects.filter(kind=kind, object_id__in=object_ids).values_list("page_id", flat=True)
    )


def subtree(page_paths):
    """Ids of pages (stored or not) at or under any of the tree ``page_paths``."""
    ids = set()
    for path in page_paths:
        ids.update(Page.objects.filter(path__startswith=path).values_list("pk", flat=True))
        ids.update(StoredPage.objects.filter(path__startswith=path).values_list("pk", flat=True))
    return ids


def affected_by_page(page, tree=False):
    """Documents to re-render when ``page`` changed: itself, documents that show it, and the
    related lists of its film (old and new); with ``tree``, its whole subtree as well (a move,
    a restriction, a new slug changes every descendant's URL or visibility)."""
    ids = {page.pk}
    stored = StoredPage.objects.filter(pk=page.pk).values("film_id", "url_path").first()
    film_ids = {getattr(page, "film_id", None)}
    if stored is not None:
        film_ids.add(stored["film_id"])
        tree = tree or stored["url_path"] != page.url_path
    if tree:
        ids |= subtree([page.path])
        # Pages that appear or disappear change the related lists of every film they are about.
        film_ids |= set(
            EditorialPage.objects.filter(path__startswith=page.path).values_list("film_id", flat=True)
        )
        film_ids |= set(
            StoredPage.objects.filter(path__startswith=page.path).values_list("film_id", flat=True)
        )
    ids |= dependents("page", ids)
    ids |= dependents("film_pages", film_ids)
    return ids


def rebuild_stale_on_read(page_ids):
    """Re-render documents found stale on the read path (rendered under other settings)."""
    logger.warning("re-rendering %d stored documents rendered under other settings", len(page_ids))
    for _ in write_all(page_ids):
        pass


def visible_now():
    """Filter for rows a reader may see at this instant: past ``expire_at`` a page is gone at
    once, and a live page whose ``go_live_at`` is still ahead is not there yet."""
    return visible_at(timezone.now())
