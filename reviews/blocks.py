"""Body blocks: one shared StreamBlock, extended per page type.

The block names ``text``, ``image`` and ``pull_quote`` are part of the public
JSON contract (docs/api.md); renaming one breaks every client.

API representations read what they need from ``context["loader"]`` (see
delivery/loader.py), which the renderer passes down the StreamField: the same
body renders the same in a request, a background render or a test.
"""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .rich_text import expand_rich_text
from .rich_text_policy import ANSWER_FEATURES, RICH_TEXT_FEATURES


class TextBlock(blocks.RichTextBlock):
    """Prose. API value: an HTML string with every link resolved to a public URL.

    ``"<p>Klayman keeps herself <a href=\\"https://…/interviews/…\\">out of frame</a>.</p>"``
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        return expand_rich_text(value.source, context["loader"])

    class Meta:
        icon = "pilcrow"
        label = "Text"
        description = "Paragraphs, subheadings, lists and links."


class ImageLayout(models.TextChoices):
    """Where an image sits in the text. The values are part of the public JSON contract."""

    FULL_WIDTH = "full_width", "Full width: as wide as the text"
    WIDE = "wide", "Wide: wider than the text"
    INSET_LEFT = "inset_left", "Inset left: beside the text, on its left"
    INSET_RIGHT = "inset_right", "Inset right: beside the text, on its right"


class ImageBlock(blocks.StructBlock):
    """An image placed in the body, with alt text, caption, credit and layout.

    API value::

        {"image": {<image object, see docs/api.md>}, "alt": "…", "decorative": false,
         "caption": "…", "credit": "…", "layout": "full_width"}

    ``image`` is ``null`` when the image was deleted or is not public. ``alt``
    left blank in the editor is the image's own alt text (its description,
    typed at upload); ``layout`` is one of ``ImageLayout``.
    """

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text=(
            "Describe the image for people who cannot see it. Leave blank to use the image's own "
            "description (typed at upload)."
        ),
    )
    decorative = blocks.BooleanBlock(
        required=False,
        help_text="Tick only if the image adds nothing a reader would miss; screen readers skip it.",
    )
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=150, help_text="e.g. “Courtesy of Sundance Selects”")
    layout = blocks.ChoiceBlock(
        choices=ImageLayout.choices,
        default=ImageLayout.FULL_WIDTH,
        help_text="Insets sit beside the text on wide screens and take the full width on phones.",
    )

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        described = (value.get("alt_text") or "").strip() or (image is not None and image.description.strip())
        if not value.get("decorative") and not described:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        "This image has no description: add alt text, or tick “decorative” "
                        "if the image carries no information."
                    )
                }
            )
        return value

    def get_api_representation(self, value, context=None):
        image = value.get("image")
        image_object = context["loader"].image(image.pk) if image is not None else None
        if value.get("decorative"):
            alt = ""
        else:
            alt = value.get("alt_text") or (image_object["alt"] if image_object else "")
        return {
            "image": image_object,
            "alt": alt,
            "decorative": bool(value.get("decorative")),
            "caption": value.get("caption") or "",
            "credit": value.get("credit") or "",
            "layout": value.get("layout") or ImageLayout.FULL_WIDTH.value,
        }

    class Meta:
        icon = "image"
        label = "Image"
        description = "A still, poster or photo with caption, credit and layout."
        template = "reviews/blocks/image.html"


class PullQuoteBlock(blocks.StructBlock):
    """A line lifted out of the text for emphasis.

    API value: ``{"quote": "…", "attribution": "…"}``
    """

    quote = blocks.TextBlock(max_length=500)
    attribution = blocks.CharBlock(required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = "Pull quote"
        description = "A striking line, repeated large."
        template = "reviews/blocks/pull_quote.html"


class QuestionAnswerBlock(blocks.StructBlock):
    """One exchange in an interview.

    API value: ``{"question": "…", "answer": "<p>…</p>", "speaker": "…"}``
    """

    question = blocks.TextBlock()
    answer = TextBlock(features=ANSWER_FEATURES)
    speaker = blocks.CharBlock(
        required=False,
        max_length=100,
        help_text="Who answers, if the interview has several interviewees.",
    )

    class Meta:
        icon = "help"
        label = "Question and answer"
        description = "An interviewer's question and the answer."
        template = "reviews/blocks/question_answer.html"


class BodyBlock(blocks.StreamBlock):
    """The body every editorial page shares."""

    text = TextBlock()
    image = ImageBlock()
    pull_quote = PullQuoteBlock()


class InterviewBodyBlock(BodyBlock):
    """An interview body: the shared blocks plus question/answer exchanges."""

    question_answer = QuestionAnswerBlock()
