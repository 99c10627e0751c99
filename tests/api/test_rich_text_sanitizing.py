"""Rich text is safe for clients whatever the database holds.

Text typed in Draftail can only contain the editor's features, but an import, a data
migration or a script stores HTML as it is. Frontends insert ``text`` blocks and
interview answers with ``innerHTML`` (examples/frontend/assets/app.js does), so what
the API serves must hold nothing but the documented vocabulary (docs/api.md, "Block
catalogue"), and the markup editors can make must come out unchanged.
"""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from wagtail.fields import RichTextField

from reviews.factories import InterviewPageFactory, ReviewPageFactory

pytestmark = pytest.mark.django_db

# docs/api.md: the tags and attributes a client may receive in rich text.
DOCUMENTED_TAGS = {"p", "h2", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "br", "a"}
DOCUMENTED_ATTRIBUTES = {("a", "href")}
SAFE_HREF_PREFIXES = ("http://", "https://", "mailto:", "tel:", "/", "#")


def served_text(api, html, page=None):
    """Store ``html`` as a body text block as a script would (no editor), publish, fetch it."""
    page = page or ReviewPageFactory()
    page.body = [{"type": "text", "value": html}]
    page.save_revision().publish()
    return api.get(f"/api/v2/pages/{page.pk}/").data["body"][0]["value"]


class Markup(HTMLParser):
    """Every start tag and attribute of a fragment, entity references decoded as a browser would."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.hrefs = set(), set(), []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add((tag, name))
            if name == "href":
                self.hrefs.append(value)

    handle_startendtag = handle_starttag


HOSTILE = {
    "script element": (
        "<p>Before<script>alert(1)</script> after</p>",
        "<p>Before after</p>",
    ),
    "event handler on an image": (
        "<p>Still<img src=x onerror=alert(1)></p>",
        "<p>Still</p>",
    ),
    "event handler on an allowed tag": (
        '<p onclick="alert(1)">Click</p>',
        "<p>Click</p>",
    ),
    "javascript: URL": (
        '<p><a href="javascript:alert(1)">x</a></p>',
        "<p><a>x</a></p>",
    ),
    "mixed-case javascript: URL": (
        '<p><a href="JaVaScRiPt:alert(1)">x</a></p>',
        "<p><a>x</a></p>",
    ),
    "entity-encoded colon": (
        '<p><a href="javascript&colon;alert(1)">x</a></p>',
        "<p><a>x</a></p>",
    ),
    "tab inside the scheme": (
        '<p><a href="java&#x09;script:alert(1)">x</a></p>',
        "<p><a>x</a></p>",
    ),
    "data: URL": (
        '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a></p>',
        "<p><a>x</a></p>",
    ),
    "iframe": (
        '<iframe src="https://evil.example/"></iframe><p>Text</p>',
        "<p>Text</p>",
    ),
    "style attribute": (
        '<p style="background:url(javascript:alert(1))">Text</p>',
        "<p>Text</p>",
    ),
    "style element": (
        "<style>p { display: none }</style><p>Text</p>",
        "<p>Text</p>",
    ),
    "editor-internal data attribute": (
        '<p data-block-key="x">Text</p>',
        "<p>Text</p>",
    ),
    "svg with onload": (
        "<p><svg onload=alert(1)><circle r=1></circle></svg>Text</p>",
        "<p>Text</p>",
    ),
    "form": (
        '<form action="https://evil.example/"><input name=q><button>Go</button></form>',
        "Go",
    ),
    "stored rel and target": (
        '<p><a href="https://example.com/" rel="opener" target="_blank">x</a></p>',
        '<p><a href="https://example.com/">x</a></p>',
    ),
    "h1, div, span and class": (
        '<h1 class="x">Title</h1><div><span class="y">Text</span></div>',
        "TitleText",
    ),
    "comment": (
        "<p>Text<!-- <script>alert(1)</script> --></p>",
        "<p>Text</p>",
    ),
}


@pytest.mark.parametrize(("stored", "served"), HOSTILE.values(), ids=HOSTILE.keys())
def test_stored_html_is_served_reduced_to_the_editor_vocabulary(api, stored, served):
    assert served_text(api, stored) == served


def test_a_hostile_document_leaves_only_documented_tags_and_attributes(api):
    stored = "".join(stored for stored, _ in HOSTILE.values())
    markup = Markup(served_text(api, stored))
    assert markup.tags <= DOCUMENTED_TAGS
    assert markup.attributes <= DOCUMENTED_ATTRIBUTES
    assert all(href.startswith(SAFE_HREF_PREFIXES) for href in markup.hrefs)


def test_markup_the_editor_makes_survives_exactly(api):
    html = (
        "<h2>Heading</h2><h3>Sub</h3><h4>Minor</h4>"
        "<p>Plain, <b>bold</b>, <i>italic</i>, <strong>strong</strong>, <em>em</em>,"
        " a line<br>break &amp; “quotes” &lt;not a tag&gt;.</p>"
        "<ol><li>one</li><li>two</li></ol><ul><li>a</li></ul>"
        '<p><a href="https://example.com/a?b=1&amp;c=2">web</a> <a href="mailto:desk@marquee.example">mail</a>'
        ' <a href="tel:+15551234">call</a> <a href="/reviews/x/">relative</a> <a href="#notes">anchor</a></p>'
    )
    assert served_text(api, html) == html


def test_internal_links_are_resolved_before_attributes_are_stripped(api):
    target = InterviewPageFactory(slug="the-interview")
    html = served_text(
        api,
        f'<p><a linktype="page" id="{target.pk}" onclick="alert(1)" data-x="1">read</a></p>',
    )
    assert html == '<p><a href="https://www.marquee.test/interviews/the-interview/">read</a></p>'


def test_links_to_unpublished_pages_still_lose_their_url(api):
    draft = InterviewPageFactory(slug="secret-draft")
    draft.unpublish()
    html = served_text(api, f'<p><a linktype="page" id="{draft.pk}">soon</a><script>x()</script></p>')
    assert html == "<p><a>soon</a></p>"


def test_interview_answers_are_sanitized_too(api):
    interview = InterviewPageFactory()
    interview.body = [
        {
            "type": "question_answer",
            "value": {
                "question": "How?",
                "answer": '<p data-block-key="k">Patiently.<img src=x onerror=alert(1)></p>',
                "speaker": "",
            },
        }
    ]
    interview.save_revision().publish()
    answer = api.get(f"/api/v2/pages/{interview.pk}/").data["body"][0]["value"]["answer"]
    assert answer == "<p>Patiently.</p>"


def test_no_api_field_serves_a_rich_text_field_as_stored():
    """Rich text reaches clients only through body blocks, which are sanitized.

    ``HomePage.intro`` is a RichTextField and is not in the API. Exposing one means
    serializing it with ``expand_rich_text`` as TextBlock does; then list it here.
    """
    exposed = []
    for model in apps.get_models():
        for api_field in getattr(model, "api_fields", []):
            source = getattr(api_field.serializer, "source", None) or api_field.name
            try:
                field = model._meta.get_field(source)
            except FieldDoesNotExist:
                continue
            if isinstance(field, RichTextField):
                exposed.append(f"{model._meta.label}.{source}")
    assert exposed == []
