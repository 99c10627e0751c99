"""Scratch databases for tests that run Django in another process.

On the suite's own kind of database: a SQLite file by default, a fresh PostgreSQL
database on the same server when DATABASE_URL points at PostgreSQL (as in .ci/run's
second pass), so those tests prove the production path too.
"""

import contextlib
import os
import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _psql(sql, check=True):
    parts = urlsplit(os.environ["DATABASE_URL"])
    host, port, user = parts.hostname or "127.0.0.1", str(parts.port or 5432), parts.username or "postgres"
    subprocess.run(["psql", "-h", host, "-p", port, "-U", user, "-q", "-c", sql], check=check)


@contextlib.contextmanager
def scratch_database(prefix, directory):
    """Yield the URL of an empty database, dropped afterwards (SQLite: a file in ``directory``)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    if not ON_POSTGRES:
        path = directory / f"{name}.sqlite3"
        path.touch()
        yield f"sqlite:///{path}"
        return
    _psql(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
    finally:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", check=False)
