"""The test suite: fast hashing, in-memory media, deterministic URLs."""

import tempfile

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
# Keep test runs isolated from a developer's Redis data.
if env_str("REDIS_URL"):
    CACHES["default"]["KEY_PREFIX"] = "marquee-test"  # noqa: F405
