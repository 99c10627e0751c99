"""Graceful failure, proven against a real server process.

A gunicorn worker with the production settings is started against a database
that is unreachable (a closed port), or reachable through a TCP proxy the test
can cut and restore, so the failure is the real driver's, not a mock's.
"""

import contextlib
import json
import os
import socket
import sys
import threading

import pytest

from tests.api.conftest import documented_response, schema_errors
from tests.processes import ServerProcess, free_port, http_get

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def get(url):
    """(status, headers, parsed JSON) without raising on 4xx/5xx."""
    status, headers, body = http_get(url)
    return status, headers, json.loads(body)


def gunicorn(database_url, redis_url=None, conn_max_age=0):
    """One gunicorn worker, production settings, on ``database_url`` (and ``redis_url``)."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")},
        "DJANGO_SETTINGS_MODULE": "site_config.settings.production",
        "SECRET_KEY": "fault-test-" + "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": str(conn_max_age),
        "LOG_LEVEL": "CRITICAL",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "site_config.wsgi:application",
        "-w",
        "1",
        "-b",
        f"127.0.0.1:{port}",
    ]
    return ServerProcess(command, port=port, env=env, ready_path="/healthz")


def test_unreachable_database_gets_json_503_with_retry_after():
    closed = free_port()
    with gunicorn(f"postgres://postgres@127.0.0.1:{closed}/nowhere") as server:
        status, headers, body = get(server.url("/api/v2/pages/?type=reviews.ReviewPage"))
        assert status == 503
        assert body == {"message": "service temporarily unavailable", "status": 503}
        assert headers["Retry-After"] == "5"
        assert headers["Content-Type"] == "application/json"
        documented = documented_response("/api/v2/pages/", 503)["content"]["application/json"]["schema"]
        assert schema_errors(documented, body) == []

        assert get(server.url("/healthz"))[0] == 200
        status, _, body = get(server.url("/readyz"))
        assert status == 503
        assert body["checks"]["database"]["ok"] is False


class Proxy:
    """A TCP proxy to PostgreSQL that the test can cut (refusing and dropping connections) and restore."""

    def __init__(self, target_port):
        self.port = free_port()
        self.target_port = target_port
        self.connections = []
        self.listener = None

    def up(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # unblocks accept()
        self.listener.close()
        for sock in self.connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.connections.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL on PostgreSQL (run by .ci/run)")
@pytest.mark.django_db
def test_api_recovers_by_itself_when_the_database_returns_and_survives_a_dead_redis():
    from django.db import connection

    settings_dict = connection.settings_dict
    proxy = Proxy(int(settings_dict["PORT"] or 5432))
    proxy.up()
    database_url = f"postgres://{settings_dict['USER']}@127.0.0.1:{proxy.port}/{settings_dict['NAME']}"
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    with gunicorn(database_url, redis_url=dead_redis) as server:
        listing = server.url("/api/v2/pages/")
        assert get(listing)[0] == 200  # Redis down: served from the database

        proxy.down()
        status, headers, _ = get(listing)
        assert status == 503 and headers["Retry-After"]

        proxy.up()
        assert get(listing)[0] == 200  # no restart needed
    proxy.down()


@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL on PostgreSQL (run by .ci/run)")
@pytest.mark.django_db
def test_a_persistent_connection_cut_while_idle_costs_no_request():
    """The store's reads skip Django's per-request ``SELECT 1`` health check and are their own:
    a connection the server dropped between requests (a restart, a failover, an idle timeout)
    is replaced and the read runs again, so the client never sees it."""
    from django.db import connection

    settings_dict = connection.settings_dict
    proxy = Proxy(int(settings_dict["PORT"] or 5432))
    proxy.up()
    database_url = f"postgres://{settings_dict['USER']}@127.0.0.1:{proxy.port}/{settings_dict['NAME']}"
    with gunicorn(database_url, conn_max_age=600) as server:
        listing = server.url("/api/v2/pages/?type=reviews.ReviewPage")
        assert get(listing)[0] == 200  # the worker now holds a connection

        proxy.down()  # drops it
        proxy.up()
        for _ in range(3):
            assert get(listing)[0] == 200
    proxy.down()
