"""Abuse limits: API rate limiting, admin lock-out, CSP, upload caps."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import clear_url_caches, reverse

pytestmark = pytest.mark.django_db


def test_anonymous_api_clients_are_rate_limited_with_a_json_429(client, settings):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW = 3, 60
    statuses = [client.get("/api/v2/pages/", REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v2/pages/", REMOTE_ADDR="203.0.113.7")
    assert response.json() == {"message": "rate limit exceeded: 3 requests per 60 seconds", "status": 429}
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another client is unaffected, and so is the admin.
    assert client.get("/api/v2/pages/", REMOTE_ADDR="203.0.113.8").status_code == 200
    assert client.get("/admin/login/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_forwarded_for_is_only_trusted_when_configured(client, settings):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW = 1, 60
    headers = {"REMOTE_ADDR": "10.0.0.1"}
    client.get("/api/v2/pages/", HTTP_X_FORWARDED_FOR="198.51.100.1", **headers)
    assert client.get("/api/v2/pages/", HTTP_X_FORWARDED_FOR="198.51.100.2", **headers).status_code == 429
    settings.API_RATE_TRUST_X_FORWARDED_FOR = True
    assert client.get("/api/v2/pages/", HTTP_X_FORWARDED_FOR="198.51.100.3", **headers).status_code == 200


def test_repeated_failed_admin_logins_lock_the_account_out(client, settings):
    settings.AXES_ENABLED = True
    get_user_model().objects.create_superuser("editor", "editor@example.com", "correct-horse-battery")
    login = reverse("wagtailadmin_login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "editor", "password": "wrong"})
    response = client.post(login, {"username": "editor", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_sends_a_content_security_policy(client):
    response = client.get("/admin/login/")
    policy = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "object-src 'none'" in policy
        and "frame-ancestors 'self'" in policy
    )


@pytest.fixture
def admin_at_desk(settings):
    """The URLconf rebuilt with ADMIN_PATH=desk/, and restored afterwards."""
    import site_config.urls

    settings.ADMIN_PATH = "desk/"
    importlib.reload(site_config.urls)
    clear_url_caches()
    yield
    settings.ADMIN_PATH = "admin/"
    importlib.reload(site_config.urls)
    clear_url_caches()


def test_the_admin_path_is_configurable(client, admin_at_desk):
    assert reverse("wagtailadmin_home") == "/desk/"
    assert client.get("/desk/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
