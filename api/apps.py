from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Delivery API"

    def ready(self):
        from reviews.preview import register_preview_url_builder

        from . import signal_handlers
        from .preview import preview_url_for

        register_preview_url_builder(preview_url_for)
        signal_handlers.register()
