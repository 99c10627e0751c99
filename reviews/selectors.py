"""Read-side queries shared by the API and the server-rendered preview.

Every function here returns only what an anonymous reader may see.
"""

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from people.models import Person

from .models import EditorialPage, Festival, Film, InterviewPage

RELATED_PAGES_LIMIT = 10


def public_pages(model=Page):
    """Live pages an anonymous client may see, of ``model`` (and subclasses).

    Stricter than ``Page.objects.live()``: a page past its expiry or before its
    go-live time is hidden even if ``publish_scheduled`` has not run yet, and any
    page under a view restriction (password, login or groups) is hidden with its
    descendants, whatever the current request carries. The API serves the
    anonymous public only, so a logged-in editor's session must not widen it.
    """
    return publishable_pages(model).filter(visible_at(timezone.now()))


def visible_at(moment):
    """The clock's part of visibility: not expired and gone live at ``moment``."""
    return (Q(expire_at__isnull=True) | Q(expire_at__gt=moment)) & (
        Q(go_live_at__isnull=True) | Q(go_live_at__lte=moment)
    )


def publishable_pages(model=Page):
    """Live, unrestricted pages, whatever the clock says: public now, or once their go-live
    time comes, until their expiry. The delivery store keeps these and hides by the clock
    when it reads, so nothing has to happen at the moment a page expires or goes live."""
    queryset = model._default_manager.live()
    # A page is restricted if a restriction sits on it or on any ancestor, that is
    # on a page whose tree path is a prefix of its own. A correlated subquery keeps
    # this a single SQL statement, whatever the number of restrictions.
    restrictions_above = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, Length("page__path"))
    ).filter(page__path=F("prefix"))
    return queryset.exclude(Exists(restrictions_above))


# People, films and festivals are public only through public pages: a critic not yet
# announced or an embargoed festival that only drafts mention stays unknown to clients.
# Each is one SQL statement (correlated EXISTS over public_pages), so listings can
# count and paginate them in the database.


def public_films():
    """Films that a public review or interview is about."""
    return Film.objects.filter(Exists(public_pages(EditorialPage).filter(film=OuterRef("pk"))))


def public_festivals():
    """Festival editions that a public review or interview was seen at."""
    return Festival.objects.filter(Exists(public_pages(EditorialPage).filter(festival=OuterRef("pk"))))


def public_people():
    """People credited on a public page: its critics or interviewers, its interviewees,
    or the directors of its film (a public film shows its directors)."""
    pages = public_pages(EditorialPage)
    return Person.objects.filter(
        Exists(pages.filter(authors__person=OuterRef("pk")))
        | Exists(public_pages(InterviewPage).filter(interviewees__person=OuterRef("pk")))
        | Exists(pages.filter(film__directors__person=OuterRef("pk")))
    )


def related_in_order(page_pk, linked, same_film):
    """Related pages as clients see them: hand-made links first, in the editor's
    order, then other pages about the same film; no duplicates, never the page
    itself, at most ``RELATED_PAGES_LIMIT``.
    """
    seen, related = {page_pk}, []
    for item in [*linked, *same_film]:
        if item.pk not in seen:
            seen.add(item.pk)
            related.append(item)
    return related[:RELATED_PAGES_LIMIT]


def related_pages_of(page):
    """Related public pages of one (possibly unsaved) page, for the server-rendered preview.

    The API builds the same list in bulk (delivery/loader.py); both order it with
    :func:`related_in_order`.
    """
    linked_ids = [link.related_page_id for link in page.related_links.all()]
    public = public_pages(EditorialPage).order_by("-first_published_at", "pk")
    linked = {ref.pk: ref for ref in public.filter(pk__in=linked_ids)}
    same_film = list(public.filter(film_id=page.film_id)[: RELATED_PAGES_LIMIT + 1]) if page.film_id else []
    return related_in_order(page.pk, [linked[pk] for pk in linked_ids if pk in linked], same_film)
