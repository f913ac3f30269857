"""Issuing and revoking team tokens. A token seen recently is known from the shared cache
(``authentication``); whatever changes a token forgets it there."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts import apikeys

from .models import FeedToken

KIND = "wka"
TOKEN_TTL = 60  # a key seen in the last minute is known from the cache; revoking forgets it


@transaction.atomic
def feed_token_issue(*, team, naam: str, by) -> tuple[FeedToken, str]:
    """Make a token; the returned key is shown once and never stored."""
    made = apikeys.new_key(KIND)
    token = FeedToken.objects.create(
        team=team, naam=naam, prefix=made.prefix, key_hash=made.key_hash, created_by=by
    )
    return token, made.key


@transaction.atomic
def feed_tokens_revoke(*, tokens) -> int:
    """Revoke tokens; they stop working at once, cached or not."""
    tokens = list(tokens.filter(revoked_at=None))
    FeedToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=timezone.now())
    for token in tokens:
        forget_token(token.key_hash)
    return len(tokens)


def token_cache_key(key_hash: str) -> str:
    return f"feedtoken:{key_hash}"


def forget_token(key_hash: str) -> None:
    """Drop a cached token now and again after commit (a request in between may cache it
    anew from the not yet committed state)."""
    cache.delete(token_cache_key(key_hash))
    transaction.on_commit(lambda: cache.delete(token_cache_key(key_hash)))
