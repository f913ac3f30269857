"""The JSON feed for team systems: token per team, the same scope and order as the HTML feed."""

import contextlib
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from accounts import ratelimit
from accounts.models import Team
from wijkaanpak.redis_cache import CACHE_ERRORS

from . import feed as feed_pages
from . import feedcache
from .forms import FeedFilterForm
from .models import FeedToken
from .selectors import feed_choices, filter_feed, meldingen_for_team

logger = logging.getLogger(__name__)

REQUESTS_PER_TOKEN = "600/m"  # noqa: S105 (a rate, not a secret)
TOKEN_TTL = 60


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def feed_token_issue(*, team, naam: str, by) -> tuple[FeedToken, str]:
    """Make a token; the returned key is shown once and never stored."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = f"wka_{prefix}_{secret}"
    token = FeedToken.objects.create(
        team=team, naam=naam, prefix=prefix, key_hash=_hash(key), created_by=by
    )
    return token, key


@dataclass(frozen=True)
class Caller:
    """Who is calling, as the feed needs it: kept in the cache for ``TOKEN_TTL``."""

    token_id: int
    team_id: int
    organisatie: str


def _token_cache_key(key_hash: str) -> str:
    return f"feedtoken:{key_hash}"


def _bearer_key(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.startswith("wka_"):
        return None
    return key


def _caller_from_db(key: str, key_hash: str) -> Caller | None:
    """The caller of a valid, unrevoked key, cached for ``TOKEN_TTL`` seconds; revoking
    deletes the cached entry (``feed_tokens_revoke``, ``signals``)."""
    prefix = key.split("_")[1] if key.count("_") >= 2 else ""
    token = (
        FeedToken.objects.select_related("team")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.key_hash, key_hash):
        return None
    # Read from the database at most once per TOKEN_TTL: "last used" is exact to that.
    FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    caller = Caller(token.pk, token.team_id, token.team.organisatie)
    with contextlib.suppress(*CACHE_ERRORS):  # no cache, no shortcut: still correct
        cache.set(_token_cache_key(key_hash), caller, TOKEN_TTL)
    return caller


@transaction.atomic
def feed_tokens_revoke(*, tokens) -> int:
    """Revoke tokens; they stop working at once, cached or not."""
    tokens = list(tokens.filter(revoked_at=None))
    FeedToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=timezone.now())
    for token in tokens:
        forget_token(token.key_hash)
    return len(tokens)


def forget_token(key_hash: str) -> None:
    """Drop a cached token now and again after commit (a request in between may cache it
    anew from the not yet committed state)."""

    def forget() -> None:
        try:
            cache.delete(_token_cache_key(key_hash))
        except CACHE_ERRORS:
            logger.warning("cached feed token not forgotten: works for at most %s s", TOKEN_TTL)

    forget()
    transaction.on_commit(forget)


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="wijkaanpak"'
    return response


def serialise(melding) -> dict:
    return {
        "id": melding.pk,
        "samenvatting": melding.samenvatting,
        "prioriteit": melding.get_prioriteit_display(),
        "status": melding.status,
        "doel": melding.doel,
        "categorie": melding.categorie.naam,
        "buurt": {"code": melding.buurt.code, "naam": melding.buurt.naam},
        "wijk": melding.buurt.wijk.code,
        "wat": melding.wat,
        "waar": melding.waar,
        "wanneer": melding.wanneer.isoformat(),
        "al_112_gebeld": melding.al_112_gebeld,
        "gewicht": melding.gewicht,
        "gemeld_op": melding.created_at.isoformat(),
        "reageren_voor": melding.deadline_at.isoformat() if melding.deadline_at else None,
        "persoon": {
            "geslacht": melding.persoon_geslacht,
            "lengte": melding.persoon_lengte,
            "kleding": melding.persoon_kleding,
            "kenmerken": melding.persoon_kenmerken,
        },
        "voertuig": {
            "kleur": melding.voertuig_kleur,
            "merk": melding.voertuig_merk,
            "soort": melding.voertuig_type,
            "kenteken": melding.voertuig_kenteken,
        },
    }


@require_GET
def feed(request):
    """``GET /api/v1/meldingen/feed/`` with ``Authorization: Bearer wka_…``.

    Query parameters as on the HTML feed (categorie, wijk, status, periode) and ``na`` for the
    next page; the response carries ``volgende``, the URL of the next page, or null.
    """
    key = _bearer_key(request)
    if key is None:
        return _error(401, "missing, unknown or revoked token")
    key_hash = _hash(key)
    # A page is cached per key, language, address and query string, with the feed version it
    # was built at.
    page_key = "feed:json:" + _hash(
        repr(
            (
                key_hash,
                get_language(),
                request.scheme,
                request.get_host(),
                feedcache.filters_key(dict(request.GET.items())),
            )
        )
    )
    token_key = _token_cache_key(key_hash)
    # One round trip counts the request against the key's limit and fetches the caller, the
    # current feed version and the cached page.
    exceeded, found = ratelimit.exceeded_and_get_many(
        f"feedtoken:{key_hash[:32]}",
        REQUESTS_PER_TOKEN,
        [token_key, feedcache.VERSION_KEY, page_key],
    )
    caller = found.get(token_key) or _caller_from_db(key, key_hash)
    if caller is None:
        return _error(401, "missing, unknown or revoked token")
    if exceeded:
        return _error(429, "too many requests")
    version = feedcache.version(found.get(feedcache.VERSION_KEY))
    built_at, body = found.get(page_key, (None, None))
    if version is None or built_at != version:
        form = FeedFilterForm(request.GET, choices=feed_choices(caller.team_id))
        if not form.is_valid():
            return JsonResponse({"error": "invalid filter", "fields": form.errors}, status=400)
        body = _page_body(request, caller, form.cleaned_data)
        if version is not None:
            feedcache.store(page_key, (version, body))
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "no-store, private"  # per caller; never kept by a proxy
    return response


def _page_body(request, caller: Caller, filters: dict) -> bytes:
    team = Team(pk=caller.team_id, organisatie=caller.organisatie)
    page = feed_pages.page(
        filter_feed(meldingen_for_team(team), filters)
        .select_related("buurt__wijk")
        .defer("buurt__geometrie"),
        request.GET.get("na"),
    )
    volgende = None
    if page.next_cursor:
        query = request.GET.copy()
        query["na"] = page.next_cursor
        volgende = request.build_absolute_uri(f"{reverse('api-feed')}?{query.urlencode()}")
    return json.dumps(
        {"meldingen": [serialise(m) for m in page.rows], "volgende": volgende},
        ensure_ascii=False,
        cls=DjangoJSONEncoder,
    ).encode()
