import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_caches():
    """Each test starts with empty caches (local memory or the test Redis prefix).

    Database ids are reused between tests, so a rendition cached for image 1 in
    one test would otherwise be found for a different image 1 in the next.
    """
    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def reviews_index(db):
    from reviews.models import ReviewIndexPage

    return ReviewIndexPage.objects.get()


@pytest.fixture
def interviews_index(db):
    from reviews.models import InterviewIndexPage

    return InterviewIndexPage.objects.get()
