"""Rich text for clients: plain HTML with every link resolved, nothing internal.

Wagtail stores links as ``<a linktype="page" id="3">``. Clients get
``<a href="https://www.example.com/interviews/…/">``. Links to pages or
documents that are not public lose their ``href`` (the text stays), so a link
never reveals a draft. ``javascript:`` and other script-capable URLs are dropped.
"""

import re

from django.utils.html import escape
from wagtail.rich_text.rewriters import extract_attrs

from .rich_text_policy import sanitize_html

A_START_TAG = re.compile(r"<a(\s[^>]*)?>", re.IGNORECASE)
EMBED_TAG = re.compile(r"<embed\b[^>]*/?>", re.IGNORECASE)
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "#", "/")


def expand_rich_text(html, loader):
    """Stored rich text → client HTML; ``loader`` resolves (and records) linked pages and documents."""

    def rewrite(match):
        attrs = extract_attrs(match.group(1) or "")
        linktype = attrs.get("linktype")
        if linktype == "page":
            href = loader.page_url(attrs.get("id", "0"))
        elif linktype == "document":
            href = loader.document_url(attrs.get("id", "0"))
        elif linktype is None:
            href = attrs.get("href", "").strip()
            if not href.lower().startswith(SAFE_SCHEMES):
                href = None
        else:
            href = None
        return f'<a href="{escape(href)}">' if href else "<a>"

    # Sanitize after rewriting: the allowlist drops the linktype/id that links are resolved by.
    return sanitize_html(EMBED_TAG.sub("", A_START_TAG.sub(rewrite, html)))
