"""The published figures of a gemeente for one period, as open data and the JSON API serve
them: every area with every indicator, suppressed where too few answered or took part, and the
CBS attribution. Only periods that end on a month end are published (``selectors.periodes_for``).
"""

from datetime import date

from django.utils.translation import gettext as _

from buurten.models import Gemeente

from . import selectors
from .display import figure
from .models import Niveau
from .registry import INDICATORS, PLATFORM_TOELICHTING, STREEFWAARDE_TOELICHTING

LICENTIE = "CC BY 4.0"


def bron(peiljaar: int | None = None) -> str:
    return _(
        "Wijkaanpak-indicatoren (eigen berekening). Bevolkingscijfers: CBS, Kerncijfers wijken "
        "en buurten %(jaar)s (CC BY 4.0)."
    ) % {"jaar": peiljaar or 2024}


def parse_periode(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def published_periods(gemeente: Gemeente) -> list[date]:
    return [eind for _start, eind in selectors.periodes_for(gemeente, maandeinde=True)]


def rows(gemeente: Gemeente, periode_eind: date):
    """(snapshot, area, wijk code) per area, gemeente first, then wijken and buurten; None when
    there are no figures for exactly this period."""
    found = []
    for niveau in (Niveau.GEMEENTE, Niveau.WIJK, Niveau.BUURT):
        snapshots = selectors.snapshots_for(
            gemeente=gemeente, niveau=niveau, periode_eind=periode_eind
        ).defer("buurt__geometrie")
        for snapshot in snapshots:
            if snapshot.periode_eind != periode_eind:
                return None
            area = snapshot.buurt or snapshot.wijk or gemeente
            wijk_code = snapshot.buurt.wijk.code if snapshot.buurt else ""
            found.append((snapshot, area, wijk_code))
    return found or None


def only(found, *, niveau: str | None = None, wijk: str | None = None):
    """The areas of ``rows`` at one level and/or in one wijk (the wijk itself and its
    buurten). Suppression was settled over all areas when the figures were computed, so a
    part shows nothing the whole would not."""
    return [
        (snapshot, area, wijk_code)
        for snapshot, area, wijk_code in found
        if (niveau is None or snapshot.niveau == niveau)
        and (
            wijk is None
            or (snapshot.niveau == Niveau.WIJK and area.code == wijk)
            or (snapshot.niveau == Niveau.BUURT and wijk_code == wijk)
        )
    ]


def attribution_for(found) -> str:
    peiljaar = max((a.peiljaar or 0 for _s, a, _w in found if hasattr(a, "peiljaar")), default=0)
    return bron(peiljaar or None)


def cell(indicator, cel) -> dict:
    fig = figure(indicator, cel)
    return {
        "waarde": fig.waarde,
        "n": fig.n,
        "ci": list(fig.ci) if fig.ci else None,
        "onderdrukt": fig.onderdrukt,
        "reden": fig.reden or None,
        "weergave": fig.weergave,
    }


def as_dict(gemeente: Gemeente, found, attribution: str, periode=None) -> dict:
    """``found`` may be empty (a filter that matches no area): then give ``periode``."""
    start, eind = periode or (found[0][0].periode_start, found[0][0].periode_eind)
    streefwaarde = selectors.settings_for(gemeente).streefwaarde_actieve_kern
    return {
        "gemeente": {"code": gemeente.code, "naam": gemeente.naam},
        "periode": {"start": start, "eind": eind},
        "bron": attribution,
        "licentie": LICENTIE,
        "onderdrukking": _(
            "Cijfers onder het minimum aantal antwoorden of mensen zijn weggelaten: waarde, n en "
            'ci zijn dan leeg en onderdrukt is true. Reden "klein": te weinig; reden '
            '"bescherming": niet getoond om kleine aantallen elders te beschermen.'
        ),
        "deelname": str(PLATFORM_TOELICHTING),
        # Published name kept (open data and API v1 contract); in code it is a streefwaarde.
        "doel_actieve_kern": {
            "procent": streefwaarde,
            "toelichting": str(STREEFWAARDE_TOELICHTING),
        },
        "indicatoren": [
            {
                "key": i.key,
                "label": str(i.label),
                "eenheid": i.eenheid,
                "bron": i.bron,
                "toelichting": str(i.toelichting),
            }
            for i in INDICATORS.values()
        ],
        "gebieden": [
            {
                "niveau": snapshot.niveau,
                "code": area.code,
                "naam": area.naam,
                "wijk": wijk_code or None,
                "berekend_op": snapshot.berekend_at,
                "waarden": {
                    key: cell(indicator, snapshot.waarden.get(key))
                    for key, indicator in INDICATORS.items()
                },
            }
            for snapshot, area, wijk_code in found
        ],
    }
