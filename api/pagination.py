"""``limit``/``offset`` pagination with caps, and ``meta.total_count``."""

from collections import OrderedDict

from django.conf import settings
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from wagtail.api.v2.utils import BadRequestError

DEFAULT_LIMIT = 20


def is_number(value):
    """ASCII digits only: ``str.isdigit`` also accepts "²" and "٣", which ``int`` rejects or misreads."""
    return value.isascii() and value.isdigit()


def _non_negative_int(request, name, default, maximum):
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not is_number(raw):
        raise BadRequestError(f"{name} must be a non-negative integer")
    value = int(raw) if len(raw) <= 18 else maximum + 1
    if value > maximum:
        raise BadRequestError(f"{name} cannot be higher than {maximum}")
    return value


class Pagination(BasePagination):
    """``?limit=`` (default 20, at most ``API_LIMIT_MAX``) and ``?offset=`` (at most ``API_OFFSET_MAX``)."""

    @staticmethod
    def limits(request):
        """``(limit, offset)`` from the query, validated."""
        limit_max = settings.WAGTAILAPI_LIMIT_MAX
        limit = _non_negative_int(request, "limit", min(DEFAULT_LIMIT, limit_max), limit_max)
        offset = _non_negative_int(request, "offset", 0, settings.API_OFFSET_MAX)
        return limit, offset

    def paginate_queryset(self, queryset, request, view=None):
        limit, offset = self.limits(request)
        self.limit, self.offset = limit, offset
        self.total_count = queryset.count()
        return queryset[offset : offset + limit]

    def get_paginated_response(self, data):
        meta = OrderedDict(total_count=self.total_count, limit=self.limit, offset=self.offset)
        return Response(OrderedDict(meta=meta, items=data))
