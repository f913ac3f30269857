"""Open data: the computed indicators per gemeente and period as CSV and JSON.

Public on purpose: these are the same published aggregates as on the dashboard, with the same
suppression (a suppressed figure has no value, n or interval, only "< 10" or "te weinig
antwoorden"), and no row is ever about a person. The CBS attribution travels with every file.
"""

import csv
import io

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from accounts import ratelimit
from buurten.models import Gemeente
from wijkaanpak.proxies import rate_limit_key

from . import display, publicatie, selectors
from .models import IndicatorInstelling
from .registry import ACTIVITEIT, INDICATORS, PLATFORM_TOELICHTING

EXPORTS_PER_IP = "120/h"


@require_GET
def index(request):
    gemeenten = [
        (gemeente, selectors.periodes_for(gemeente, maandeinde=True))
        for gemeente in Gemeente.objects.filter(snapshots__isnull=False).distinct()
    ]
    context = {
        "gemeenten": gemeenten,
        "bron": publicatie.bron(),
        # What a suppressed figure reads in the files, as the files write it.
        "voorbeeld_telling": display.TE_WEINIG[ACTIVITEIT]
        % {"n": IndicatorInstelling._meta.get_field("min_n_telling").default},
        "voorbeeld_enquete": display.TE_WEINIG_ANTWOORDEN,
        "voorbeeld_bescherming": display.BESCHERMING,
        "platform_toelichting": PLATFORM_TOELICHTING,
    }
    return render(request, "indicatoren/open_data.html", context)


@require_GET
@cache_control(public=True, max_age=3600)
def export(request, gemeente_code, periode, formaat):
    # Public and a few MB for a large gemeente: a generous limit per address keeps it cheap.
    if ratelimit.exceeded(f"open-data:ip:{rate_limit_key(request)}", EXPORTS_PER_IP):
        return HttpResponse(
            _("Te veel downloads in korte tijd. Probeer het over een uur opnieuw."),
            content_type="text/plain; charset=utf-8",
            status=429,
        )
    gemeente = get_object_or_404(Gemeente, code=gemeente_code.upper())
    periode_eind = publicatie.parse_periode(periode)
    if periode_eind is None:
        return HttpResponseBadRequest(
            _("Onbekende periode: geef de einddatum als jjjj-mm-dd, bijvoorbeeld 2026-06-30."),
            content_type="text/plain; charset=utf-8",
        )
    published = {eind for _start, eind in selectors.periodes_for(gemeente, maandeinde=True)}
    rows = publicatie.rows(gemeente, periode_eind) if periode_eind in published else None
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
    attribution = publicatie.attribution_for(rows)
    filename = f"wijkaanpak-indicatoren-{gemeente.code}-{periode_eind.isoformat()}"
    if formaat == "json":
        return _json(gemeente, rows, attribution, filename)
    return _csv(rows, attribution, filename)


def _json(gemeente, rows, attribution, filename):
    response = JsonResponse(
        publicatie.as_dict(gemeente, rows, attribution), json_dumps_params={"ensure_ascii": False}
    )
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
            cel = publicatie.cell(indicator, snapshot.waarden.get(key))
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
