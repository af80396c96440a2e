"""Settings come from the environment; a malformed value stops start-up naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_cache, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("parse", "name", "value"),
    [
        (lambda: env_bool("X_DEBUG", False), "X_DEBUG", "maybe"),
        (lambda: env_int("X_PORT", 25), "X_PORT", "twenty"),
        (lambda: env_int("X_PORT", 25, minimum=1), "X_PORT", "0"),
        (lambda: env_list("X_HOSTS", []), "X_HOSTS", "a.example,,b.example"),
        (lambda: env_database("X_DB", "sqlite:///x"), "X_DB", "mysql://u@h/db"),
        (lambda: env_database("X_DB", "sqlite:///x"), "X_DB", "nonsense"),
        (lambda: env_cache("X_CACHE"), "X_CACHE", "memcached://h"),
    ],
)
def test_malformed_values_name_the_variable(monkeypatch, parse, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        parse()


def test_wellformed_values(monkeypatch):
    monkeypatch.setenv("X_DEBUG", "Yes")
    monkeypatch.setenv("X_HOSTS", "a.example, b.example")
    monkeypatch.setenv("X_DB", "postgres://postgres@127.0.0.1:5432/shigoto")
    assert env_bool("X_DEBUG", False) is True
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]
    assert env_database("X_DB", "")["ENGINE"] == "django.db.backends.postgresql"
    assert env_cache("X_UNSET")["BACKEND"].endswith("LocMemCache")


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="p" * 20 + "Xq7!vR2#kL9@mN4$zT6&wY1*" + "s" * 10,
        DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_SITE_URL="https://example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_warns_of_a_server_without_its_address():
    """Without DJANGO_SITE_URL, e-mailed notices would link to a bare path (no request to read it from)."""
    result = _manage(
        "check",
        "--deploy",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="p" * 20 + "Xq7!vR2#kL9@mN4$zT6&wY1*" + "s" * 10,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    assert "shigoto.W001" in result.stderr + result.stdout and "DJANGO_SITE_URL" in result.stderr + result.stdout


@pytest.mark.slow
def test_startup_stops_on_a_malformed_variable():
    result = _manage("check", DJANGO_DEBUG="sometimes")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


@pytest.mark.slow
def test_production_needs_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="false")
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
