from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and interviews"

    def ready(self):
        from . import signal_handlers

        signal_handlers.register()
