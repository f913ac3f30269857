"""A trivial task: the reference point for what the worker and broker cost per task."""

from functools import cache

import redis
from django.conf import settings

from wijkaanpak.celery import app


@cache
def _redis():
    return redis.Redis.from_url(settings.REDIS_URL)


@app.task
def tick(counter: str) -> None:
    """Nothing but one INCR, so the benchmark can count completions."""
    _redis().incr(counter)
