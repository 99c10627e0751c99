"""Background tasks (Wagtail's django-tasks integration; see TASKS in settings)."""

from django_tasks import task
from wagtail.images import get_image_model

from .images import RENDITION_SPECS


@task()
def generate_api_renditions(image_id):
    """Create the API's fixed renditions for one image, so no API request has to."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        image.get_renditions(*RENDITION_SPECS.values())
