"""Residents' view of their own buurt: how many neighbours are active against the target, what
is coming up, and an invitation to join in. About this buurt only: no ranking, no comparison
with other buurten. The figures are those of the latest published quarter, never the live
ones: a figure that changed every night would give away each day's newcomers."""

import math

from django.shortcuts import render

from accounts.access import section_required
from activiteiten.selectors import activiteiten_visible_to, upcoming
from buurten.selectors import member_buurt

from . import kwartaal, selectors
from .display import BESCHERMD, figure, number
from .registry import INDICATORS


def kern_voortgang(waarden: dict, *, p15: int | None, streefwaarde: int) -> dict:
    """The encouragement sum: the share of active neighbours, how many people the target means
    and how many more are needed ("actieve_kern_nodig", computed with the snapshot). With a
    suppressed figure only the target is known, never the small number itself; a figure hidden
    to protect other buurten ("bescherming") is not small, so the page must not say it is."""
    p15 = (waarden.get("p15") or {}).get("waarde") or p15
    streefwaarde = (waarden.get("streefwaarde") or {}).get("waarde") or streefwaarde
    if not p15:
        return {"bekend": False, "streefwaarde": streefwaarde}
    kern = waarden.get("actieve_kern") or {}
    streefwaarde_aantal = math.ceil(streefwaarde * p15 / 100)
    nodig = (waarden.get("actieve_kern_nodig") or {}).get("waarde")
    if kern.get("onderdrukt") or kern.get("waarde") is None or nodig is None:
        return {
            "bekend": False,
            "streefwaarde": streefwaarde,
            "streefwaarde_aantal": streefwaarde_aantal,
            "p15": p15,
            "onderdrukt": bool(kern.get("onderdrukt")),
            "beschermd": kern.get("reden") == BESCHERMD,
            "drempel": kern.get("drempel") or 10,
        }
    return {
        "bekend": True,
        "streefwaarde": streefwaarde,
        "p15": p15,
        "streefwaarde_aantal": streefwaarde_aantal,
        "nog": max(0, nodig),
        "gehaald": nodig <= 0,
        # As published (0,7%, not a rounded 1%): the same figure as open data shows.
        "procent": number(kern["waarde"], "%"),
        "procent_waarde": kern["waarde"],  # for the progress bar (a plain number)
    }


@section_required("onze_buurt")
def mijn_buurt(request):
    user = request.user
    buurt = member_buurt(user)
    if buurt is None:
        return render(request, "indicatoren/mijn_buurt_geen.html")
    gemeente = buurt.wijk.gemeente
    instelling = selectors.settings_for(gemeente)
    snapshot = selectors.published_snapshot_of(buurt)
    waarden = snapshot.waarden if snapshot else {}
    kern = figure(INDICATORS["actieve_kern"], waarden.get("actieve_kern"))
    context = {
        "buurt": buurt,
        "snapshot": snapshot,
        "kwartaal": kwartaal.label(snapshot.periode_start, snapshot.periode_eind)
        if snapshot
        else "",
        "streefwaarde": instelling.streefwaarde_actieve_kern,
        "kern": kern,
        "voortgang": kern_voortgang(
            waarden, p15=buurt.inwoners_15_plus, streefwaarde=instelling.streefwaarde_actieve_kern
        ),
        "bereik": figure(INDICATORS["bereik"], waarden.get("bereik")),
        "bereidheid": figure(INDICATORS["bereidheid"], waarden.get("bereidheid")),
        "cohesie": figure(INDICATORS["sociale_cohesie"], waarden.get("sociale_cohesie")),
        "activiteiten": upcoming(activiteiten_visible_to(user).filter(buurt=buurt))[:5],
    }
    return render(request, "indicatoren/mijn_buurt.html", context)
