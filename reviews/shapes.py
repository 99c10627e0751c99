"""What films, festivals, blocks and pages look like in the public JSON, typed.

reviews/serializers.py, reviews/blocks.py and reviews/images.py build these
documents as plain dicts; the shapes here describe them once, for the OpenAPI
document (api/openapi.py generates its components from them) and for the
render pipeline, which validates every document against its page type's shape
before storing it (delivery/render.py), so the two cannot drift.

A page type has three shapes, all cut from one table of field shapes
(:data:`FIELD_SHAPES`, keyed like ``serializers.FIELD_BUILDERS``):

- ``ReviewPage``: the detail document (``/pages/<id>/``, ``/pages/find/``), every
  field required, ``meta.type`` a constant, so clients narrow on it;
- ``ReviewPageCard``: the listing item of ``?type=reviews.ReviewPage``;
- the full document (every field ``?fields=*`` may select), used to validate renders.

``PageSelection`` is what ``?fields=`` returns: any subset of those fields.
"""

from functools import cache
from typing import Annotated, Any, Literal, NamedTuple, Union

from pydantic import ConfigDict, Field, RootModel, create_model
from wagtail.models import Page, get_page_models

from people.shapes import Person, PersonSummary
from shapes.base import DateTime, Html, Id, PlainText, Shape, Slug, Url, omittable
from shapes.media import Image, Rendition

from .blocks import ImageLayout
from .grades import Grade
from .serializers import DETAIL_EXCLUDED, LISTING_META_FIELDS, api_field_names, listing_fields, type_label

# --- films, festivals, links ---------------------------------------------------------


class ExternalIds(Shape):
    """Ids of the film elsewhere; ``null`` when unknown."""

    imdb: str | None
    tmdb: int | None
    wikidata: str | None


class Film(Shape):
    """The film a review or an interview is about."""

    id: Id
    title: PlainText
    original_title: PlainText
    slug: Slug
    year: int
    runtime_minutes: int | None
    countries: list[PlainText]
    directors: list[PersonSummary]
    poster: Image | None
    synopsis: PlainText
    external_ids: ExternalIds
    detail_url: Url


class Festival(Shape):
    """A festival edition: ``{"id": 1, "name": "SIFF", "year": 2012, "city": "Seattle", "slug": "siff-2012"}``."""

    id: Id
    name: PlainText
    year: int
    city: PlainText
    slug: Slug


class PageLink(Shape):
    """A reference to another public page: ``{"id", "type", "title", "url", "detail_url"}``."""

    id: Id
    type: str = Field(description="The page type, as in `meta.type`, e.g. `reviews.ReviewPage`.")
    title: PlainText
    url: Url | None
    detail_url: Url


class RelatedPage(PageLink):
    """A related review or interview, with what a card shows: its summary and thumbnail."""

    summary: PlainText
    thumbnail: Rendition | None


# --- body blocks -------------------------------------------------------------------


class ImageBlockValue(Shape):
    """``image`` is null when the image was deleted or is not public; ``alt`` is empty when decorative."""

    image: Image | None
    alt: PlainText
    decorative: bool
    caption: PlainText
    credit: PlainText
    layout: Annotated[
        Literal[tuple(ImageLayout.values)],
        Field(description="Where the editor placed the image (docs/api.md, Block catalogue)."),
    ]


class PullQuoteBlockValue(Shape):
    quote: PlainText
    attribution: PlainText


class QuestionAnswerBlockValue(Shape):
    question: PlainText
    answer: Html
    speaker: PlainText


class TextBlock(Shape):
    """Prose: sanitized HTML."""

    type: Literal["text"]
    id: str
    value: Html


class ImageBlock(Shape):
    """An image placed in the body, with alt text, caption and credit."""

    type: Literal["image"]
    id: str
    value: ImageBlockValue


class PullQuoteBlock(Shape):
    """A line lifted out of the text for emphasis."""

    type: Literal["pull_quote"]
    id: str
    value: PullQuoteBlockValue


class QuestionAnswerBlock(Shape):
    """One exchange in an interview."""

    type: Literal["question_answer"]
    id: str
    value: QuestionAnswerBlockValue


KNOWN_BLOCKS = (TextBlock, ImageBlock, PullQuoteBlock, QuestionAnswerBlock)
KNOWN_BLOCK_TYPES = [block.model_fields["type"].annotation.__args__[0] for block in KNOWN_BLOCKS]


class Block(
    RootModel[
        Annotated[TextBlock | ImageBlock | PullQuoteBlock | QuestionAnswerBlock, Field(discriminator="type")]
    ]
):
    """A body block of a type this version of the document knows, told apart by ``type``."""


class UnknownBlock(Shape):
    """A block of a type added after this document was published: skip it (docs/api.md, Forward compatibility).

    Its ``type`` is none of the known ones, so a known block always matches its own schema.
    """

    type: Annotated[str, Field(json_schema_extra={"not": {"enum": KNOWN_BLOCK_TYPES}})]
    id: str
    value: Any


BodyItem = Block | UnknownBlock

# --- pages ---------------------------------------------------------------------------

GradeLetter = Annotated[
    Literal[tuple(Grade.letters())],
    Field(
        description="Letter grade, best first.",
        # Names for generated enums: "A+", "A" and "A-" would all become "A".
        json_schema_extra={"x-enum-varnames": [Grade.from_letter(letter).name for letter in Grade.letters()]},
    ),
]

# The shape of each public page field, by name (reviews/serializers.py builds them).
FIELD_SHAPES = {
    "summary": PlainText,
    "grade": GradeLetter,
    "grade_score": Annotated[int, Field(ge=0, le=12, description="The grade as a number, F=0 … A+=12.")],
    "film": Film | None,
    "film_title": PlainText | None,
    "festival": Festival | None,
    "authors": list[Person],
    "author_names": list[PlainText],
    "interviewees": list[Person],
    "interviewee_names": list[PlainText],
    "hero_image": Image | None,
    "thumbnail": Rendition | None,
    "tags": list[PlainText],
    "body": list[BodyItem],
    "related": list[RelatedPage],
    "canonical_url": Url | None,
    "social_image": Image | None,
    "structured_data": Annotated[
        dict[str, Any],
        Field(
            description="schema.org JSON-LD (Review or Article): put it in a script of type application/ld+json."
        ),
    ],
}
META_SHAPES = {
    "detail_url": Url,
    "html_url": Url | None,
    "slug": str,
    "seo_title": PlainText,
    "search_description": PlainText,
    "first_published_at": DateTime | None,
    "last_published_at": DateTime | None,
}


class PageShapes(NamedTuple):
    """A page type's shapes: its detail document, its listing card, every field it has."""

    detail: type[Shape]
    card: type[Shape] | None  # None: the type's listing item is the common PageCard
    full: type[Shape]


def _shape(name, doc, fields):
    return create_model(
        name, __base__=Shape, __doc__=doc, **{key: (annotation, ...) for key, annotation in fields.items()}
    )


def _meta(name, label, names):
    fields = {"type": Literal[label], **{key: META_SHAPES[key] for key in names if key != "type"}}
    return _shape(name, f"`meta` of a {label}.", fields)


def _page(name, doc, meta, names):
    return _shape(
        name, doc, {"id": Id, "meta": meta, "title": PlainText, **{key: FIELD_SHAPES[key] for key in names}}
    )


def served_page_types():
    """The page models a client can get: ``wagtailcore.Page`` (the tree's root, and any page
    by its common fields) and every type editors create.

    A base class that is not creatable, such as ``EditorialPage``, is not served:
    no page is one, and it declares API fields (``body``) that only its
    subclasses have.
    """
    return [Page, *(model for model in get_page_models() if model.is_creatable)]


def _component_name(model):
    # "Page" names the union of every type's detail shape.
    return "WagtailPage" if model is Page else model.__name__


@cache
def page_shapes():
    """``{"reviews.ReviewPage": PageShapes(detail, card, full), …}`` for every served page type."""
    shapes = {}
    for model in served_page_types():
        label, name = type_label(model), _component_name(model)
        names = api_field_names(model)
        detail_names = [key for key in names if key not in DETAIL_EXCLUDED]
        meta = _meta(f"{name}Meta", label, ["type", *META_SHAPES])
        detail = _page(
            name, f"A {model._meta.verbose_name}, as detail and find return it.", meta, detail_names
        )
        full = _page(f"{name}Document", f"Every field of a {model._meta.verbose_name}.", meta, names)
        card = None
        card_names = [key for key in listing_fields(model) if key not in ("id", "title")]
        if card_names:
            card_meta = _meta(f"{name}CardMeta", label, LISTING_META_FIELDS)
            card = _page(
                f"{name}Card",
                f"A {model._meta.verbose_name} in a listing of `type={label}`.",
                card_meta,
                card_names,
            )
        shapes[label] = PageShapes(detail, card, full)
    return shapes


def _one_of(schema):
    # Exactly one member matches (each has its own constant meta.type): say so.
    schema["oneOf"] = schema.pop("anyOf")


@cache
def page_unions():
    """The page shapes the document names besides each type's own: ``Page`` (one of the detail
    shapes), ``PageCard`` (any page in an untyped listing) and ``PageSelection`` (``?fields=``)."""
    shapes = page_shapes()
    page_type = Annotated[
        Literal[tuple(shapes)], Field(description="The page type, e.g. `reviews.ReviewPage`.")
    ]
    base = RootModel[Union[tuple(shape.detail for shape in shapes.values())]]  # noqa: UP007
    page = type(base)(
        "Page",
        (base,),
        {
            "__doc__": "A page as detail and find return it (without `fields`), told apart by `meta.type`.",
            "__module__": __name__,
            "model_config": ConfigDict(json_schema_extra=_one_of),
        },
    )
    listing_meta = {key: META_SHAPES[key] for key in LISTING_META_FIELDS if key != "type"}
    card_meta = _shape("PageCardMeta", "`meta` of a page in a listing.", {"type": page_type, **listing_meta})
    page_card = _shape(
        "PageCard",
        "A page in a listing without `type`, or of several types: id, meta and title.",
        {"id": Id, "meta": card_meta, "title": PlainText},
    )
    selection_meta = create_model(
        "PageSelectionMeta",
        __base__=Shape,
        __doc__="The `meta` fields that `fields` selected.",
        type=(page_type, omittable()),
        **{key: (annotation, omittable()) for key, annotation in META_SHAPES.items()},
    )
    names = dict.fromkeys(name for model in served_page_types() for name in api_field_names(model))
    selection = create_model(
        "PageSelection",
        __base__=Shape,
        __doc__="What `?fields=` selects: any of the fields of the page's type, each as in its type's schema.",
        id=(Id, omittable()),
        meta=(selection_meta, omittable()),
        title=(PlainText, omittable()),
        **{key: (FIELD_SHAPES[key], omittable()) for key in names},
    )
    return page, page_card, selection
