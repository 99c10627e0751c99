"""The page types the API serves: ``?type=`` accepts these, and the OpenAPI document lists them."""

from wagtail.models import Page, get_page_models


def served_page_models():
    """``wagtailcore.Page`` (any page, common fields) and every page type editors create.

    A base class that is not creatable, such as ``EditorialPage``, is not served:
    no page is one, and it declares API fields (``body``) that only its
    subclasses have, so Wagtail cannot build a serializer for it.
    """
    return [Page, *(model for model in get_page_models() if model.is_creatable)]
