"""Abuse limits: API rate limiting, admin lock-out, CSP, upload caps."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
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


LOAD_BALANCER = "10.0.0.1"  # behind one proxy, every request arrives from it
DAY = 86_400  # a rate window no test run straddles


def pages_from(client, forwarded_for, remote_addr=LOAD_BALANCER):
    return client.get("/api/v2/pages/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_without_trusted_proxies_forwarded_for_is_ignored(client, settings):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW, settings.TRUSTED_PROXY_COUNT = 1, DAY, 0
    pages_from(client, "192.0.2.1", remote_addr="198.51.100.7")
    assert pages_from(client, "192.0.2.2", remote_addr="198.51.100.7").status_code == 429


def test_a_forged_first_hop_shares_the_real_clients_rate_limit_bucket(client, settings):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW, settings.TRUSTED_PROXY_COUNT = 1, DAY, 1
    pages_from(client, "192.0.2.1, 198.51.100.7")
    assert pages_from(client, "192.0.2.2, 198.51.100.7").status_code == 429


def test_behind_the_proxy_each_client_has_its_own_rate_limit_bucket(client, settings):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW, settings.TRUSTED_PROXY_COUNT = 1, DAY, 1
    pages_from(client, "198.51.100.7")
    assert pages_from(client, "198.51.100.8").status_code == 200


def test_clients_are_counted_from_the_right_past_every_trusted_proxy(client, settings):
    """A CDN in front of the load balancer: the CDN's address is the last hop, the client's the one before."""
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW, settings.TRUSTED_PROXY_COUNT = 1, DAY, 2
    pages_from(client, "192.0.2.1, 198.51.100.7, 203.0.113.200")
    assert pages_from(client, "198.51.100.7, 203.0.113.201").status_code == 429


def test_repeated_failed_admin_logins_lock_the_account_out(client, settings):
    settings.AXES_ENABLED = True
    get_user_model().objects.create_superuser("editor", "editor@example.com", "correct-horse-battery")
    login = reverse("wagtailadmin_login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "editor", "password": "wrong"})
    response = client.post(login, {"username": "editor", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.fixture
def editor_behind_the_proxy(settings):
    """Lock-out on, one trusted proxy, and an editor with a known password."""
    settings.AXES_ENABLED, settings.TRUSTED_PROXY_COUNT = True, 1
    get_user_model().objects.create_user("editor", "editor@example.com", "correct-horse-battery")


def admin_login(client, password, forwarded_for):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": "editor", "password": password},
        REMOTE_ADDR=LOAD_BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_failed_logins_from_elsewhere_do_not_lock_the_editor_out(client, settings, editor_behind_the_proxy):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(attacker, "wrong", "198.51.100.66")
    # Claiming the editor's address as the first hop changes nothing.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(attacker, "wrong", "203.0.113.5, 198.51.100.66")
    assert admin_login(client, "correct-horse-battery", "203.0.113.5").status_code == 302


def test_failed_logins_lock_out_the_address_they_came_from(client, settings, editor_behind_the_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(client, "wrong", "198.51.100.66")
    assert admin_login(client, "correct-horse-battery", "198.51.100.66").status_code == 429


@pytest.mark.parametrize("forwarded_for", ["", "not-an-address", "198.51.100.66:4431", "," * 50])
def test_a_malformed_forwarded_for_falls_back_to_the_proxys_address(
    client, editor_behind_the_proxy, forwarded_for
):
    """The login form answers (a failed login), not a 500 from storing a non-address."""
    assert admin_login(client, "wrong", forwarded_for).status_code == 200


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
