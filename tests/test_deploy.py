"""Deployment pieces: read replica routing, connection pooling, JSON logs, gunicorn config."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from config.env import env_database
from config.logging import JsonFormatter
from config.routers import PrimaryReplicaRouter
from registry.models import Employer

ROOT = Path(__file__).resolve().parents[1]


def test_router_reads_from_the_replica_and_writes_to_the_primary(transactional_db):
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Employer) == "replica"
    assert router.db_for_write(Employer) == "default"
    with transaction.atomic():
        # Read-your-writes: inside a transaction everything stays on the primary.
        assert router.db_for_read(Employer) == "default"
    assert router.allow_migrate("default", "registry")
    assert not router.allow_migrate("replica", "registry")


@pytest.mark.slow
def test_settings_route_querysets_when_a_replica_is_configured(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE")}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3",
        "DATABASE_REPLICA_URL": f"sqlite:///{tmp_path}/r.sqlite3",
    }
    code = (
        "from django.db import router; from registry.models import Employer; "
        "print(Employer.objects.all().db, router.db_for_write(Employer))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[-2:] == ["replica", "default"]


def test_pool_option_for_postgresql(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://postgres@127.0.0.1:5432/shigoto")
    config = env_database("X_DB", "", pool=True)
    assert config["OPTIONS"]["pool"]["max_size"] == 10
    assert config["CONN_MAX_AGE"] == 0
    assert "pool" not in env_database("X_DB", "").get("OPTIONS", {})


def test_json_log_lines():
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x",), None)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["message"] == "Not Found: /x" and line["logger"] == "django.request"


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    namespace: dict = {}
    exec((ROOT / "config/gunicorn.conf.py").read_text(), namespace)  # noqa: S102 (our own config file)
    assert namespace["workers"] == 4
    assert namespace["max_requests"] > 0
