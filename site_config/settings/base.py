"""Settings shared by every environment. No secrets here: see production.py."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from site_config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "people",
    "reviews",
    "api",
    "delivery",
    "operations",
    "django_tasks",
    "django_tasks_db",
    "wagtail.api.v2",
    "axes",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: nothing, not even a cached response, answers a host outside ALLOWED_HOSTS.
    "api.middleware.HostValidationMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Outside the API's ETag and 304 handling: compresses what they produce. A stored detail
    # arrives already gzipped (Content-Encoding set) and passes through untouched.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "api.throttling.APIRateLimitMiddleware",
    # Before sessions and auth: a cached API response needs neither.
    "api.caching.APICacheMiddleware",
    "api.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "site_config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "site_config.wsgi.application"

# SQLite by default; DATABASE_URL (e.g. postgres://user@host:5432/marquee) switches.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL: the delivery store's read statements (delivery/reads.py) are prepared on
# the server and planned once per connection (delivery.reads.plan_prepared_reads_once).
# Turn off behind a pooler in transaction mode that does not track prepared statements
# (PgBouncer before 1.21, or without max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PREPARED_STATEMENTS:
    # psycopg prepares nothing while the threshold is None (Django's default). Django's own
    # cursors bind on the client and never prepare whatever it is; with it this high, only the
    # statements that ask (prepare=True) are prepared.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
# SQLite, for several editors at once: the editor's autosave and preview panel
# write in parallel, and with SQLite's defaults the second writer fails with
# "database is locked". WAL lets readers and one writer work together; BEGIN
# IMMEDIATE takes the write lock when a transaction starts, so a waiting writer
# queues on the busy timeout instead of failing when it upgrades a read lock.
# (tests/ops/test_sqlite_concurrency.py)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

# Local memory by default; REDIS_URL switches to Django's built-in Redis backend.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "marquee"),
            "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "marquee",
            "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
        }
    }

# Wagtail caches rendition lookups in the "renditions" alias when it exists. The
# API bulk-loads renditions from the database, so a small per-process cache is
# enough, and it keeps rendition lookups working while Redis is down.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "marquee-renditions",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Media on S3-compatible object storage, shared by every app server, when a
# bucket is configured. Credentials come from the standard AWS_ACCESS_KEY_ID /
# AWS_SECRET_ACCESS_KEY variables (or the instance role). Renditions (images/)
# are linked and must be publicly readable, from AWS_S3_CUSTOM_DOMAIN (a CDN) or
# the endpoint; originals (original_images/, documents/) must not be: see the
# README's security notes. Names never overwrite.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN"),
            "location": env_str("AWS_S3_LOCATION", "media"),
            "file_overwrite": False,
            "querystring_auth": False,
            "default_acl": env_str("AWS_DEFAULT_ACL"),
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Client addresses behind proxies -----------------------------------------

# How many proxies of our own (load balancer, CDN) stand in front of the app and
# append to X-Forwarded-For. The client is the address the outermost one saw,
# counted from the right (api/clients.py); 0: the connection's address. The rate
# limit, the admin lock-out and DRF all use it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
if env_str("API_RATE_TRUST_X_FORWARDED_FOR") is not None:
    # It trusted the left-most hop, which the client writes: refuse to start
    # rather than silently put every client behind the proxy in one bucket.
    raise ImproperlyConfigured(
        "API_RATE_TRUST_X_FORWARDED_FOR is gone: set TRUSTED_PROXY_COUNT to the number of proxies in front."
    )

# --- Admin security -----------------------------------------------------------

# The admin lives at /<ADMIN_PATH>/ ("admin/" unless set): moving it off the
# well-known path cuts drive-by login attempts.
ADMIN_PATH = env_str("ADMIN_PATH", "admin").strip("/") + "/"
# django-axes: lock a client address + username pair out after repeated failures,
# so failures from elsewhere never lock the real user out of their own address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_CLIENT_IP_CALLABLE = "api.clients.client_ip"
AXES_RESET_ON_SUCCESS = True
# A content security policy: same-origin everything. The admin needs inline
# scripts and styles; images may come from the media host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *env_list("CSP_IMG_SRC")],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# --- Wagtail -----------------------------------------------------------------

WAGTAIL_SITE_NAME = "Marquee"
# The admin's own links ("View live", emails) point at Django; the API rewrites
# public URLs to FRONTEND_BASE_URL (see api/urls.py).
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents only through Wagtail's serve view, which checks collection view
# restrictions, streams the file and never redirects to the storage's own URL
# (on object storage that would be a permanent public link to the original).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 15 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 40_000_000)
# Every frame of an animation counts towards the pixel limit, and uploads must decode.
WAGTAILIMAGES_IMAGE_FORM_BASE = "reviews.forms.ImageForm"
TAGGIT_CASE_INSENSITIVE = True
# No Gravatar: the admin would load avatars from a third party on every page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Milliseconds after an editor's last change before the page editor saves a draft by
# itself (Wagtail's default); 0 turns autosave off.
WAGTAIL_AUTOSAVE_INTERVAL = env_int("WAGTAIL_AUTOSAVE_INTERVAL", 500)

# --- Delivery API ------------------------------------------------------------

# Where the public site lives. html_url, canonical_url and every internal link in
# rich text point here, not at Django.
FRONTEND_BASE_URL = env_str("FRONTEND_BASE_URL", "http://localhost:3000").rstrip("/")
WAGTAILAPI_BASE_URL = env_str("WAGTAILAPI_BASE_URL", "http://127.0.0.1:8000")
WAGTAILAPI_LIMIT_MAX = env_int("API_LIMIT_MAX", 50)
API_SEARCH_MAX_LENGTH = env_int("API_SEARCH_MAX_LENGTH", 200)
API_SEARCH_MAX_TERMS = env_int("API_SEARCH_MAX_TERMS", 12)
API_OFFSET_MAX = env_int("API_OFFSET_MAX", 100_000)
# Anonymous API rate limit per client IP (api/throttling.py); 0 disables.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 1200)
API_RATE_WINDOW = env_int("API_RATE_WINDOW", 60)

# Headless preview (api/preview.py): the frontend page that renders a draft from
# /api/v2/preview/. Unset: Preview shows the server-rendered template instead.
PREVIEW_FRONTEND_URL = env_str("PREVIEW_FRONTEND_URL", "")
# Per site, when sites have different frontends: "hostname=url,hostname=url".
PREVIEW_FRONTEND_URLS = {
    host.strip(): url.strip()
    for host, _, url in (pair.partition("=") for pair in env_list("PREVIEW_FRONTEND_URLS"))
}
# Seconds a preview token reads its draft; publishing, unpublishing or deleting the
# page ends it sooner. Short: a token is a bearer secret in a URL.
PREVIEW_TOKEN_MAX_AGE = env_int("PREVIEW_TOKEN_MAX_AGE", 600)
# The editor's preview panel is an iframe that lands on the frontend.
_preview_origins = {
    "{0.scheme}://{0.netloc}".format(urlsplit(url))
    for url in [PREVIEW_FRONTEND_URL, *PREVIEW_FRONTEND_URLS.values()]
    if url
}
if _preview_origins:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] = ["'self'", *sorted(_preview_origins)]

# Change feed for offline clients (api/sync.py, GET /api/v2/sync/).
# Items per response: ?limit= defaults to SYNC_LIMIT_DEFAULT, at most SYNC_LIMIT_MAX.
SYNC_LIMIT_DEFAULT = env_int("SYNC_LIMIT_DEFAULT", 100)
SYNC_LIMIT_MAX = env_int("SYNC_LIMIT_MAX", 500)
# Days a sync cursor stays usable: the change log (and its tombstones) is kept this
# long (manage.py prune_changes); an older cursor answers 410 and the client starts over.
SYNC_RETENTION_DAYS = env_int("SYNC_RETENTION_DAYS", 90)
# Longest a transaction that writes the store may stay open, in seconds. A change
# number that has not committed after this long is taken to have rolled back; until
# then a cursor never moves past it (PostgreSQL commits change numbers out of order).
SYNC_SETTLE_SECONDS = env_int("SYNC_SETTLE_SECONDS", 30)

# Megabytes of listing documents each server process keeps in memory, by version
# (delivery/reads.py): a listing reads its rows from the store and the text of the
# documents it has read before from memory. 0: always from the store.
DELIVERY_MEMORY_CACHE_MB = env_int("DELIVERY_MEMORY_CACHE_MB", 64)

# HTTP caching of API GETs (api/caching.py): Cache-Control ages in seconds, each
# capped by the nearest expiry of a page the response could contain.
API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 60)  # browsers and apps
API_CACHE_S_MAXAGE = env_int("API_CACHE_S_MAXAGE", 300)  # CDN; purged on publish
API_CACHE_STALE_WHILE_REVALIDATE = env_int("API_CACHE_STALE_WHILE_REVALIDATE", 60)
API_CACHE_EXCLUDED_PREFIXES = ["/api/v2/preview/"]

# CDN purge on publish (api/purge.py): FRONTEND_CACHE=cloudflare|cloudfront|http.
FRONTEND_CACHE = env_str("FRONTEND_CACHE", "")
if FRONTEND_CACHE == "cloudflare":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": env_str("CLOUDFLARE_BEARER_TOKEN"),
            "ZONEID": env_str("CLOUDFLARE_ZONE_ID"),
        }
    }
elif FRONTEND_CACHE == "cloudfront":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": env_str("CLOUDFRONT_DISTRIBUTION_ID"),
        }
    }
elif FRONTEND_CACHE == "http":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env_str("FRONTEND_CACHE_PURGE_URL"),
        }
    }
if FRONTEND_CACHE:
    # Wagtail's own purge of a published page's site URL (and of redirects), beside the
    # store's purge of the API URLs a change touched (delivery/purge.py). Without a CDN
    # the app stays out: it would still queue a purge task for every publish.
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

# --- CORS: the API only, read only, no credentials ---------------------------

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "content-type"]
CORS_EXPOSE_HEADERS = ["etag", "cache-control", "retry-after"]  # Retry-After: 429 and 503 (docs/api.md)
CORS_PREFLIGHT_MAX_AGE = 86400

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

DEBUG = env_bool("DEBUG", False)

# Background tasks (django-tasks): re-rendering the delivery store after a change,
# API renditions for new images, Wagtail's reference index. TASKS_BACKEND=database
# queues them in the database for `manage.py db_worker` (django-tasks-db), as
# production does; the default immediate backend runs them inline, inside the
# editor's transaction, so a publish is in the store when its request returns.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env_str("TASKS_BACKEND", "immediate")]}}
# With a real queue, the ids a transaction touched are enqueued once, on commit.
DELIVERY_RENDER_ON_COMMIT = TASKS["default"]["BACKEND"] != TASK_BACKENDS["immediate"]

# Webhooks (delivery/webhooks.py): endpoints are managed in the admin; deliveries
# run on the task worker. Seconds to wait for an answer; attempts per event, the
# first retry's delay (doubling each time, jittered) and the longest; failed
# attempts in a row that switch an endpoint off. Targets on private, loopback
# or link-local addresses are refused unless WEBHOOKS_ALLOW_PRIVATE_TARGETS.
WEBHOOKS_TIMEOUT = env_int("WEBHOOKS_TIMEOUT", 10)
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 8)
WEBHOOKS_RETRY_BASE_SECONDS = env_int("WEBHOOKS_RETRY_BASE_SECONDS", 30)
WEBHOOKS_RETRY_MAX_SECONDS = env_int("WEBHOOKS_RETRY_MAX_SECONDS", 6 * 3600)
WEBHOOKS_DISABLE_AFTER_FAILURES = env_int("WEBHOOKS_DISABLE_AFTER_FAILURES", 20)
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)
# How overdue a deferred delivery must be before `deliver_webhooks` queues it again.
WEBHOOKS_SWEEP_GRACE_SECONDS = env_int("WEBHOOKS_SWEEP_GRACE_SECONDS", 300)

# Logging. Preview tokens are secrets in URLs (api/preview.py): every handler here
# redacts them (site_config/log_redaction.py), and so does gunicorn's access log.
# runserver's request log is Django's own, plus the filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "site_config.log_redaction.RedactSecretsFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        }
    },
    "loggers": {"django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False}},
}

# Feeds (api/feeds.py): entries per feed, newest first.
FEED_ITEMS = env_int("FEED_ITEMS", 30)
# Sitemaps (api/sitemaps.py): URLs per sitemap file; over it /sitemap.xml is an index.
# 50,000 is the sitemaps.org limit.
SITEMAP_MAX_URLS = env_int("SITEMAP_MAX_URLS", 50_000)
