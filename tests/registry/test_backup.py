"""Restore drill: back up a seeded database, restore it into a new one, compare every table."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _databases(tmp_path: Path):
    """Two fresh databases of the suite's kind: (url_a, url_b, cleanup)."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}", lambda: None
    settings = connection.settings_dict
    base = f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:{settings['PORT'] or 5432}"
    names = [f"drill_{uuid.uuid4().hex[:8]}_{side}" for side in "ab"]
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'CREATE DATABASE "{name}"')

    def cleanup():
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{names[0]}", f"{base}/{names[1]}", cleanup


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_give_back_every_row(tmp_path):
    url_a, url_b, cleanup = _databases(tmp_path)
    base_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_MEDIA_ROOT"}}
    env_a = base_env | {"DATABASE_URL": url_a, "DJANGO_MEDIA_ROOT": str(tmp_path / "media_a")}
    env_b = base_env | {"DATABASE_URL": url_b, "DJANGO_MEDIA_ROOT": str(tmp_path / "media_b")}
    try:
        manage("migrate", "-v0", env=env_a)
        manage("seed_demo", env=env_a)
        (tmp_path / "media_a/photos").mkdir(parents=True)
        (tmp_path / "media_a/photos/negi.jpg").write_bytes(b"\xff\xd8 photo bytes")
        manage("backup", "--to", str(tmp_path / "backup"), env=env_a)
        if connection.vendor == "postgresql":
            manage("migrate", "-v0", env=env_b)  # a restore replaces an existing installation
        manage("restore", "--from", str(tmp_path / "backup"), "--yes", env=env_b)
        before = json.loads(manage("db_fingerprint", env=env_a))
        after = json.loads(manage("db_fingerprint", env=env_b))
    finally:
        cleanup()
    assert before["registry_employer"][0] >= 30
    assert before == after, {
        t: (before.get(t), after.get(t)) for t in before.keys() | after.keys() if before.get(t) != after.get(t)
    }
    assert (tmp_path / "media_b/photos/negi.jpg").read_bytes() == b"\xff\xd8 photo bytes"
    print(f"restore drill: {len(before)} tables, {sum(c for c, _ in before.values())} rows identical")
