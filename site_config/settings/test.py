"""The test suite: fast hashing, in-memory media, deterministic URLs."""

import tempfile
from urllib.parse import urlsplit, urlunsplit

from site_config.env import env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-" + "x" * 50
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="marquee-test-media-")
FRONTEND_BASE_URL = "https://www.marquee.test"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
CORS_ALLOWED_ORIGINS = ["https://www.marquee.test"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test client's login() cannot pass a request to django-axes; the lock-out
# test turns it back on.
AXES_ENABLED = False
API_RATE_LIMIT = 0  # the rate-limit test sets its own
# Webhook tests run their receivers on localhost; the SSRF tests turn this off.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
WEBHOOKS_TIMEOUT = 2
# Keep test runs isolated from a developer's Redis data, and parallel workers
# from each other: cache.clear() flushes a whole Redis database, so each
# pytest-xdist worker (gw0, gw1, …) gets its own database number.
if env_str("REDIS_URL"):
    _redis = urlsplit(env_str("REDIS_URL"))
    _worker = int((env_str("PYTEST_XDIST_WORKER") or "gw0").removeprefix("gw"))
    _database = int(_redis.path.strip("/") or 0) + _worker
    CACHES["default"]["LOCATION"] = urlunsplit(_redis._replace(path=f"/{_database}"))  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "marquee-test"  # noqa: F405
# Each test's transaction rolls back, and PostgreSQL does not give sequence numbers back:
# every test leaves a gap in the change log's numbers. The sync feed would wait out each
# gap for the settle time (api/sync.py); the tests of that wait set it themselves.
SYNC_SETTLE_SECONDS = 0
