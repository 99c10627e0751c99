"""Where an editor's Preview goes: the real frontend, when the delivery layer provides one.

The content app cannot know about tokens or the API that serves drafts (that is
the ``api`` app's job, above it); the API registers the function that builds a
frontend preview URL at start-up (``api.apps``), and pages ask for it here.
"""

_builder = None


def register_preview_url_builder(builder):
    """``builder(page, request) -> str | None``: the frontend URL showing ``page``'s draft."""
    global _builder
    _builder = builder


def frontend_preview_url(page, request):
    """The frontend URL for previewing ``page``, or None to use the server-rendered template."""
    return _builder(page, request) if _builder is not None else None
