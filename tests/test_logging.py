"""Preview tokens never reach a log: gunicorn's access log, runserver's request log and
the production handlers all redact them (a token in a log file reads a draft)."""

import io
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.core.servers.basehttp import WSGIRequestHandler
from gunicorn.app.base import Application

from tests.test_settings import GOOD_ENV

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "eyJrZXkiOiJzZWNyZXQifQ:1vQx2A:c2lnbmF0dXJl"
PREVIEW_PATH = "/api/v2/preview/"
PREVIEW_QUERY = f"content_type=reviews.reviewpage&token={TOKEN}"
FRONTEND_REFERER = f"https://preview.marquee.test/preview/?{PREVIEW_QUERY}"


class ProductionGunicornConfig(Application):
    """site_config/gunicorn.py, loaded by gunicorn's own config loader (no command line)."""

    def load_config(self):
        self.load_config_from_file(str(ROOT / "site_config" / "gunicorn.py"))

    def load(self):
        raise NotImplementedError  # only the configuration is wanted


def gunicorn_access_line(tmp_path):
    cfg = ProductionGunicornConfig().cfg
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    logger = cfg.logger_class(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{PREVIEW_PATH}?{PREVIEW_QUERY}",
        "PATH_INFO": PREVIEW_PATH,
        "QUERY_STRING": PREVIEW_QUERY,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": FRONTEND_REFERER,
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    request = SimpleNamespace(headers=[("HOST", "api.marquee.test"), ("REFERER", FRONTEND_REFERER)])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "application/json")])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text()


def test_gunicorn_access_log_redacts_preview_tokens(tmp_path):
    line = gunicorn_access_line(tmp_path)
    assert f"GET {PREVIEW_PATH}?content_type=reviews.reviewpage&token=[redacted] HTTP/1.1" in line
    assert TOKEN not in line


def test_runserver_request_log_redacts_preview_tokens():
    """Django's development server logs each request line through ``django.server``."""
    # The console handler from settings (pytest adds capturing handlers of its own).
    (handler,) = [h for h in logging.getLogger("django.server").handlers if type(h) is logging.StreamHandler]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        server = SimpleNamespace(request=None, log_date_time_string=lambda: "01/Jun/2030 12:00:00")
        requestline = f"GET {PREVIEW_PATH}?{PREVIEW_QUERY} HTTP/1.1"
        WSGIRequestHandler.log_message(server, '"%s" %s %s', requestline, "403", "80")
    finally:
        handler.setStream(previous)
    assert PREVIEW_PATH in buffer.getvalue()
    assert TOKEN not in buffer.getvalue()


def test_production_log_handlers_redact_preview_tokens():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(GOOD_ENV, DJANGO_SETTINGS_MODULE="site_config.settings.production", LOG_LEVEL="INFO")
    code = (
        "import django, logging; django.setup(); "
        f"logging.getLogger('django.request').warning('Forbidden: %s', {FRONTEND_REFERER!r}); "
        f"logging.getLogger('api').info('preview read %s', {PREVIEW_QUERY!r})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Forbidden: https://preview.marquee.test/preview/" in result.stderr
    assert "preview read content_type=reviews.reviewpage" in result.stderr
    assert TOKEN not in result.stderr
