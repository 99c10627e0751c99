"""Background work of the delivery pipeline, on Django's task framework (``TASKS`` in settings).

In production the tasks run on a worker (``manage.py db_worker``, django-tasks-db);
in development and tests the immediate backend runs them inline.
"""

import logging

from django_tasks import task
from wagtail.images import get_image_model

from reviews.images import RENDITION_SPECS

from .purge import cdn_configured, purge, snapshot
from .store import write_page

logger = logging.getLogger(__name__)


@task()
def render_pages(page_ids):
    """Re-render (or remove) each page's stored document, one transaction per page."""
    outcomes, changed = {}, []
    purging = cdn_configured()
    for page_id in sorted(set(page_ids)):
        before = snapshot(page_id) if purging else None
        outcome = write_page(page_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if purging and outcome != "unchanged":
            changed += [before, snapshot(page_id)]
    purge(changed)
    logger.info("delivery: %s", outcomes)
    return outcomes


@task()
def generate_api_renditions(image_id):
    """Create the API's fixed renditions for one image, so no render has to."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        image.get_renditions(*RENDITION_SPECS.values())
