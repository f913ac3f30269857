"""The project's cache: Django's own Redis cache (``django.core.cache.backends.redis``) with
three additions, each for a reason recorded in ADR 0013 (with the numbers):

1. **Failing open for pages, closed for security counters.** The cache is an optimisation,
   never a dependency: with Redis unreachable every call logs a warning and answers as an empty
   cache would (``get`` the default, ``add`` "added", ``incr`` "missing"), so pages are built
   from the database and residents can still sign in and report (ADR 0007). Security counters
   are the exception (``SECURITY_PREFIXES``: our rate limits, allauth's rate limits on sign-in,
   TOTP, sign-up and resets, and allauth's record of used TOTP codes): while Redis is
   unreachable they are kept in the cache named by ``OPTIONS["FALLBACK"]`` (a database cache,
   ``accounts.SecurityCacheEntry``), so brute force and code replay stay stopped (ADR 0008).
   Used TOTP codes are written to both, always: a code used just before Redis went away is
   still refused just after. No maintained backend does this: django-redis's
   ``IGNORE_EXCEPTIONS`` fails open for every key, security counters included.
2. **One redis-py client per role, not one per call.** Django 5.2 builds a ``redis.Redis`` for
   every cache operation; with redis-py 8 that constructor registers ~170 response callbacks
   and costs about as much CPU as the round trip itself.
3. **A rate-limit counter read together with cached values** (``count_and_get_many``): the JSON
   feed's hot path is one round trip instead of four.
"""

import logging

import redis
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

# What a cache call raises when Redis cannot be reached.
CACHE_ERRORS = (redis.RedisError, OSError)

# Keys (before Django's prefix) whose answers must not fail open.
SECURITY_PREFIXES = ("ratelimit:", "allauth:rl:", "allauth.mfa.totp.used")
# Keys kept in the fallback even while Redis works.
ALWAYS_BOTH_PREFIXES = ("allauth.mfa.totp.used",)


def is_security_key(key: str) -> bool:
    return key.startswith(SECURITY_PREFIXES)


def _unavailable(operation: str) -> None:
    logger.warning("cache unavailable, %s answered as by an empty cache", operation)


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's client, keeping the redis-py client it builds (one for reads, one for writes:
    with one server in ``LOCATION``, as here, both use its one connection pool). A client is
    safe to share between threads, and its pool reconnects after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
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
        options = dict(params.get("OPTIONS") or {})
        self._fallback_alias = options.pop("FALLBACK", None)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = RedisCacheClient  # Django has no option for the client class (ADR 0013)

    @property
    def fallback(self):
        """The cache that keeps security counters while Redis is away (None: not configured)."""
        if self._fallback_alias is None:
            return None
        from django.core.cache import caches

        return caches[self._fallback_alias]

    def _fallback_for(self, key):
        return self.fallback if is_security_key(key) else None

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
            fallback = self._fallback_for(counter)
            return (count_in(fallback, counter, period) if fallback else 0), {}
        return count, {made[key]: value for key, value in found.items()}

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_ERRORS:
            _unavailable("get")
            fallback = self._fallback_for(key)
            return fallback.get(key, default, version) if fallback else default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except CACHE_ERRORS:
            _unavailable("get_many")
            secure = [key for key in keys if is_security_key(key)]
            return self.fallback.get_many(secure, version) if secure and self.fallback else {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except CACHE_ERRORS:
            _unavailable("has_key")
            fallback = self._fallback_for(key)
            return fallback.has_key(key, version) if fallback else False

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        fallback = self._fallback_for(key)
        try:
            added = super().add(key, value, timeout, version)
        except CACHE_ERRORS:
            _unavailable("add")
            if fallback:
                return fallback.add(key, value, self._timeout(timeout), version)
            return True  # as if taken: a lock or a first hit lets the request through
        if fallback and key.startswith(ALWAYS_BOTH_PREFIXES):
            # Both must accept: the fallback remembers what was used before an outage.
            return fallback.add(key, value, self._timeout(timeout), version) and added
        return added

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except CACHE_ERRORS:
            _unavailable("set")
            fallback = self._fallback_for(key)
            if fallback:
                fallback.set(key, value, self._timeout(timeout), version)

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except CACHE_ERRORS:
            _unavailable("set_many")
            secure = {key: value for key, value in data.items() if is_security_key(key)}
            if secure and self.fallback:
                self.fallback.set_many(secure, self._timeout(timeout), version)
            return [key for key in data if key not in secure or not self.fallback]

    def _timeout(self, timeout):
        """The timeout as given to this cache, for the fallback (whose default may differ)."""
        return self.default_timeout if timeout is django_redis.DEFAULT_TIMEOUT else timeout

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
            fallback = self._fallback_for(key)
            if fallback:
                return fallback.incr(key, delta, version)
            raise ValueError(f"Key '{key}' not found") from None  # as an empty cache answers

    def delete(self, key, version=None):
        fallback = self._fallback_for(key)
        if fallback and key.startswith(ALWAYS_BOTH_PREFIXES):
            fallback.delete(key, version)
        try:
            return super().delete(key, version)
        except CACHE_ERRORS:
            _unavailable("delete")
            return fallback.delete(key, version) if fallback else False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except CACHE_ERRORS:
            _unavailable("delete_many")
            secure = [key for key in keys if is_security_key(key)]
            if secure and self.fallback:
                self.fallback.delete_many(secure, version)


def count_in(cache, counter: str, period: int) -> int:
    """A fixed-window hit counter in any Django cache."""
    if cache.add(counter, 1, period):
        return 1
    try:
        return cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.add(counter, 1, period)
        return 1
