"""The address search for the browser, as JSON: suggestions while typing (``zoek``) and one
address with its buurt, from a suggestion's id or a point on the map (``punt``). Open to
visitors (a newcomer looks for her buurt before signing up), limited per IP address. The
answers come from PDOK Locatieserver (``adressen``); without it they say so
(``"beschikbaar": false``) and the page offers the buurt names and the map instead; a point
still finds its buurt by the buurt shapes."""

import math
import time

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import ratelimit
from wijkaanpak.proxies import rate_limit_key

from . import adressen, geometrie
from .models import Buurt

MAX_QUERY = 100
MIN_QUERY = 2


def _error(status: int, message: str, **headers) -> JsonResponse:
    response = JsonResponse({"fout": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _limited(request) -> JsonResponse | None:
    rate = settings.WIJKAANPAK_ADRES_RATE
    if not ratelimit.exceeded(f"adres:ip:{rate_limit_key(request)}", rate):
        return None
    period = ratelimit.parse(rate)[1]
    wait = int(period - time.time() % period) + 1  # until this fixed window ends
    return _error(
        429,
        _("Te veel zoekvragen; probeer het over %(s)s seconden opnieuw.") % {"s": wait},
        Retry_After=str(wait),
    )


@require_GET
def zoek(request):
    if over := _limited(request):
        return over
    query = " ".join(request.GET.get("q", "").split())
    if len(query) > MAX_QUERY:
        return _error(
            400, _("Typ een straat met huisnummer of een postcode (hoogstens 100 tekens).")
        )
    if not adressen.enabled():
        return JsonResponse({"beschikbaar": False, "resultaten": []})
    found = adressen.suggest(query) if len(query) >= MIN_QUERY else []
    return JsonResponse(
        {
            "beschikbaar": True,
            "resultaten": [{"label": s.label, "id": s.id, "type": s.type} for s in found],
        }
    )


@require_GET
def punt(request):
    """An address and its buurt. From a suggestion's ``id`` (needs the address search), or from
    a point (``lat``, ``lon``): the nearest address when the address search is on, and the
    buurt by the address's CBS code or else by the buurt shapes, which work offline too."""
    if over := _limited(request):
        return over
    object_id = request.GET.get("id", "").strip()
    lat, lon = _number(request.GET.get("lat")), _number(request.GET.get("lon"))
    if object_id:
        if len(object_id) > MAX_QUERY:
            return _error(400, _("Dit is geen adres uit de suggesties."))
    elif lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return _error(400, _("Geef een adres uit de suggesties, of lat en lon van een punt."))
    beschikbaar = adressen.enabled()
    if object_id and not beschikbaar:
        return JsonResponse({"beschikbaar": False, "adres": None, "buurt": None})
    adres = adressen.lookup(object_id) if object_id else adressen.reverse(lat, lon)
    buurten = Buurt.objects.select_related("wijk")
    buurt = buurten.filter(code=adres.buurtcode).first() if adres and adres.buurtcode else None
    if buurt is None and not object_id:
        found = geometrie.buurt_at(buurten, lat, lon)  # inside a shape only
        buurt = found[0] if found else None
    if adres is None and buurt is None:
        return _error(404, _("Geen adres gevonden. Kies je buurt op de kaart of uit de lijst."))
    return JsonResponse(
        {
            "beschikbaar": beschikbaar,
            "adres": adres
            and {
                "label": adres.label,
                "straat": adres.straat,
                "huisnummer": adres.huisnummer,
                "postcode": adres.postcode,
                "woonplaats": adres.woonplaats,
                "lat": adres.lat,
                "lon": adres.lon,
            },
            "buurt": buurt
            and {
                "code": buurt.code,
                "naam": buurt.naam,
                "wijk": buurt.wijk.naam,
                "url": buurt.get_absolute_url(),
            },
        }
    )


def _number(raw: str | None) -> float | None:
    try:
        value = float(raw or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None
