from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = "Delivery store"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # checks register themselves on import
        from . import checks, coalescing, reads, signal_handlers, webhooks  # noqa: F401

        signal_handlers.register()
        coalescing.register()
        webhooks.register()
        connection_created.connect(reads.plan_prepared_reads_once, dispatch_uid="delivery-plan-reads-once")
        post_migrate.connect(store_missing_pages, sender=self, dispatch_uid="delivery-post-migrate")


def store_missing_pages(**kwargs):
    """After ``migrate``: render every public page the store lacks (all of them, the first time).

    Runs once the whole schema is current, so rendering can use today's models;
    on later deploys it finds nothing missing and costs one query per table.
    """
    from .rebuild import rebuild

    rebuild(only_missing=True)
