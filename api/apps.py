from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Delivery API"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
