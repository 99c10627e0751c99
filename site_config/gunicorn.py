"""gunicorn settings for production (``gunicorn -c site_config/gunicorn.py site_config.wsgi``).

Every value can be overridden from the environment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the API is CPU-bound Django; scale with cores.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so slow leaks never become an outage.
max_requests = 2000
max_requests_jitter = 200
# Honour X-Forwarded-* only from the proxy in front of us.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The default access-log format, with preview tokens (secrets in query strings and
# referers) redacted from every line.
logger_class = "site_config.log_redaction.RedactingGunicornLogger"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
