"""The page types the API serves: ``?type=`` accepts these, and the OpenAPI document lists them."""

from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.models import Page, get_page_models

from reviews.serializers import type_label


def served_page_models():
    """``wagtailcore.Page`` (any page, common fields) and every page type editors create.

    A base class that is not creatable, such as ``EditorialPage``, is not served:
    no page is one, and it declares API fields (``body``) that only its
    subclasses have, so Wagtail cannot build a serializer for it.
    """
    return [Page, *(model for model in get_page_models() if model.is_creatable)]


def requested_page_types(value, served=None):
    """``(model, labels)`` for a ``?type=`` value such as ``reviews.ReviewPage,reviews.InterviewPage``:
    the page model whose fields apply (``Page`` for several types) and every ``page_type``
    label it covers, subclasses included. ``served`` (default :func:`served_page_models`)
    lists the models a client may name; anything else is a 400."""
    try:
        models = page_models_from_string(value)
    except (LookupError, ValueError) as exc:
        raise BadRequestError("type doesn't exist") from exc
    served = served_page_models() if served is None else served
    if any(model not in served for model in models):
        raise BadRequestError("type must be one or more of: " + ", ".join(m._meta.label for m in served))
    labels = {type_label(m) for m in get_page_models() if any(issubclass(m, model) for model in models)}
    return (models[0] if len(models) == 1 else Page), labels
