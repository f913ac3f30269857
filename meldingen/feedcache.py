"""Feed pages cached until anything they show changes.

Officers' screens and team systems poll the feed far more often than meldingen change. A page
is cached under the current *feed version*, a counter in the shared cache that is bumped after
every commit that changes a melding, a category or a team's area (see ``signals.py``). A reader
asks for the version first, so it never gets a page older than the last committed change; a
page cached from a read that raced a commit sits under the old version and is never read again.

The cache is an optimisation, never a dependency: with Redis down it answers as an empty cache
(``wijkaanpak.redis_cache``), so pages are built from the database. Reference data changed
outside the ORM (a bulk CBS import renaming a buurt), or during a Redis outage, shows within
``PAGE_TTL``.

What depends on the clock alone is not cached: a page holds rows (status, deadline), and
whether a melding is overdue ("te laat", ``Melding.is_overdue_now``) is decided when the page
is rendered. A deadline passing changes no row and bumps no version, yet shows on the next
request, without a shorter TTL or a clock in the key. The team API caches its answer as JSON,
flags included: with it goes the next deadline on the page, after which it is built anew.
"""

import contextlib
import hashlib
import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "feed:version"
# The filter options (categories, a team's wijken) change far less often than meldingen: they
# have a version of their own, so a busy feed does not rebuild them with every page.
CHOICES_VERSION_KEY = "feed:choices-version"
PAGE_TTL = 300


def version(current: int | None = None, *, of: str = VERSION_KEY) -> int | None:
    """The feed version (``current`` if the caller already fetched it with other keys), or
    None when the cache cannot be reached. ``of``: which version."""
    if current is None:
        current = cache.get(of)
    if current is None:
        # After a cache flush, start above any version handed out before: nanoseconds since
        # the epoch grow faster than a counter bumped once per change ever could.
        cache.add(of, time.time_ns(), timeout=None)
        current = cache.get(of)
    return current


def versions() -> tuple[int | None, int | None]:
    """The feed version and the filter options' version, in one round trip."""
    found = cache.get_many([VERSION_KEY, CHOICES_VERSION_KEY])
    return (
        version(found.get(VERSION_KEY)),
        version(found.get(CHOICES_VERSION_KEY), of=CHOICES_VERSION_KEY),
    )


def bump(*, choices: bool = False) -> None:
    # Not there (flushed, or Redis down): the next reader starts a fresh, higher one.
    for of in (VERSION_KEY, CHOICES_VERSION_KEY) if choices else (VERSION_KEY,):
        with contextlib.suppress(ValueError):
            cache.incr(of)


def bump_on_commit(*, choices: bool = False) -> None:
    transaction.on_commit(lambda: bump(choices=choices))


def key(*parts, at_version: int | None = None, of: str = VERSION_KEY) -> str | None:
    """A cache key for a page: the version plus whatever decides its content (None: do not
    cache, the version is unknown). ``at_version``: the version if the caller fetched it;
    ``of``: which version (the feed's, or the filter options')."""
    current = version(at_version, of=of)
    if current is None:
        return None
    digest = hashlib.blake2b(repr((of, *parts)).encode(), digest_size=16).hexdigest()
    return f"feed:{current}:{digest}"


def filters_key(filters: dict) -> tuple:
    """The feed filters as part of a key. A period ("last 24 hours") moves with the clock, not
    with changes: such pages are keyed to the minute as well. A search text is part of the key
    like any filter, never in clear: ``key`` makes a digest of it all."""
    minute = int(time.time() // 60) if filters.get("periode") else None
    return (*sorted((name, str(value)) for name, value in filters.items()), minute)


def get_or_build(page_key: str | None, build):
    if page_key is None:
        return build()
    page = cache.get(page_key)
    if page is None:
        page = build()
        store(page_key, page)
    return page


def store(page_key: str, page) -> None:
    cache.set(page_key, page, PAGE_TTL)
