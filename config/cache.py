"""The shared cache on Redis, made to degrade instead of failing: while Redis does not answer
(a restart, a failover), reads miss and writes are dropped, so pages are computed from
PostgreSQL as if the cache were empty. Nothing the app keeps only in the cache is lost that way:
sessions are `cached_db` (PostgreSQL behind the cache), rendered PDFs and facet choices are made
again. `make drill` restarts Redis under load."""

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

LOGGER = logging.getLogger(__name__)


def _redis_errors() -> tuple[type[Exception], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class ResilientRedisCacheClient(RedisCacheClient):
    def _unavailable(self, operation: str, error: Exception) -> None:
        LOGGER.warning("cache unavailable (%s): %s", operation, error)

    def get(self, key: Any, default: Any) -> Any:
        try:
            return super().get(key, default)
        except _redis_errors() as error:
            self._unavailable("get", error)
            return default

    def get_many(self, keys: Any) -> dict[Any, Any]:
        try:
            return super().get_many(keys)
        except _redis_errors() as error:
            self._unavailable("get_many", error)
            return {}

    def has_key(self, key: Any) -> bool:
        try:
            return super().has_key(key)
        except _redis_errors() as error:
            self._unavailable("has_key", error)
            return False

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        try:
            return super().add(key, value, timeout)
        except _redis_errors() as error:
            self._unavailable("add", error)
            return False

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        try:
            super().set(key, value, timeout)
        except _redis_errors() as error:
            self._unavailable("set", error)

    def set_many(self, data: Any, timeout: Any) -> None:
        try:
            super().set_many(data, timeout)
        except _redis_errors() as error:
            self._unavailable("set_many", error)

    def touch(self, key: Any, timeout: Any) -> bool:
        try:
            return super().touch(key, timeout)
        except _redis_errors() as error:
            self._unavailable("touch", error)
            return False

    def delete(self, key: Any) -> bool:
        try:
            return super().delete(key)
        except _redis_errors() as error:
            self._unavailable("delete", error)
            return False

    def delete_many(self, keys: Any) -> None:
        try:
            super().delete_many(keys)
        except _redis_errors() as error:
            self._unavailable("delete_many", error)

    def incr(self, key: Any, delta: Any) -> Any:
        """Callers already handle a missing key (ValueError): an unavailable cache is one."""
        try:
            return super().incr(key, delta)
        except _redis_errors() as error:
            self._unavailable("incr", error)
            raise ValueError(f"Key '{key}' not found (cache unavailable).") from error


class ResilientRedisCache(RedisCache):
    def __init__(self, server: Any, params: Any) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
