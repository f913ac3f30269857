"""The JSON feed for team systems: token per team, the same scope and order as the HTML feed."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import ratelimit

from . import feed as feed_pages
from .forms import FeedFilterForm
from .models import FeedToken
from .selectors import feed_choices, filter_feed, meldingen_for_team

REQUESTS_PER_TOKEN = "600/m"  # noqa: S105 (a rate, not a secret)


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


def _token_from(request) -> FeedToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.startswith("wka_"):
        return None
    prefix = key.split("_")[1] if key.count("_") >= 2 else ""
    token = (
        FeedToken.objects.select_related("team")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.key_hash, _hash(key)):
        return None
    return token


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


@never_cache
@require_GET
def feed(request):
    """``GET /api/v1/meldingen/feed/`` with ``Authorization: Bearer wka_…``.

    Query parameters as on the HTML feed (categorie, wijk, status, periode) and ``na`` for the
    next page; the response carries ``volgende``, the URL of the next page, or null.
    """
    token = _token_from(request)
    if token is None:
        return _error(401, "missing, unknown or revoked token")
    if ratelimit.exceeded(f"feedtoken:{token.pk}", REQUESTS_PER_TOKEN):
        return _error(429, "too many requests")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    team_meldingen = meldingen_for_team(token.team)
    form = FeedFilterForm(request.GET, choices=feed_choices(token.team_id))
    if not form.is_valid():
        return JsonResponse({"error": "invalid filter", "fields": form.errors}, status=400)
    page = feed_pages.page(
        filter_feed(team_meldingen, form.cleaned_data)
        .select_related("buurt__wijk")
        .defer("buurt__geometrie"),
        request.GET.get("na"),
    )
    volgende = None
    if page.next_cursor:
        query = request.GET.copy()
        query["na"] = page.next_cursor
        volgende = request.build_absolute_uri(f"{reverse('api-feed')}?{query.urlencode()}")
    return JsonResponse(
        {"meldingen": [serialise(m) for m in page.rows], "volgende": volgende},
        json_dumps_params={"ensure_ascii": False},
    )
