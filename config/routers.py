"""Send reads to the replica and writes to the primary (used when DATABASE_REPLICA_URL is set).

Reads fall back to the primary when the replica does not answer: a request that finds it down
(or its connection broken) marks it down in this process for REPLICA_RETRY_SECONDS and reads
from the primary meanwhile; after that the next read tries the replica again. Only a query
already running on the replica when it stops can fail.

A job (a binder, an import…) reads everything from the primary (`jobs.running`).

Read your own writes: after a request that may have written (POST, PUT, PATCH, DELETE) the
browser gets a short-lived cookie, and its requests read from the primary until it expires
(REPLICA_PIN_SECONDS), so a page shown right after a save never lags behind it."""

import contextlib
import contextvars
import logging
import time
from typing import Any

from django.db import DatabaseError, connections, transaction

from jobs.running import running_job

LOGGER = logging.getLogger(__name__)
REPLICA = "replica"
# Always read from the primary: the task queue and job progress are read right after they are
# written (a job page straight after queueing, the worker picking up a task) and a lagging
# replica would answer "not found".
PRIMARY_ONLY_APPS = {"jobs", "django_tasks_database"}  # django_tasks_database: django-tasks-db's label
REPLICA_RETRY_SECONDS = 5.0
REPLICA_PIN_SECONDS = 5
PIN_COOKIE = "read_primary"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

_pinned = contextvars.ContextVar("read_primary", default=False)
_down_until = 0.0


def replica_available() -> bool:
    """Whether the replica answers, checked at most once per request (Django's health check)
    and not at all while it is marked down."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    connection: Any = connections[REPLICA]
    try:
        if connection.connection is not None and connection.health_check_enabled and not connection.health_check_done:
            connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        _down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        LOGGER.warning("read replica unavailable: reading from the primary for %s s", REPLICA_RETRY_SECONDS)
        with contextlib.suppress(DatabaseError):
            connection.close()
        return False
    return True


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS or _pinned.get() or running_job.get():
            return "default"
        # Inside a transaction on the primary, read your own writes from the primary.
        if not transaction.get_autocommit(using="default"):
            return "default"
        return REPLICA if replica_available() else "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # both aliases hold the same data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"


class ReadYourWritesMiddleware:
    """Reads from the primary during a writing request and for REPLICA_PIN_SECONDS after it
    (a cookie carries the deadline to whichever app server answers next)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        writes = request.method in UNSAFE_METHODS
        try:
            pinned_until = float(request.COOKIES.get(PIN_COOKIE, "0"))
        except ValueError:
            pinned_until = 0.0
        token = _pinned.set(writes or pinned_until > time.time())
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time() + REPLICA_PIN_SECONDS:.0f}",
                max_age=REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
