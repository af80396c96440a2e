"""The bench databases on PostgreSQL: created when missing (UTF-8 locale: trigram and bigram
search need it), dropped on request. No Django here: this runs before settings are loaded."""

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shigoto_bench"


def bench_url(suffix: str = "") -> str:
    """BENCH_DATABASE_URL (default shigoto_bench on 127.0.0.1), with `suffix` on the name."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def django_env(database_url: str) -> dict:
    """The environment of a bench step that runs Django against one bench database."""
    return os.environ | {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}


def scale_url(scale: str) -> str:
    """The database of one seed scale: shigoto_bench for the full data, shigoto_bench_<scale> else."""
    return bench_url("" if scale == "full" else f"_{scale}")


def _admin_connection(url: str) -> psycopg.Connection:
    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def ensure_database(url: str, *, drop: bool = False) -> None:
    name = database_name(url)
    with _admin_connection(url) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                ).format(sql.Identifier(name))
            )


def database_size(url: str) -> int:
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
