"""Open data: the published indicators per gemeente and quarter as CSV and JSON.

Public on purpose: only published quarters (``Publicatie``), final and versioned; the latest
version by default and any earlier one with ``?versie=``. A suppressed figure has no value, n
or interval, only "< 10" or "te weinig antwoorden", and no row is ever about a person. The CBS
attribution travels with every file. The coordinators' live figures are never served here.
"""

import csv
import io

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import ratelimit
from buurten.models import Gemeente
from wijkaanpak.proxies import rate_limit_key

from . import display, kwartaal, publicatie, selectors
from .models import IndicatorInstelling, Publicatie
from .registry import ACTIVITEIT, INDICATORS, MELDINGEN_TOELICHTING, PLATFORM_TOELICHTING

EXPORTS_PER_IP = "120/h"


@require_GET
def index(request):
    by_gemeente = {}
    for item in Publicatie.objects.select_related("gemeente").order_by(
        "gemeente__naam", "gemeente_id", "-periode_eind", "versie"
    ):
        quarters = by_gemeente.setdefault(item.gemeente, {})
        quarters.setdefault((item.periode_start, item.periode_eind), []).append(item)
    gemeenten = [
        (
            gemeente,
            [
                {
                    "start": start,
                    "eind": eind,
                    "label": kwartaal.label(start, eind),
                    "laatste": versies[-1],
                    "eerdere": versies[:-1],
                    "correcties": [publicatie.correctie_tekst(v) for v in versies[1:]],
                }
                for (start, eind), versies in quarters.items()
            ],
        )
        for gemeente, quarters in by_gemeente.items()
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
        "meldingen_toelichting": MELDINGEN_TOELICHTING,
    }
    return render(request, "indicatoren/open_data.html", context)


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, content_type="text/plain; charset=utf-8", status=status)


@require_GET
def export(request, gemeente_code, periode, formaat):
    response = _export(request, gemeente_code, periode, formaat)
    # A numbered version never changes; "the latest" does with a correction: caches recheck it
    # within minutes rather than serve the superseded figures for an hour.
    numbered = response.status_code == 200 and request.GET.get("versie")
    patch_cache_control(response, public=True, max_age=86400 if numbered else 300)
    return response


def _export(request, gemeente_code, periode, formaat):
    # Public and a few MB for a large gemeente: a generous limit per address keeps it cheap.
    if ratelimit.exceeded(f"open-data:ip:{rate_limit_key(request)}", EXPORTS_PER_IP):
        return _text(_("Te veel downloads in korte tijd. Probeer het over een uur opnieuw."), 429)
    gemeente = get_object_or_404(Gemeente, code=gemeente_code.upper())
    periode_eind = publicatie.parse_periode(periode)
    if periode_eind is None:
        return HttpResponseBadRequest(
            _(
                "Onbekende periode: geef de laatste dag van het kwartaal als jjjj-mm-dd, "
                "bijvoorbeeld 2026-09-30, of het kwartaal als 2026-Q3."
            ),
            content_type="text/plain; charset=utf-8",
        )
    versie = publicatie.parse_versie(request.GET.get("versie"))
    if versie == -1:
        return HttpResponseBadRequest(
            _("Onbekende versie: geef een versienummer, bijvoorbeeld ?versie=1."),
            content_type="text/plain; charset=utf-8",
        )
    gekozen = selectors.publicatie_for(gemeente, periode_eind=periode_eind, versie=versie)
    if gekozen is None:
        message = _(
            "Voor deze gemeente zijn geen gepubliceerde cijfers over een kwartaal dat op "
            "%(datum)s eindigt. Zie de lijst op de pagina Open data."
        ) % {"datum": periode_eind.isoformat()}
        if versie is not None and selectors.publicatie_for(gemeente, periode_eind=periode_eind):
            message = _(
                "Van dit kwartaal bestaat geen versie %(versie)s. Zie de lijst op de pagina "
                "Open data."
            ) % {"versie": versie}
        return _text(message, 404)
    rows = publicatie.rows(gekozen)
    versies = selectors.versies(gekozen)
    attribution = publicatie.attribution_for(rows)
    filename = (
        f"wijkaanpak-indicatoren-{gemeente.code}-{kwartaal.code(gekozen.periode_start)}"
        f"-v{gekozen.versie}"
    )
    if formaat == "json":
        return _json(gekozen, rows, attribution, versies, filename)
    return _csv(gekozen, rows, attribution, versies, filename)


def _json(gekozen, rows, attribution, versies, filename):
    response = JsonResponse(
        publicatie.as_dict(gekozen, rows, attribution, versies),
        json_dumps_params={"ensure_ascii": False},
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
    "weging",
    "dekking_gebieden",
    "dekking_van",
    "dekking_eenheid",
    "dekking_inwoners_pct",
    "dekking_zonder_bevolking",
    "bron",
    # Added with the quarterly, versioned publications (after the original columns).
    "kwartaal",
    "versie",
    "gepubliceerd_op",
    "correcties",
]
DEKKING = CSV_HEADER[CSV_HEADER.index("weging") : CSV_HEADER.index("bron")]


def _csv(gekozen, rows, attribution, versies, filename):
    kwartaal_code = kwartaal.code(gekozen.periode_start)
    versie = publicatie.versie_dict(gekozen, versies)
    gepubliceerd = versie["gepubliceerd_op"].isoformat()  # local time, as in the JSON
    correcties = " | ".join(versie["correcties"])  # why this version differs from the first
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
                    *("" if cel.get(name) is None else cel[name] for name in DEKKING),
                    attribution,
                    kwartaal_code,
                    gekozen.versie,
                    gepubliceerd,
                    correcties,
                ]
            )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
