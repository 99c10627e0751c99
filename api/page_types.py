"""``?type=`` as the pages listing and the sync feed parse it."""

from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.models import get_page_models

from reviews.serializers import type_label
from reviews.shapes import served_page_types


def requested_page_types(value, served=None):
    """``(models, labels)`` for a ``?type=`` value such as ``reviews.ReviewPage,reviews.InterviewPage``:
    the named page models (their shared fields apply) and every ``page_type`` label they cover,
    subclasses included. ``served`` (default: every type the API serves,
    ``reviews.shapes.served_page_types``) lists the models a client may name; anything else
    is a 400."""
    try:
        # Any case, as the OpenAPI pattern says: Django finds models by lower-case labels.
        models = page_models_from_string(value.lower())
    except (LookupError, ValueError) as exc:
        raise BadRequestError("type doesn't exist") from exc
    served = served_page_types() if served is None else served
    if any(model not in served for model in models):
        raise BadRequestError("type must be one or more of: " + ", ".join(m._meta.label for m in served))
    labels = {type_label(m) for m in get_page_models() if any(issubclass(m, model) for model in models)}
    return tuple(dict.fromkeys(models)), labels
