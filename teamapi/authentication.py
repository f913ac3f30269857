"""``Authorization: Bearer wka_…``: how a team's system is recognised, in one round trip to the
shared cache on the hot path (the token as last seen, its rate-limit count, and whatever the
view asks for with ``TeamAPIView.cache_keys``)."""

import logging

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from accounts import apikeys, ratelimit
from wijkaanpak.proxies import rate_limit_key

from . import throttling
from .models import FeedToken
from .services import KIND, TOKEN_TTL, token_cache_key

logger = logging.getLogger(__name__)

WRONG_KEYS_PER_IP = "20/m"  # well-formed keys that match no token: guessing, or a stale config


def _token_from_db(prefix: str, key_hash: str) -> FeedToken:
    token = (
        FeedToken.objects.select_related("team")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not apikeys.matches_hash(key_hash, token.key_hash):
        raise exceptions.AuthenticationFailed
    # Read from the database at most once per TOKEN_TTL: "last used" is exact to that.
    FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    cache.set(token_cache_key(key_hash), token, TOKEN_TTL)
    return token


def _token_from_db_limited(request, prefix: str, key_hash: str) -> FeedToken:
    """``_token_from_db``, but an address that keeps sending keys that match nothing is
    stopped (429) before it costs a database query per guess."""
    wrong = f"api:wrong-key:{rate_limit_key(request)}"
    if ratelimit.is_over(wrong, WRONG_KEYS_PER_IP):
        period = ratelimit.parse(WRONG_KEYS_PER_IP)[1]
        raise exceptions.Throttled(wait=period - timezone.now().timestamp() % period)
    try:
        return _token_from_db(prefix, key_hash)
    except exceptions.AuthenticationFailed:
        ratelimit.exceeded(wrong, WRONG_KEYS_PER_IP)
        logger.warning("wrong team key", extra={"prefix": prefix})
        raise


class TeamTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer wka_…``: a team's system. ``request.auth`` is the ``FeedToken``;
    ``request.user`` stays anonymous (a system, not a person). No header: anonymous; a wrong,
    unknown or revoked key: 401. ``request.cached`` holds what the view's ``cache_keys`` named,
    fetched in the same round trip as the token."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _space, key = header.partition(" ")
        key = key.strip()
        prefix = apikeys.prefix_of(key, KIND) if scheme.lower() == "bearer" else None
        if not prefix:
            raise exceptions.AuthenticationFailed
        key_hash = apikeys.hash_key(key)
        token_key = token_cache_key(key_hash)
        view = (request.parser_context or {}).get("view")
        wanted = view.cache_keys(request, key_hash) if hasattr(view, "cache_keys") else []
        # One round trip counts the request against the key's limit (see PerTokenThrottle) and
        # fetches the token as last seen with what the view wants.
        request.over_limit, request.cached = ratelimit.exceeded_and_get_many(
            f"feedtoken:{key_hash[:32]}", throttling.REQUESTS_PER_TOKEN, [token_key, *wanted]
        )
        token = request.cached.get(token_key)
        if token is None:
            token = _token_from_db_limited(request, prefix, key_hash)
        return AnonymousUser(), token

    def authenticate_header(self, request):
        return 'Bearer realm="wijkaanpak"'


class TeamTokenScheme(OpenApiAuthenticationExtension):
    target_class = TeamTokenAuthentication
    name = "teamToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A team key (wka_…) that an administrator issues in the admin.",
        }
