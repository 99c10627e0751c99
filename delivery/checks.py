"""Deploy check: production renders on a worker, not inside editors' requests."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def task_queue_configured(app_configs, **kwargs):
    if settings.DELIVERY_RENDER_ON_COMMIT:
        return []
    return [
        Warning(
            "The delivery store renders inside editors' requests (the immediate task backend).",
            hint="Set TASKS_BACKEND=database and run `manage.py db_worker` (the Procfile's worker).",
            id="delivery.W001",
        )
    ]
