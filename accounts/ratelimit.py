"""A fixed-window rate limit on the shared cache (Redis in production)."""

import time

from django.core.cache import cache, caches
from django.utils.crypto import salted_hmac

from wijkaanpak.redis_cache import RedisCache, count_in

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse(rate: str) -> tuple[int, int]:
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit]


def exceeded(key: str, rate: str) -> bool:
    """Count one hit for ``key``; True when it is over ``rate`` (e.g. "10/h") in this window."""
    return exceeded_and_get_many(key, rate, [])[0]


def exceeded_unlinkable(purpose: str, identity: str, rate: str) -> bool:
    """``exceeded`` for a count that must not say whose it is: the key is an HMAC (under
    SECRET_KEY) of the purpose, the identity and the window, so Redis holds no user id or
    address, and the keys of one person in two windows cannot be matched without the secret.
    The value is a bare count: count every kind of submission under one purpose, so that
    neither key nor value tells what was submitted (see ADR 0008)."""
    return exceeded(unlinkable_key(purpose, identity, rate), rate)


def unlinkable_key(purpose: str, identity: str, rate: str) -> str:
    """The key ``exceeded_unlinkable`` counts under, for ``is_over`` and ``exceeded``."""
    period = parse(rate)[1]
    window = int(time.time() // period)
    digest = salted_hmac(
        f"wijkaanpak.ratelimit.{purpose}", f"{identity}:{window}", algorithm="sha256"
    )
    return f"{purpose}:{digest.hexdigest()[:32]}"


def is_over(key: str, rate: str) -> bool:
    """Whether ``key`` is over ``rate`` in this window already, without counting a hit."""
    limit, period = parse(rate)
    return (cache.get(f"ratelimit:{key}:{int(time.time() // period)}") or 0) >= limit


def exceeded_and_get_many(key: str, rate: str, keys: list[str]) -> tuple[bool, dict]:
    """``exceeded``, plus ``cache.get_many(keys)``: one round trip on Redis."""
    limit, period = parse(rate)
    counter = f"ratelimit:{key}:{int(time.time() // period)}"
    backend = caches["default"]
    # With Redis down the counters are kept in the database meanwhile, and the cached values
    # are missing (``wijkaanpak.redis_cache``): limits hold, pages come from the database.
    if isinstance(backend, RedisCache):
        count, found = backend.count_and_get_many(counter, period, keys)
        return count > limit, found
    return count_in(cache, counter, period) > limit, cache.get_many(keys) if keys else {}
