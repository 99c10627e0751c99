"""Backups of the database and local media, and their restore.

A backup is a folder ``<stamp>/`` holding ``database.dump`` (PostgreSQL custom
format, from pg_dump) or ``database.sqlite3`` (SQLite's online backup), plus
``media.tar.gz`` when media is on the local filesystem, and ``manifest.json``.
Media on object storage is not copied: use the bucket's versioning and
replication for that.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, connections


def _run_pg_client(tool, *arguments):
    """Run pg_dump or pg_restore against the default database (connection options from settings)."""
    db = settings.DATABASES["default"]
    connection_options = [
        f"--host={db.get('HOST') or 'localhost'}",
        f"--port={db.get('PORT') or 5432}",
        f"--username={db.get('USER') or 'postgres'}",
        f"--dbname={db['NAME']}",
    ]
    subprocess.run(  # noqa: S603 - fixed PostgreSQL client binary, arguments from settings
        [tool, *connection_options, *arguments],
        env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
        check=True,
    )


def _local_media_root():
    """MEDIA_ROOT when media is on the local filesystem; None on object storage."""
    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def backup(output_dir):
    """Write a backup under ``output_dir`` and return its folder."""
    target = Path(output_dir) / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target.mkdir(parents=True, exist_ok=False)
    vendor = connection.vendor
    if vendor == "postgresql":
        _run_pg_client(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target / 'database.dump'}",
        )
    elif vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target / "database.sqlite3") as destination:
            connection.connection.backup(destination)
    else:
        raise RuntimeError(f"no backup method for {vendor}")
    media_root = _local_media_root()
    if media_root is not None and media_root.exists():
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            archive.add(media_root, arcname="media")
    (target / "manifest.json").write_text(
        json.dumps({"created": target.name, "database": vendor, "media": media_root is not None}, indent=2)
    )
    return target


def restore(source):
    """Restore the database (replacing its contents) and local media from ``source``."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    if manifest["database"] != connection.vendor:
        raise RuntimeError(f"backup is of {manifest['database']}, this database is {connection.vendor}")
    connections.close_all()
    if connection.vendor == "postgresql":
        _run_pg_client(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            str(source / "database.dump"),
        )
    else:
        with (
            sqlite3.connect(source / "database.sqlite3") as backup_db,
            sqlite3.connect(settings.DATABASES["default"]["NAME"]) as live,
        ):
            backup_db.backup(live)
    media_root = _local_media_root()
    archive_path = source / "media.tar.gz"
    if media_root is not None and archive_path.exists():
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True)
        with tarfile.open(archive_path) as archive:
            for member in archive.getmembers():
                if not member.name.startswith("media"):
                    continue
                member.name = member.name.removeprefix("media").lstrip("/")
                if member.name:
                    archive.extract(member, media_root, filter="data")
