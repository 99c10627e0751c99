"""The Host header is validated before anything answers.

A stored API response must not be handed to a request for a host this site
does not serve (cache poisoning at a shared cache, host-header attacks): such a
request is a ``400``, never the stored body, never a ``304`` and never a ``500``.
"""

import pytest
from django.test import Client

from reviews.factories import ReviewPageFactory

pytestmark = pytest.mark.django_db
EVIL = "evil.example"


@pytest.fixture
def warm_detail(api):
    """A review whose API detail is in the delivery store, and its response (with ETag)."""
    review = ReviewPageFactory(title="Cached review")
    path = f"/api/v2/pages/{review.pk}/"
    return path, api.get(path)


def test_an_unknown_host_gets_a_json_400_not_the_cached_body(warm_detail):
    path, cached = warm_detail
    response = Client().get(path, HTTP_HOST=EVIL)
    assert response.status_code == 400
    assert response.json() == {"message": "invalid Host header", "status": 400}
    assert b"Cached review" not in response.content


def test_an_unknown_host_gets_no_304_for_a_cached_etag(warm_detail):
    path, cached = warm_detail
    response = Client().get(path, HTTP_HOST=EVIL, HTTP_IF_NONE_MATCH=cached["ETag"])
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/", "/healthz", "/api/v2/pages/", "/admin/login/"])
def test_an_unknown_host_is_a_400_everywhere(path):
    assert Client().get(path, HTTP_HOST=EVIL).status_code == 400


def test_known_hosts_are_served(warm_detail, settings):
    path, _ = warm_detail
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "api.marquee.test"]
    assert Client().get(path, HTTP_HOST="api.marquee.test").status_code == 200
