"""The webhooks admin: endpoints (URL, events, on/off), their secret once, their delivery log.

Editors manage endpoints with the ordinary model permissions on ``WebhookEndpoint``
(reviews/roles.py grants them to the Editors group, not to Critics). The secret is
shown in the answer to the form that created the endpoint, and nowhere after.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import webhooks
from .models import WebhookDelivery, WebhookEndpoint

LOG_PAGE_SIZE = 50
ENDPOINT_PERMISSIONS = ModelPermissionPolicy(WebhookEndpoint)
register_permission_policy(WebhookEndpoint, ENDPOINT_PERMISSIONS)


class WebhookEndpointForm(WagtailAdminModelForm):
    """URL, description, the events as checkboxes, and the on/off switch."""

    event_types = forms.MultipleChoiceField(
        choices=WebhookEndpoint.EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=WebhookEndpoint.EVENT_TYPES,
        help_text="The events this endpoint receives.",
    )


def disabled_notice(endpoint):
    return (
        f"This endpoint was switched off on {endpoint.disabled_at:%Y-%m-%d %H:%M} UTC after "
        f"{endpoint.consecutive_failures} failed attempts in a row. Fix the receiver, then tick "
        "“Active” and save to switch it back on; redeliver what it missed from its delivery log."
    )


class EndpointIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingButton(
                "Delivery log", url=reverse("webhooks:log", args=(quote(instance.pk),)), icon_name="list-ul"
            ),
        ]


class EndpointCreateView(CreateView):
    def save_action(self):
        """Answer with the new secret, once, instead of going back to the listing."""
        if self.expects_json_response:
            return super().save_action()
        return TemplateResponse(
            self.request,
            "delivery/webhooks/secret.html",
            {
                **self.get_context_data(),
                "endpoint": self.object,
                "header_title": f"Webhook endpoint created: {self.object}",
                "log_url": reverse("webhooks:log", args=(quote(self.object.pk),)),
                "index_url": reverse("webhooks:index"),
            },
        )


class EndpointEditView(EditView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)  # a TemplateResponse, rendered later
        if self.object.disabled_at is not None:
            messages.warning(request, disabled_notice(self.object))
        return response

    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            HeaderButton("Delivery log", url=reverse("webhooks:log", args=(quote(self.object.pk),))),
        ]


class EndpointPermissionMixin:
    """Endpoint views beyond the viewset's own: the same "change" permission."""

    def dispatch(self, request, *args, **kwargs):
        if not ENDPOINT_PERMISSIONS.user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.endpoint = get_object_or_404(WebhookEndpoint, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class DeliveryLogView(EndpointPermissionMixin, WagtailAdminTemplateMixin, View):
    """Newest first: event, page, status, response code, latency, attempts; redeliver any."""

    template_name = "delivery/webhooks/log.html"
    header_icon = "list-ul"

    def get_page_title(self):
        return "Delivery log"

    def get_page_subtitle(self):
        return str(self.endpoint)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("webhooks:index"), "label": "Webhook endpoints"},
            {"url": reverse("webhooks:edit", args=(quote(self.endpoint.pk),)), "label": str(self.endpoint)},
            {"url": "", "label": "Delivery log"},
        ]

    def get(self, request, pk):
        if self.endpoint.disabled_at is not None:
            messages.warning(request, disabled_notice(self.endpoint))
        deliveries = self.endpoint.deliveries.order_by("-created_at", "-pk").defer("payload")
        page = Paginator(deliveries, LOG_PAGE_SIZE).get_page(request.GET.get("p"))
        return self.render_to_response(self.get_context_data(endpoint=self.endpoint, page=page))


class RedeliverView(EndpointPermissionMixin, View):
    def post(self, request, pk, delivery_id):
        delivery = get_object_or_404(WebhookDelivery, pk=delivery_id, endpoint=self.endpoint)
        if not self.endpoint.active:
            messages.error(request, "Switch the endpoint on before redelivering.")
        elif webhooks.redeliver(delivery):
            messages.success(request, f"{delivery.event} for page {delivery.page_id} queued for redelivery.")
        else:
            messages.warning(request, "That delivery is being sent right now.")
        return redirect("webhooks:log", pk=self.endpoint.pk)


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link"
    menu_label = "Webhooks"
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["__str__", "url", "event_types", "active", "consecutive_failures"]
    list_filter = ["active"]
    index_view_class = EndpointIndexView
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    edit_handler = ObjectList(
        [FieldPanel("url"), FieldPanel("description"), FieldPanel("event_types"), FieldPanel("active")],
        base_form_class=WebhookEndpointForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("log/<int:pk>/", DeliveryLogView.as_view(), name="log"),
            path("log/<int:pk>/redeliver/<int:delivery_id>/", RedeliverView.as_view(), name="redeliver"),
        ]


class DisabledEndpointsPanel(Component):
    """On the dashboard: endpoints switched off after repeated failures, for those who can fix them."""

    name = "disabled_webhooks"
    order = 50
    template_name = "delivery/webhooks/disabled_panel.html"

    def __init__(self, endpoints):
        self.endpoints = endpoints

    @cached_property
    def links(self):
        return [
            (endpoint, reverse("webhooks:edit", args=(quote(endpoint.pk),))) for endpoint in self.endpoints
        ]

    def get_context_data(self, parent_context):
        return {"links": self.links}
