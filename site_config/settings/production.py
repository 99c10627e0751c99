"""Production: everything sensitive comes from the environment, or it refuses to start."""

from django.core.exceptions import ImproperlyConfigured

from site_config.env import env_bool, env_int, env_list, env_required, env_str

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = env_required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-")):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of 50+ characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("The ALLOWED_HOSTS environment variable is required.")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Behind a TLS-terminating proxy or CDN. Set TRUSTED_PROXY_COUNT (base.py) to the
# number of proxies in front: the rate limit and the admin lock-out key on the client
# address they saw; with the default 0, every client shares the proxy's address.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# SECURE_COOKIES=false only for `make serve` on plain http://127.0.0.1.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
# Wagtail's admin previews pages in a same-origin iframe, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if not SECURE_HSTS_PRELOAD:
    # Preloading is a commitment for every subdomain; opt in with SECURE_HSTS_PRELOAD=true.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# Everything to the console, preview tokens redacted (base.py's filter).
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        **LOGGING["handlers"],  # noqa: F405
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
