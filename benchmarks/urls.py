"""Benchmark-only URLs: Wagtail's stock pages API and a trivial JSON view beside ours.

Never mounted in production: the stock endpoint ignores Marquee's visibility
rules for nested data and exists here only as the baseline to beat.
"""

from django.http import JsonResponse
from django.urls import path
from rest_framework.fields import Field
from wagtail import blocks
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from reviews.blocks import ImageBlock, TextBlock
from site_config.urls import urlpatterns as site_urlpatterns


class StockStreamField(Field):
    """The body as stock Wagtail v2 represents these blocks: image ids, db HTML."""

    def to_representation(self, value):
        items = []
        for child in value:
            if isinstance(child.block, TextBlock):
                data = blocks.RichTextBlock.get_api_representation(child.block, child.value, self.context)
            elif isinstance(child.block, ImageBlock):
                data = blocks.StructBlock.get_api_representation(child.block, child.value, self.context)
            else:
                data = child.block.get_api_representation(child.value, self.context)
            items.append({"type": child.block_type, "value": data, "id": child.id})
        return items


class StockPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's PagesAPIViewSet with the fields a typical review model exposes."""

    @classmethod
    def get_body_fields(cls, model):
        from reviews.models import EditorialPage

        names = ["id", "title"]
        if issubclass(model, EditorialPage):
            names += ["summary", "film", "festival", "authors", "hero_image", "tags", "body"]
            if hasattr(model, "grade"):
                names.insert(3, "grade")
        return cls._convert_api_fields(names)

    @classmethod
    def get_field_serializer_overrides(cls, model):
        return {"body": StockStreamField()} if hasattr(model, "body") else {}


stock_router = WagtailAPIRouter("stockapi")
stock_router.register_endpoint("pages", StockPagesAPIViewSet)


def floor(request):
    """The cheapest Django JSON response: the ceiling for any API view."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/floor/", floor),
    path("stock/api/v2/", stock_router.urls),
    *site_urlpatterns,
]
