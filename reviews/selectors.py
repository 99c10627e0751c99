"""Read-side queries shared by the API and the server-rendered preview.

Every function here returns only what an anonymous reader may see.
"""

from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

RELATED_PAGES_LIMIT = 10


def public_pages(model=Page):
    """Live pages an anonymous client may see, of ``model`` (and subclasses).

    Stricter than ``Page.objects.live()``: a page past its expiry or before its
    go-live time is hidden even if ``publish_scheduled`` has not run yet, and any
    page under a view restriction (password, login or groups) is hidden with its
    descendants, whatever the current request carries. The API serves the
    anonymous public only, so a logged-in editor's session must not widen it.
    """
    now = timezone.now()
    queryset = (
        model._default_manager.live()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    )
    # A page is restricted if a restriction sits on it or on any ancestor, that is
    # on a page whose tree path is a prefix of its own. A correlated subquery keeps
    # this a single SQL statement, whatever the number of restrictions.
    restrictions_above = PageViewRestriction.objects.annotate(
        prefix=Substr(OuterRef("path"), 1, Length("page__path"))
    ).filter(page__path=F("prefix"))
    return queryset.exclude(Exists(restrictions_above))


def related_pages_for(pages):
    """``{page.pk: [related EditorialPage, …]}`` for many pages in two queries.

    Hand-made links come first, in the editor's order; then other public
    reviews and interviews of the same film, newest first.
    """
    from .models import EditorialPage, EditorialPageRelatedLink

    pages = list(pages)
    related = {page.pk: [] for page in pages}
    if not pages:
        return related
    visible = public_pages(EditorialPage).select_related("content_type")

    links = (
        EditorialPageRelatedLink.objects.filter(page_id__in=related, related_page__in=visible)
        .select_related("related_page__content_type")
        .order_by("page_id", "sort_order")
    )
    for link in links:
        related[link.page_id].append(link.related_page)

    pages_by_film = defaultdict(list)
    for page in pages:
        if page.film_id:
            pages_by_film[page.film_id].append(page.pk)
    if pages_by_film:
        same_film = visible.filter(film_id__in=pages_by_film).order_by("-first_published_at", "pk")
        for other in same_film:
            for page_pk in pages_by_film[other.film_id]:
                if other.pk != page_pk:
                    related[page_pk].append(other)

    for page_pk, items in related.items():
        seen = {page_pk}
        unique = []
        for item in items:
            if item.pk not in seen:
                seen.add(item.pk)
                unique.append(item)
        related[page_pk] = unique[:RELATED_PAGES_LIMIT]
    return related
