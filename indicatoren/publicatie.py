"""The published figures of a gemeente for one quarter and version, as open data and the JSON
API serve them: every area with every indicator, suppressed where too few answered or took part,
the version with the notes of its corrections, and the CBS attribution. Only ended calendar
quarters are published, each final (``models.Publicatie``; ADR 0006).
"""

import re
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from buurten.models import Gemeente

from . import kwartaal, selectors
from .display import figure
from .models import Niveau, Publicatie
from .registry import INDICATORS, PLATFORM_TOELICHTING, STREEFWAARDE_TOELICHTING

LICENTIE = "CC BY 4.0"


def bron(peiljaar: int | None = None) -> str:
    return _(
        "Wijkaanpak-indicatoren (eigen berekening). Bevolkingscijfers: CBS, Kerncijfers wijken "
        "en buurten %(jaar)s (CC BY 4.0)."
    ) % {"jaar": peiljaar or 2024}


QUARTER = re.compile(r"^(\d{4})-[QqKk]([1-4])$")


def parse_periode(raw: str) -> date | None:
    """The last day of a period: "2026-09-30", or the quarter itself, "2026-Q3"."""
    match = QUARTER.match(raw or "")
    if match:
        year, number = int(match[1]), int(match[2])
        return kwartaal.quarter_of(date(year, 3 * number, 1))[1]
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        return None


def parse_versie(raw: str | None) -> int | None:
    """A version number from a query string (1, 2, …); None when absent; -1 when malformed."""
    if raw is None:
        return None
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 32767:
        return -1
    return int(raw)


def published_periods(gemeente: Gemeente) -> list[date]:
    return [p.periode_eind for p in selectors.publicaties_for(gemeente)]


def rows(publicatie: Publicatie):
    """(snapshot, area, wijk code) per area of one published version, gemeente first, then
    wijken and buurten."""
    found = []
    for niveau in (Niveau.GEMEENTE, Niveau.WIJK, Niveau.BUURT):
        for snapshot in selectors.published_snapshots(publicatie, niveau).defer("buurt__geometrie"):
            area = snapshot.buurt or snapshot.wijk or publicatie.gemeente
            wijk_code = snapshot.buurt.wijk.code if snapshot.buurt else ""
            found.append((snapshot, area, wijk_code))
    return found


def correctie_tekst(versie: Publicatie) -> str:
    return _("gecorrigeerd op %(datum)s: %(notitie)s") % {
        "datum": date_format(timezone.localtime(versie.gepubliceerd_at), "j b Y"),
        "notitie": versie.notitie,
    }


def versie_dict(publicatie: Publicatie, versies: list[Publicatie]) -> dict:
    """The version served, every version of the quarter, and the corrections up to this one."""
    return {
        "versie": publicatie.versie,
        "gepubliceerd_op": timezone.localtime(publicatie.gepubliceerd_at),
        "laatste_versie": max(v.versie for v in versies),
        "correcties": [correctie_tekst(v) for v in versies if 1 < v.versie <= publicatie.versie],
        "versies": [
            {
                "versie": v.versie,
                "gepubliceerd_op": timezone.localtime(v.gepubliceerd_at),
                "notitie": v.notitie,
            }
            for v in versies
        ],
    }


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


# What a weighted figure covers (``weging.dekking``), as published fields.
DEKKING_VELDEN = ("gebieden", "van", "eenheid", "inwoners_pct", "zonder_bevolking")


def cell(indicator, cel) -> dict:
    """One published figure. Wijk and gemeente survey figures (and only those: the files stay
    small) also say how they were weighted and what they cover: ``weging`` and
    ``dekking_gebieden`` ... ``dekking_zonder_bevolking``."""
    fig = figure(indicator, cel)
    result = {
        "waarde": fig.waarde,
        "n": fig.n,
        "ci": list(fig.ci) if fig.ci else None,
        "onderdrukt": fig.onderdrukt,
        "reden": fig.reden or None,
        "weergave": fig.weergave,
    }
    if fig.dekking:
        result["weging"] = fig.weging
        result.update({f"dekking_{name}": fig.dekking.get(name) for name in DEKKING_VELDEN})
    return result


def as_dict(publicatie: Publicatie, found, attribution: str, versies: list[Publicatie]) -> dict:
    """``found`` may be empty (a filter that matches no area)."""
    gemeente = publicatie.gemeente
    start, eind = publicatie.periode_start, publicatie.periode_eind
    streefwaarde = selectors.settings_for(gemeente).streefwaarde_actieve_kern
    return {
        "gemeente": {"code": gemeente.code, "naam": gemeente.naam},
        "periode": {
            "start": start,
            "eind": eind,
            "kwartaal": kwartaal.code(start),
            "toelichting": _(
                "Cijfers over één kalenderkwartaal, gepubliceerd nadat het voorbij was. "
                "Kwartalen overlappen niet."
            ),
        },
        "publicatie": versie_dict(publicatie, versies),
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
