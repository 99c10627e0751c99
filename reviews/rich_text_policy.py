"""What rich text may contain when it leaves Marquee: the editor's vocabulary, nothing more.

Text typed in Draftail can only hold the features below, but stored
HTML also comes from imports, migrations and scripts, which nothing checked. So every
rich text string is cleaned on its way out with an allowlist derived from those
features: tags, attributes and URL schemes the editor cannot produce never reach a
client, whatever the database holds.

``sanitize_html`` is the last step of ``expand_rich_text`` (reviews/rich_text.py): it runs
after internal links (``<a linktype="page" id="3">``) have been resolved to public
URLs, because it drops the ``linktype`` and ``id`` attributes those links are found by.
"""

import nh3

# The editor's vocabulary, used by the blocks (reviews/blocks.py): structure, emphasis
# and links. No h1 (the page title is the h1), no embeds or images (use the image block).
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
ANSWER_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

# The tags each editor feature produces. Draftail writes <b> and <i>; <strong> and
# <em> mean the same and are what imported HTML usually holds. A feature added to an
# editor without an entry here fails at import rather than being silently stripped.
FEATURE_TAGS = {
    "h2": {"h2"},
    "h3": {"h3"},
    "h4": {"h4"},
    "bold": {"b", "strong"},
    "italic": {"i", "em"},
    "ol": {"ol", "li"},
    "ul": {"ul", "li"},
    "link": {"a"},
    "document-link": {"a"},
}
# Every rich text is paragraphs with soft line breaks, whatever its features.
BASE_TAGS = {"p", "br"}

ALLOWED_TAGS = frozenset(
    BASE_TAGS.union(*(FEATURE_TAGS[feature] for feature in (*RICH_TEXT_FEATURES, *ANSWER_FEATURES)))
)
# Only a link's target. No class, style, id or data-* (Draftail's data-block-key is
# editor bookkeeping), no event handlers, and no rel or target: links open in the same
# tab, and whether an external link gets rel="nofollow" or "noopener" is the client's
# presentation decision, so a stored rel is dropped rather than passed on.
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# Absolute URLs with these schemes; relative URLs and #fragments are kept too.
# javascript:, data:, vbscript: and anything else lose the href (the link text stays).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Elements whose content is code or another document, not prose: removed with it.
# Other disallowed tags (div, span, img, …) are unwrapped and keep their text.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "noscript", "template"})

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    strip_comments=True,
    link_rel=None,  # nh3 adds rel="noopener noreferrer" to every link unless told not to
)


def sanitize_html(html: str) -> str:
    """``html`` reduced to the rich text allowlist.

    ``'<p data-block-key="x1">Hi<img src=x onerror=alert(1)></p>'`` → ``'<p>Hi</p>'``
    """
    return _cleaner.clean(html)
