import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches

from tests.processes import ROOT


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
    from api.caching import remembered_gzip
    from delivery.reads import remembered_documents

    # Every configured alias, initialized or not: local-memory caches keep their
    # data in module globals that outlive the cache objects.
    for alias in settings.CACHES:
        caches[alias].clear()
    remembered_documents.clear()  # change numbers, like ids, come round again after a rollback
    remembered_gzip.clear()


@pytest.fixture
def reviews_index(db):
    from reviews.models import ReviewIndexPage

    return ReviewIndexPage.first_in_tree()


@pytest.fixture
def interviews_index(db):
    from reviews.models import InterviewIndexPage

    return InterviewIndexPage.first_in_tree()


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite-template") / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DJANGO_SETTINGS_MODULE="site_config.settings.dev", DATABASE_URL=f"sqlite:///{path}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return path


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template, tmp_path):
    """A SQLite file with every migration applied (the site tree, no content): this test's own copy.

    For tests that run a real server on SQLite whatever database the suite runs on;
    migrating takes half a minute, so it happens once per test process.
    """
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, path)
    return path
