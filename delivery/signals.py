"""What the delivery store tells the rest of the pipeline (receivers: delivery/webhooks.py)."""

from django.dispatch import Signal

#: Sent inside :func:`delivery.store.write_page`'s transaction for every entry it appends to the
#: change log, with ``change`` (the :class:`~delivery.models.Change`), ``url_path`` (the page's
#: Wagtail ``url_path``), ``document`` (the stored detail JSON; ``None`` when the page left the
#: store) and ``republished`` (True when the page entered the store or a new revision of it was
#: published; False for a re-render of the same revision and for removals).
document_changed = Signal()
