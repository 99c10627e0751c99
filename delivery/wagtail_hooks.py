from wagtail import hooks

from .models import WebhookEndpoint
from .signal_handlers import media_moved_in_bulk
from .views import ENDPOINT_PERMISSIONS, DisabledEndpointsPanel, WebhookEndpointViewSet

hooks.register("after_bulk_action", media_moved_in_bulk)


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhookEndpointViewSet("webhooks", url_prefix="webhooks")


@hooks.register("construct_homepage_panels")
def warn_of_disabled_webhooks(request, panels):
    if not ENDPOINT_PERMISSIONS.user_has_permission(request.user, "change"):
        return
    disabled = list(WebhookEndpoint.objects.filter(active=False, disabled_at__isnull=False))
    if disabled:
        panels.append(DisabledEndpointsPanel(disabled))
