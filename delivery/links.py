"""URLs clients follow: pages on the public frontend, objects in this API."""

import logging
import time
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from wagtail.models import Site
from wagtail.models.sites import SiteRootPath

from reviews.images import absolute_media_url

logger = logging.getLogger(__name__)


def frontend_url(url_path):
    """Map a page's internal ``url_path`` to its URL on the public frontend.

    ``/home/reviews/ai-weiwei-never-sorry/`` → ``https://www.example.com/reviews/ai-weiwei-never-sorry/``.
    Site root paths are cached by Wagtail, so this costs no query once warm.
    """
    for root in site_root_paths():
        if url_path.startswith(root.root_path):
            return settings.FRONTEND_BASE_URL + "/" + url_path[len(root.root_path) :]
    return None


def publisher():
    """The publication as schema.org's ``publisher``: ``{"name": "Marquee", "url": "<frontend>/"}``."""
    return {"name": settings.WAGTAIL_SITE_NAME, "url": settings.FRONTEND_BASE_URL + "/"}


def site_root_paths():
    """Wagtail's cached site root paths, memoized in-process for a few seconds.

    Read for every page in a response, so not worth a cache round trip each
    time; read from the database if the cache is down.
    """
    now = time.monotonic()
    if _root_paths_memo and now - _root_paths_memo[0] < ROOT_PATHS_MEMO_SECONDS:
        return _root_paths_memo[1]
    paths = _load_site_root_paths()
    _root_paths_memo[:] = [now, paths]
    return paths


ROOT_PATHS_MEMO_SECONDS = 5
_root_paths_memo = []


def forget_site_root_paths(**_signal_kwargs):
    _root_paths_memo.clear()


def _load_site_root_paths():
    try:
        return Site.get_site_root_paths()
    except Exception as exc:  # the cache is down: the database still knows
        logger.warning("site root paths from the database, the cache failed: %s", exc)
    return [
        SiteRootPath(site.id, site.root_page.url_path, site.root_url, None)
        for site in Site.objects.select_related("root_page").order_by(
            "-root_page__url_path", "-is_default_site"
        )
    ]


def api_url(name, *args):
    """Absolute URL of an API route, e.g. ``api_url("wagtailapi_v2:people:detail", 3)``."""
    if not args:
        return _api_url_template(name, 0)
    return _api_url_template(name, len(args)).format(*args)


@lru_cache(maxsize=64)
def _api_url_template(name, arity):
    """``reverse`` once per route; later calls only format (reverse is costly per nested object)."""
    placeholders = [f"999999999{n}" for n in range(arity)]
    url = absolute_media_url(reverse(name, args=placeholders))
    for n, placeholder in enumerate(placeholders):
        url = url.replace(placeholder, f"{{{n}}}")
    return url
