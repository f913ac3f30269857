"""Open data: the computed indicators per gemeente and period as CSV and JSON.

Public on purpose: these are the same published aggregates as on the dashboard, with the same
suppression (a suppressed figure has no value, n or interval, only "< 10" or "te weinig
antwoorden"), and no row is ever about a person. The CBS attribution travels with every file.
"""

import csv
import io
from datetime import date

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from accounts import ratelimit
from buurten.models import Gemeente

from . import selectors
from .display import figure
from .models import Niveau
from .registry import DOEL_TOELICHTING, INDICATORS

LICENTIE = "CC BY 4.0"
EXPORTS_PER_IP = "120/h"


def bron(peiljaar: int | None = None) -> str:
    return _(
        "Wijkaanpak-indicatoren (eigen berekening). Bevolkingscijfers: CBS, Kerncijfers wijken "
        "en buurten %(jaar)s (CC BY 4.0)."
    ) % {"jaar": peiljaar or 2024}


@require_GET
def index(request):
    gemeenten = [
        (gemeente, selectors.periodes_for(gemeente, maandeinde=True))
        for gemeente in Gemeente.objects.filter(snapshots__isnull=False).distinct()
    ]
    return render(request, "indicatoren/open_data.html", {"gemeenten": gemeenten, "bron": bron()})


def _parse_periode(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _rows(gemeente: Gemeente, periode_eind: date):
    """(snapshot, area code, name, wijk code) per area, gemeente first, then wijken and buurten;
    None when there are no figures for exactly this period."""
    rows = []
    for niveau in (Niveau.GEMEENTE, Niveau.WIJK, Niveau.BUURT):
        snapshots = selectors.snapshots_for(
            gemeente=gemeente, niveau=niveau, periode_eind=periode_eind
        ).defer("buurt__geometrie")
        for snapshot in snapshots:
            if snapshot.periode_eind != periode_eind:
                return None
            area = snapshot.buurt or snapshot.wijk or gemeente
            wijk_code = snapshot.buurt.wijk.code if snapshot.buurt else ""
            rows.append((snapshot, area, wijk_code))
    return rows or None


def _cell(indicator, cel) -> dict:
    fig = figure(indicator, cel)
    return {
        "waarde": fig.waarde,
        "n": fig.n,
        "ci": list(fig.ci) if fig.ci else None,
        "onderdrukt": fig.onderdrukt,
        "weergave": fig.tekst,
    }


@require_GET
@cache_control(public=True, max_age=3600)
def export(request, gemeente_code, periode, formaat):
    # Public and a few MB for a large gemeente: a generous limit per address keeps it cheap.
    if ratelimit.exceeded(f"open-data:ip:{request.META.get('REMOTE_ADDR', '?')}", EXPORTS_PER_IP):
        return HttpResponse(
            _("Te veel downloads in korte tijd. Probeer het over een uur opnieuw."),
            content_type="text/plain; charset=utf-8",
            status=429,
        )
    gemeente = get_object_or_404(Gemeente, code=gemeente_code.upper())
    periode_eind = _parse_periode(periode)
    if periode_eind is None:
        return HttpResponseBadRequest(
            _("Onbekende periode: geef de einddatum als jjjj-mm-dd, bijvoorbeeld 2026-06-30."),
            content_type="text/plain; charset=utf-8",
        )
    published = {eind for _start, eind in selectors.periodes_for(gemeente, maandeinde=True)}
    rows = _rows(gemeente, periode_eind) if periode_eind in published else None
    if rows is None:
        return HttpResponse(
            _(
                "Voor deze gemeente zijn geen gepubliceerde cijfers over een periode die op "
                "%(datum)s eindigt. Zie de lijst op de pagina Open data."
            )
            % {"datum": periode_eind.isoformat()},
            content_type="text/plain; charset=utf-8",
            status=404,
        )
    peiljaar = max((a.peiljaar or 0 for _s, a, _w in rows if hasattr(a, "peiljaar")), default=0)
    attribution = bron(peiljaar or None)
    filename = f"wijkaanpak-indicatoren-{gemeente.code}-{periode_eind.isoformat()}"
    if formaat == "json":
        return _json(gemeente, rows, attribution, filename)
    return _csv(rows, attribution, filename)


def _json(gemeente, rows, attribution, filename):
    first = rows[0][0]
    doel = selectors.settings_for(gemeente).doel_actieve_kern
    data = {
        "gemeente": {"code": gemeente.code, "naam": gemeente.naam},
        "periode": {"start": first.periode_start, "eind": first.periode_eind},
        "bron": attribution,
        "licentie": LICENTIE,
        "onderdrukking": _(
            "Cijfers onder het minimum aantal antwoorden of mensen zijn weggelaten: waarde, n en "
            "ci zijn dan leeg en onderdrukt is true."
        ),
        "doel_actieve_kern": {"procent": doel, "toelichting": str(DOEL_TOELICHTING)},
        "indicatoren": [
            {"key": i.key, "label": str(i.label), "eenheid": i.eenheid, "bron": i.bron}
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
                    key: _cell(indicator, snapshot.waarden.get(key))
                    for key, indicator in INDICATORS.items()
                },
            }
            for snapshot, area, wijk_code in rows
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{filename}.json"'
    return response


CSV_HEADER = [
    "niveau",
    "code",
    "naam",
    "wijk",
    "periode_start",
    "periode_eind",
    "indicator",
    "eenheid",
    "waarde",
    "n",
    "ci_laag",
    "ci_hoog",
    "onderdrukt",
    "weergave",
    "bron",
]


def _csv(rows, attribution, filename):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for snapshot, area, wijk_code in rows:
        for key, indicator in INDICATORS.items():
            cel = _cell(indicator, snapshot.waarden.get(key))
            ci = cel["ci"] or ["", ""]
            writer.writerow(
                [
                    snapshot.niveau,
                    area.code,
                    area.naam,
                    wijk_code,
                    snapshot.periode_start.isoformat(),
                    snapshot.periode_eind.isoformat(),
                    key,
                    indicator.eenheid,
                    "" if cel["waarde"] is None else round(cel["waarde"], 3),
                    "" if cel["n"] is None else cel["n"],
                    "" if not cel["ci"] else round(ci[0], 3),
                    "" if not cel["ci"] else round(ci[1], 3),
                    "ja" if cel["onderdrukt"] else "nee",
                    cel["weergave"],
                    attribution,
                ]
            )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
