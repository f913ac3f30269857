"""Django's Redis cache, failing open, with one redis-py client per connection pool instead of
one per call, and a rate-limit counter read together with cached values.

The cache is an optimisation, never a dependency: with Redis unreachable every call logs a
warning and answers as an empty cache would (``get`` the default, ``add`` "added", ``incr``
"missing"), so pages are built from the database, rate limits and allauth's locks let requests
through, and residents can still sign in and report. (django-redis calls this
``IGNORE_EXCEPTIONS``.)

Django 5.2 builds a new ``redis.Redis`` for every cache operation; with redis-py 8 that
constructor registers ~170 response callbacks and takes longer than the Redis round trip
itself (0.13 ms of CPU per operation here, half the cost of a cached feed page). A client is
safe to share between threads, and its pool reconnects after a fork, so one per pool is enough.
"""

import logging

import redis
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

# What a cache call raises when Redis cannot be reached.
CACHE_ERRORS = (redis.RedisError, OSError)


def _unavailable(operation: str) -> None:
    logger.warning("cache unavailable, %s answered as by an empty cache", operation)


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def count_and_get_many(self, counter, period, keys):
        pipe = self.get_client(write=True).pipeline(transaction=False)
        pipe.incr(counter)
        pipe.expire(counter, period, nx=True)
        pipe.mget(keys)
        count, _expiry_set, values = pipe.execute()
        loads = self._serializer.loads
        return count, {k: loads(v) for k, v in zip(keys, values, strict=True) if v is not None}


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_and_get_many(self, counter: str, period: int, keys: list[str]) -> tuple[int, dict]:
        """INCR ``counter`` (expiring after ``period`` seconds from its first hit) and read
        ``keys``, in one round trip: for rate-limited requests served from the cache."""
        made = {self.make_and_validate_key(key): key for key in keys}
        try:
            count, found = self._cache.count_and_get_many(
                self.make_and_validate_key(counter), period, list(made)
            )
        except CACHE_ERRORS:
            _unavailable("count_and_get_many")
            return 0, {}
        return count, {made[key]: value for key, value in found.items()}

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_ERRORS:
            _unavailable("get")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except CACHE_ERRORS:
            _unavailable("get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except CACHE_ERRORS:
            _unavailable("has_key")
            return False

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except CACHE_ERRORS:
            _unavailable("add")
            return True  # as if taken: a lock or a first hit lets the request through

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except CACHE_ERRORS:
            _unavailable("set")

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except CACHE_ERRORS:
            _unavailable("set_many")
            return list(data)

    def touch(self, key, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except CACHE_ERRORS:
            _unavailable("touch")
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except CACHE_ERRORS:
            _unavailable("incr")
            raise ValueError(f"Key '{key}' not found") from None  # as an empty cache answers

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except CACHE_ERRORS:
            _unavailable("delete")
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except CACHE_ERRORS:
            _unavailable("delete_many")
