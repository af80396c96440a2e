"""Strict environment parsing: a malformed value stops start-up naming the variable."""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no, on/off).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_choice(name: str, default: str, choices: list[str]) -> str:
    raw = os.environ.get(name) or default
    if raw not in choices:
        raise ImproperlyConfigured(f"{name}={raw!r} must be one of: {', '.join(choices)}.")
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty item (comma-separated list expected).")
    return items


# Executions of the same SQL on one connection before psycopg prepares it (psycopg's default).
PREPARE_AFTER = 5


def env_database(name: str, default: str, *, pool: bool = False, prepare: bool = True) -> dict:
    """A database from a URL. With `pool`, PostgreSQL connections come from a psycopg pool
    (persistent connections are then off: the pool keeps them). With `prepare`, PostgreSQL
    binds parameters itself and keeps a query it has seen PREPARE_AFTER times on a connection
    as a prepared statement, so its plan is re-used: planning the joins of visibility and of a
    program's page cost more than running them (docs/performance-history.md, section 7). PgBouncer in
    transaction mode before 1.21 cannot carry prepared statements: turn `prepare` off there."""
    import dj_database_url

    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if config.get("ENGINE") not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(f"{name}: only sqlite:// and postgres:// URLs are supported.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
    elif pool:
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config.setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": 10, "timeout": 10}
    if config["ENGINE"] == "django.db.backends.postgresql" and prepare:
        config.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=PREPARE_AFTER)
    return config


def env_cache(name: str) -> dict:
    raw = os.environ.get(name, "")
    if not raw:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if raw.startswith(("redis://", "rediss://")):
        # Degrades to misses while Redis does not answer (config/cache.py); short timeouts so
        # that a Redis that hangs does not hold requests up.
        return {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": raw,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    raise ImproperlyConfigured(f"{name}={raw!r}: expected a redis:// URL or nothing (local memory cache).")


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate such as "600/hour" → (600, 3600): at most that many requests per period."""
    raw = (os.environ.get(name) or default).strip()
    count, _, period = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate: use <requests>/<period> with period one of "
            f"{', '.join(RATE_PERIODS)} (e.g. 600/hour)."
        )
    return int(count), RATE_PERIODS[period]
