import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (local memory or the test Redis prefix)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reviews_index(db):
    from reviews.models import ReviewIndexPage

    return ReviewIndexPage.objects.get()


@pytest.fixture
def interviews_index(db):
    from reviews.models import InterviewIndexPage

    return InterviewIndexPage.objects.get()
