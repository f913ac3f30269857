"""A fixed-window rate limit on the shared cache (Redis in production)."""

import time

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse(rate: str) -> tuple[int, int]:
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit]


def exceeded(key: str, rate: str) -> bool:
    """Count one hit for ``key``; True when it is over ``rate`` (e.g. "10/h") in this window."""
    limit, period = parse(rate)
    cache_key = f"ratelimit:{key}:{int(time.time() // period)}"
    if cache.add(cache_key, 1, period):
        return limit < 1
    try:
        return cache.incr(cache_key) > limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, period)
        return False
