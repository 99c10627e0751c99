"""The API's transport shapes: errors, listing envelopes, and the objects its endpoints compose.

The content shapes come from the content apps (people/shapes.py,
reviews/shapes.py); what the endpoints add around them (a person's roles and
pages, a film's pages, the listing envelope, the error) is described here.
:func:`response_shapes` names every shape an operation of the OpenAPI
document returns (api/openapi.py).
"""

from functools import cache
from typing import Annotated, Union

from pydantic import Field, RootModel, create_model

from people.shapes import Person
from reviews.shapes import Festival, Film, PageLink, page_shapes, page_unions
from shapes.base import Count, Id, PlainText, Shape, Slug, Url
from shapes.media import Image

Status = Annotated[int, Field(ge=400, le=599)]


class Error(Shape):
    """Every error: ``{"message": "fields error: …", "status": 400}``."""

    message: PlainText
    status: Status


class PersonItem(Person):
    """A person as the people endpoint lists them: the byline object and their role slugs."""

    roles: list[Slug]


class PersonDetail(PersonItem):
    """One person: their public pages too, newest first (at most 100)."""

    pages: list[PageLink]


class FilmDetail(Film):
    """One film: its public reviews and interviews, newest first (at most 100)."""

    pages: list[PageLink]


class FestivalItem(Festival):
    """A festival edition with the link to its pages."""

    pages_url: Url


class Document(Shape):
    id: Id
    title: PlainText
    file_extension: str
    download_url: Url


class Redirect(Shape):
    """``location`` is a frontend URL or an external link; null when its target is gone."""

    id: Id
    old_path: str
    location: str | None
    is_permanent: bool


class ListingMeta(Shape):
    total_count: Count
    limit: Count
    offset: Count


class PageListingMeta(ListingMeta):
    next_after: str | None = Field(
        description="Pass as `?after=` for the next page (same filters and order); null on the last page."
    )


def _listing(name, item, meta=ListingMeta):
    return create_model(name, __base__=Shape, meta=(meta, ...), items=(list[item], ...))


@cache
def response_shapes():
    """``{"PageListing": model, …}``: what each operation returns, by component name."""
    page, page_card, selection = page_unions()
    cards = tuple(shape.card for shape in page_shapes().values() if shape.card is not None)
    listing_item = Union[(*cards, page_card, selection)]
    page_or_selection = create_model(
        "PageResponse",
        __base__=RootModel[page | selection],
        __doc__="The page (`Page`), or the fields `?fields=` selected of it (`PageSelection`).",
    )
    page_document = create_model(
        "PageDocument",
        __base__=RootModel[Union[tuple(shape.full for shape in page_shapes().values())]],  # noqa: UP007
        __doc__="Every field of a page, as `?fields=*` and the sync feed carry it, told apart by `meta.type`.",
    )
    return {
        "Error": Error,
        "PageResponse": page_or_selection,
        "PageDocument": page_document,
        "PageListing": _listing("PageListing", listing_item, PageListingMeta),
        "PersonListing": _listing("PersonListing", PersonItem),
        "PersonDetail": PersonDetail,
        "FilmListing": _listing("FilmListing", Film),
        "FilmDetail": FilmDetail,
        "FestivalListing": _listing("FestivalListing", FestivalItem),
        "FestivalItem": FestivalItem,
        "ImageListing": _listing("ImageListing", Image),
        "Image": Image,
        "DocumentListing": _listing("DocumentListing", Document),
        "Document": Document,
        "RedirectListing": _listing("RedirectListing", Redirect),
        "Redirect": Redirect,
    }
