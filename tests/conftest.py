import pytest
from django.conf import settings
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_caches():
    """Each test starts with empty caches (local memory or the test Redis prefix).

    Database ids are reused between tests, so a rendition cached for image 1 in
    one test would otherwise be found for a different image 1 in the next.
    """
    _clear_all()
    yield
    _clear_all()


def _clear_all():
    # Every configured alias, initialized or not: local-memory caches keep their
    # data in module globals that outlive the cache objects.
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def reviews_index(db):
    from reviews.models import ReviewIndexPage

    return ReviewIndexPage.first_in_tree()


@pytest.fixture
def interviews_index(db):
    from reviews.models import InterviewIndexPage

    return InterviewIndexPage.first_in_tree()
