"""Headless preview: editors see the draft, unsaved edits included, in the real frontend.

When an editor presses Preview, Wagtail builds the page from the editor's form
(unsaved) and calls ``serve_preview`` (reviews/models.py). With a frontend
preview URL configured, we store that draft's serialized form under a random
key and hand the frontend a signed token naming it; the frontend then calls

    GET /api/v2/preview/?content_type=reviews.reviewpage&token=…

and gets the draft in exactly the JSON shape of a published page. Tokens are
signed (``SECRET_KEY``), expire after ``PREVIEW_TOKEN_MAX_AGE`` seconds (ten
minutes by default; checked on every read), and name one page of one type: a
token cannot read another page. A token also dies as soon as its page is
published, unpublished or deleted: each draft is stored with the page's current
*preview generation*, a random value that those events delete (``forget_previews``),
so every earlier draft of the page stops matching. Responses are
``Cache-Control: private, no-store``; the token is redacted from logs
(site_config/log_redaction.py).
"""

import secrets

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Page

from delivery.loader import Loader
from delivery.render import render, views

from .caching import guarded
from .errors import json_error, method_not_allowed

SALT = "marquee.preview"
NO_STORE = "private, no-store"


def frontend_preview_url(page, request=None):
    """The preview route of the frontend that serves ``page``'s site ("" when there is none)."""
    if settings.PREVIEW_FRONTEND_URLS:
        # A new page's draft may not know its site yet; the default frontend then serves it.
        site = page.get_site() if page.url_path else None
        if site is not None and site.hostname in settings.PREVIEW_FRONTEND_URLS:
            return settings.PREVIEW_FRONTEND_URLS[site.hostname]
    return settings.PREVIEW_FRONTEND_URL


def _generation_key(page_pk):
    return f"preview:generation:{page_pk}"


def _preview_generation(page_pk):
    """The page's current preview generation, started if there is none.

    Kept as long as the newest draft that carries it. A page not saved yet has no
    pk and no generation: nothing can publish or delete it before it is saved.
    None if the generation ended meanwhile: such a draft is refused on read.
    """
    if page_pk is None:
        return None
    key = _generation_key(page_pk)
    cache.add(key, secrets.token_urlsafe(12), timeout=settings.PREVIEW_TOKEN_MAX_AGE)
    cache.touch(key, timeout=settings.PREVIEW_TOKEN_MAX_AGE)
    return cache.get(key)


def forget_previews(page_pk):
    """End every preview token of the page (it was published, unpublished or deleted)."""
    guarded(lambda: cache.delete(_generation_key(page_pk)))


def preview_url_for(page, request=None):
    """The frontend URL that shows ``page`` (a draft built by the editor), or None if none is configured."""
    base = frontend_preview_url(page, request)
    if not base:
        return None
    key = secrets.token_urlsafe(24)
    draft = {"generation": _preview_generation(page.pk), "data": page.serializable_data()}
    cache.set(f"preview:{key}", draft, timeout=settings.PREVIEW_TOKEN_MAX_AGE)
    content_type = f"{page._meta.app_label}.{page._meta.model_name}"
    token = signing.dumps({"key": key, "content_type": content_type, "page": page.pk}, salt=SALT)
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}content_type={content_type}&token={token}"


def _error(message, status):
    return json_error(message, status, cache_control=NO_STORE)


def load_draft(model, content_type, token):
    """The draft ``model`` page named by ``token``; raises PermissionError when refused."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise PermissionError("preview token has expired; press Preview again") from exc
    except signing.BadSignature as exc:
        raise PermissionError("preview token is not valid") from exc
    if payload.get("content_type") != content_type.lower():
        raise PermissionError("preview token is for another page")
    page_pk, draft_key = payload.get("page"), f"preview:{payload['key']}"
    generation_key = _generation_key(page_pk)
    found = cache.get_many([draft_key, generation_key] if page_pk is not None else [draft_key])
    draft = found.get(draft_key)
    if draft is None or "data" not in draft:
        raise PermissionError("preview has expired; press Preview again")
    if page_pk is not None and (
        draft["generation"] is None or draft["generation"] != found.get(generation_key)
    ):
        raise PermissionError("the page was published, unpublished or deleted since; press Preview again")
    page = model.from_serializable_data(draft["data"])
    if page.pk != page_pk:
        raise PermissionError("preview token is for another page")
    return page


@csrf_exempt  # read-only; authorized by the signed token, never by cookies
def preview_view(request):
    """``GET /api/v2/preview/?content_type=…&token=…``: the draft as page JSON."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(request)
    content_type, token = request.GET.get("content_type", ""), request.GET.get("token", "")
    if not content_type or not token:
        return _error("preview needs content_type and token", 400)
    try:
        model = apps.get_model(content_type)
    except (LookupError, ValueError):
        model = None
    if model is None or not issubclass(model, Page):
        return _error("unknown content_type", 400)
    try:
        page = load_draft(model, content_type, token)
    except PermissionError as exc:
        return _error(str(exc), 403)

    # The same renderer as the delivery store, on the unsaved draft; never stored.
    data, _card, _page_card = views(render(page, Loader([page], draft=True)), model)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    response["Cache-Control"] = NO_STORE
    return response
