"""Backup and restore of the database and the uploaded files (`make backup` / `make restore`).

PostgreSQL: pg_dump's custom format (restored with pg_restore); SQLite: SQLite's online backup
API (a consistent copy even while the app runs). Uploaded files: a tar of MEDIA_ROOT."""

import hashlib
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

DB_DUMP = "db.dump"
DB_SQLITE = "db.sqlite3"
MEDIA_TAR = "media.tar.gz"


def _run_pg_tool(tool: str, *args: str) -> None:
    """Run pg_dump/pg_restore against the configured database (arguments come from settings)."""
    db = settings.DATABASES["default"]
    executable = shutil.which(tool)
    if executable is None:
        raise FileNotFoundError(f"{tool} not found: install the postgresql-client package")
    connection_args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    connection_args += ["-U", db.get("USER") or "postgres"]
    subprocess.run(  # noqa: S603 (fixed executable, arguments from settings)
        [executable, *connection_args, *args], check=True, env={"PGPASSWORD": db.get("PASSWORD") or ""}
    )


def backup(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=False)
    written = []
    if connection.vendor == "postgresql":
        dump = target / DB_DUMP
        _run_pg_tool("pg_dump", "-Fc", "--no-owner", "-f", str(dump), settings.DATABASES["default"]["NAME"])
        written.append(dump)
    else:
        copy = target / DB_SQLITE
        with sqlite3.connect(settings.DATABASES["default"]["NAME"]) as source, sqlite3.connect(copy) as dest:
            source.backup(dest)
        written.append(copy)
    media = Path(settings.MEDIA_ROOT)
    archive = target / MEDIA_TAR
    with tarfile.open(archive, "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname="media")
    written.append(archive)
    return written


def restore(source: Path) -> None:
    """Replace the current database and uploaded files with the backup's."""
    if connection.vendor == "postgresql":
        connection.close()
        _run_pg_tool(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            settings.DATABASES["default"]["NAME"],
            str(source / DB_DUMP),
        )
    else:
        connection.close()
        with (
            sqlite3.connect(source / DB_SQLITE) as backup_db,
            sqlite3.connect(settings.DATABASES["default"]["NAME"]) as live,
        ):
            backup_db.backup(live)
    archive = source / MEDIA_TAR
    if archive.exists():
        _restore_media(archive, Path(settings.MEDIA_ROOT))


def _restore_media(archive: Path, media: Path) -> None:
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent) as scratch:
        with tarfile.open(archive) as tar:
            tar.extractall(scratch, filter="data")  # "data" refuses absolute paths and links out
        if media.exists():
            shutil.rmtree(media)
        extracted = Path(scratch) / "media"
        if extracted.exists():
            extracted.rename(media)


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: row count and a SHA-256 of the rows in primary-key order (for restore drills)."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608 (names from introspection)
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
    return result
