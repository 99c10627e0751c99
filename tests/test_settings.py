"""Production settings refuse to start without real secrets, or with a proxy setting that would mislead."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_ENV = {
    "SECRET_KEY": "k" * 20 + "-long-random-production-secret-" + "z" * 20,
    "ALLOWED_HOSTS": "api.example.com",
}


def load_production_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    clean.update(env, DJANGO_SETTINGS_MODULE="site_config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_starts_with_a_secret_and_hosts():
    result = load_production_settings(**GOOD_ENV)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "api.example.com"}, "SECRET_KEY environment variable is required"),
        ({"ALLOWED_HOSTS": "api.example.com", "SECRET_KEY": "short"}, "50+ characters"),
        ({"SECRET_KEY": GOOD_ENV["SECRET_KEY"]}, "ALLOWED_HOSTS environment variable is required"),
        ({**GOOD_ENV, "TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more"),
        ({**GOOD_ENV, "API_RATE_TRUST_X_FORWARDED_FOR": "true"}, "set TRUSTED_PROXY_COUNT"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, message):
    result = load_production_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def deploy_check(**env):
    """``manage.py check --deploy --fail-level WARNING`` with the production settings and ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "TASKS_BACKEND")}
    clean.update(GOOD_ENV, DJANGO_SETTINGS_MODULE="site_config.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deploy_checklist():
    result = deploy_check(TASKS_BACKEND="database")
    assert result.returncode == 0, result.stderr + result.stdout


def test_the_deploy_checklist_asks_for_a_task_worker():
    """Without a real queue, renders would run inside editors' requests: the checklist says so."""
    result = deploy_check()
    assert "delivery.W001" in result.stderr + result.stdout
