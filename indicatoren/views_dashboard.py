"""The coordinator's dashboard: a map of their buurten coloured by one indicator, a sortable
table, trend charts, the target, and recomputing on demand with progress."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import ratelimit
from accounts.access import section_required
from buurten.models import Buurt

from . import charts, kwartaal, selectors, services, svg
from .display import BESCHERMD, BESCHERMING, BESCHERMING_KORT, Figure, figure, with_unit
from .forms import DashboardForm
from .models import Berekening, Niveau
from .publicatie import bron
from .registry import (
    ENQUETE,
    INDICATORS,
    PLATFORM_TOELICHTING,
    STREEFWAARDE_TOELICHTING,
    Indicator,
)

DEFAULT_INDICATOR = "actieve_kern"


@dataclass
class Row:
    naam: str
    code: str
    wijk: str
    figuur: Figure
    streefwaarde: str | None  # "boven" | "onder" | None (no target or no figure)
    href: str = ""


def _gemeente(user):
    gemeente = user.team.gemeente if user.team_id else selectors.gemeenten_for(user).first()
    if gemeente is None:
        raise PermissionDenied
    return gemeente


def _streefwaarde_status(indicator: Indicator, fig: Figure, streefwaarde: int) -> str | None:
    if not indicator.streefwaarde or fig.waarde is None:
        return None
    return "boven" if fig.waarde >= streefwaarde else "onder"


def _sorted(rows: list[Row], sorteer: str) -> list[Row]:
    descending = sorteer.startswith("-")
    key = sorteer.lstrip("-") or "naam"
    if key == "naam":
        return sorted(rows, key=lambda r: r.naam.lower(), reverse=descending)
    attribute = "waarde" if key == "waarde" else "n"
    known = [r for r in rows if getattr(r.figuur, attribute) is not None]
    unknown = sorted(
        (r for r in rows if getattr(r.figuur, attribute) is None), key=lambda r: r.naam
    )
    known.sort(key=lambda r: (getattr(r.figuur, attribute), r.naam), reverse=descending)
    # Rows without a figure (suppressed or none) always come last, in name order: sorting must
    # not hint at a hidden value.
    return known + unknown


def _dashboard_form(request) -> tuple[dict, list[str]]:
    """The cleaned query parameters; anything invalid falls back to its default with a notice."""
    form = DashboardForm(request.GET)
    form.is_valid()
    cleaned = {name: form.cleaned_data.get(name) for name in form.fields}
    notices = []
    if "indicator" in form.errors:
        notices.append(_("Die indicator kennen we niet; je ziet nu de actieve kern."))
    if "periode" in form.errors:
        notices.append(_("Die periode is geen geldige datum (jjjj-mm-dd); je ziet de laatste."))
    if "sorteer" in form.errors:
        notices.append(_("Onbekende sortering; de tabel staat op naam."))
    if "wijk" in form.errors:
        notices.append(_("Onbekende wijk; je ziet al je wijken."))
        cleaned["wijk"] = ""
    cleaned["indicator"] = cleaned.get("indicator") or DEFAULT_INDICATOR
    cleaned["sorteer"] = cleaned.get("sorteer") or "naam"
    return cleaned, notices


def _map_areas(rows_by_buurt, buurten, indicator: Indicator, breaks):
    areas = []
    for buurt in buurten:
        row = rows_by_buurt[buurt.pk]
        fig = row.figuur
        areas.append(
            svg.Area(
                code=buurt.code,
                naam=buurt.naam,
                geometrie=buurt.geometrie,
                label=fig.kort,
                title=f"{buurt.naam}: {fig.uitleg}",
                klasse=svg.class_of(fig.waarde, breaks),
                onderdrukt=fig.onderdrukt,
                beschermd=fig.reden == BESCHERMD,
                streefwaarde_gehaald=row.streefwaarde == "boven",
                href=row.href,
            )
        )
    return areas


def _trend_chart(history, indicator: Indicator, streefwaarde: int, *, naam: str, live=None):
    """The chart of one indicator over an area's published quarters (oldest first), and the
    live figure beside it, labelled as provisional and for coordinators only (it covers 12
    months to a recent day, so it is not a point on the quarters' line)."""
    series, table = [], []
    for snapshot in history:
        fig = figure(indicator, snapshot.waarden.get(indicator.key))
        series.append(charts.Point(snapshot.periode_eind, fig.waarde, fig.onderdrukt, fig.kort))
        table.append(
            {
                "eind": snapshot.periode_eind,
                "label": kwartaal.label(snapshot.periode_start, snapshot.periode_eind),
                "tekst": fig.tekst,
            }
        )
    voorlopig = None
    if live is not None:
        voorlopig = {
            "snapshot": live,
            "tekst": figure(indicator, live.waarden.get(indicator.key)).tekst,
        }
    # Fixed scales where the range is known; percentages are mostly small, so those (and the
    # rest) are scaled to the data and the target.
    fixed = {"0-10": 10.0, "D": 1.0}.get(indicator.eenheid)
    summary = _trend_summary(series, indicator, naam)
    chart = charts.trend_chart(
        series,
        label=summary,
        fixed_max=fixed,
        streefwaarde=streefwaarde if indicator.streefwaarde else None,
        streefwaarde_label=_("doel %(doel)s%% (aanname)") % {"doel": streefwaarde},
        onderdrukt_label=_("te weinig gegevens"),
    )
    return {"svg": chart, "punten": table, "samenvatting": summary, "voorlopig": voorlopig}


def _trend_summary(series, indicator: Indicator, naam: str) -> str:
    known = [p for p in series if p.waarde is not None]
    if not known:
        return _("%(indicator)s in %(naam)s: nog geen cijfers die getoond kunnen worden.") % {
            "indicator": indicator.label,
            "naam": naam,
        }
    first, last = known[0], known[-1]

    def when(point) -> str:  # the published quarter, as open data names it ("jul-sep 2026")
        return kwartaal.label(*kwartaal.quarter_of(point.periode_eind))

    if len(known) == 1:  # one figure: nothing to compare it with
        return _("%(indicator)s in %(naam)s: %(waarde)s (%(datum)s).") % {
            "indicator": indicator.label,
            "naam": naam,
            "waarde": last.label,
            "datum": when(last),
        }
    return _(
        "%(indicator)s in %(naam)s: van %(van)s (%(van_datum)s) naar %(naar)s (%(naar_datum)s)."
    ) % {
        "indicator": indicator.label,
        "naam": naam,
        "van": first.label,
        "van_datum": when(first),
        "naar": last.label,
        "naar_datum": when(last),
    }


def _table(buurten, by_buurt, indicator: Indicator, streefwaarde: int):
    """A row per buurt for the chosen indicator, and each buurt's actieve kern against the
    target (the above/below lists always compare the actieve kern, whatever is chosen)."""
    rows, kern_rows = {}, []
    kern_indicator = INDICATORS["actieve_kern"]
    for buurt in buurten:
        snapshot = by_buurt.get(buurt.pk)
        waarden = snapshot.waarden if snapshot else {}
        fig = figure(indicator, waarden.get(indicator.key))
        rows[buurt.pk] = Row(
            naam=buurt.naam,
            code=buurt.code,
            wijk=buurt.wijk.naam,
            figuur=fig,
            streefwaarde=_streefwaarde_status(indicator, fig, streefwaarde),
            href=f"{buurt_url(buurt)}?indicator={indicator.key}",
        )
        kern = figure(kern_indicator, waarden.get(kern_indicator.key))
        kern_rows.append((buurt, kern, _streefwaarde_status(kern_indicator, kern, streefwaarde)))
    return rows, kern_rows


def _kaart(rows, buurten, indicator: Indicator):
    """The map coloured in up to five classes of the shown values, and its legend."""
    breaks = svg.class_breaks(
        [r.figuur.waarde for r in rows.values() if r.figuur.waarde is not None]
    )
    areas = _map_areas(rows, buurten, indicator, breaks)
    kaart = svg.buurt_map(
        areas,
        label=_(
            "Kaart van %(n)s buurten, gekleurd naar %(indicator)s. Dezelfde cijfers staan in de "
            "tabel onder de kaart."
        )
        % {"n": len(areas), "indicator": indicator.label},
    )
    legend = [
        {"klasse": i, "van": _legend_value(lo, indicator), "tot": _legend_value(hi, indicator)}
        for i, (lo, hi) in enumerate(breaks, start=1)
    ]
    return kaart, legend


def dashboard_scope(request):
    """What the dashboard and its companion pages show: the coordinator's gemeente, the cleaned
    choices (notices for bad ones), the coordinator's wijken and those asked for (a wijk outside
    them is 404)."""
    gemeente = _gemeente(request.user)
    params, notices = _dashboard_form(request)
    for notice in notices:
        messages.warning(request, notice)
    wijken = list(selectors.wijken_for(request.user).filter(gemeente=gemeente).order_by("naam"))
    shown = wijken
    if params["wijk"]:
        shown = [w for w in wijken if w.code == params["wijk"].upper()]
        if not shown:
            raise Http404
    return gemeente, params, wijken, shown


@section_required("indicatoren")
def dashboard(request):
    gemeente, params, wijken, shown = dashboard_scope(request)
    indicator = INDICATORS[params["indicator"]]
    instelling = selectors.settings_for(gemeente)
    streefwaarde = instelling.streefwaarde_actieve_kern
    buurten = list(Buurt.objects.filter(wijk__in=shown).select_related("wijk").order_by("naam"))
    snapshots = selectors.snapshots_for(
        gemeente=gemeente, niveau=Niveau.BUURT, periode_eind=params["periode"], wijken=shown
    ).defer("buurt__geometrie")
    by_buurt = {s.buurt_id: s for s in snapshots}
    periode = next(iter(by_buurt.values()), None)
    rows, kern_rows = _table(buurten, by_buurt, indicator, streefwaarde)
    kaart, legend = _kaart(rows, buurten, indicator)
    wijk_rows = [
        (s.wijk, figure(indicator, s.waarden.get(indicator.key)))
        for s in selectors.snapshots_for(
            gemeente=gemeente, niveau=Niveau.WIJK, periode_eind=params["periode"], wijken=shown
        )
    ]
    # Survey figures: the gemeente's weighted figure and what it covers, beside the wijken.
    gemeente_fig = None
    if indicator.bron == ENQUETE:
        own = selectors.snapshots_for(
            gemeente=gemeente, niveau=Niveau.GEMEENTE, periode_eind=params["periode"]
        ).first()
        gemeente_fig = figure(indicator, own.waarden.get(indicator.key)) if own else None
    trend = None
    if len(shown) == 1:
        trend = _trend_chart(
            selectors.trend_snapshots(wijk=shown[0]),
            indicator,
            streefwaarde,
            naam=shown[0].naam,
            live=selectors.live_snapshot(wijk=shown[0]),
        )
    context = {
        "gemeente": gemeente,
        "indicator": indicator,
        "indicators": INDICATORS.values(),
        "params": params,
        "wijken": wijken,
        "shown": shown,
        "rows": _sorted(list(rows.values()), params["sorteer"]),
        "wijk_rows": wijk_rows,
        "gemeente_fig": gemeente_fig,
        "kern_boven": [b for b, _f, s in kern_rows if s == "boven"],
        "kern_onder": [(b, f) for b, f, s in kern_rows if s == "onder"],
        "kern_onbekend": [(b, f) for b, f, s in kern_rows if s is None],
        "streefwaarde": streefwaarde,
        "min_telling": instelling.min_n_telling,
        "bescherming": BESCHERMING,
        "bescherming_kort": BESCHERMING_KORT,
        "kaart": kaart,
        "legend": legend,
        "trend": trend,
        "periode": periode,
        "periodes": list(dict.fromkeys(eind for _s, eind in selectors.periodes_for(gemeente))),
        "berekening": selectors.latest_berekening(gemeente),
        "sort_links": _sort_links(request, params["sorteer"]),
        "streefwaarde_toelichting": STREEFWAARDE_TOELICHTING,
        "platform_toelichting": PLATFORM_TOELICHTING,
        "bron": bron(),
    }
    return render(request, "indicatoren/dashboard.html", context)


def buurt_url(buurt) -> str:
    return reverse("indicatoren:buurt", kwargs={"code": buurt.code})


def _legend_value(value: float, indicator: Indicator) -> str:
    return with_unit(value, indicator.eenheid)


def _sort_links(request, current: str) -> dict:
    """Per column: the URL that sorts by it (toggling direction) and the current direction."""
    links = {}
    for column in ("naam", "waarde", "n"):
        query = request.GET.copy()
        ascending = current == column
        query["sorteer"] = f"-{column}" if ascending else column
        direction = (
            "oplopend" if current == column else "aflopend" if current == f"-{column}" else ""
        )
        links[column] = {"url": f"?{query.urlencode()}", "richting": direction}
    return links


@section_required("indicatoren")
def buurt_trend(request, code):
    """One buurt of the coordinator's wijken: every live indicator of the latest 12 months, and
    the trend of the chosen one over the published quarters."""
    user = request.user
    buurt = get_object_or_404(
        Buurt.objects.filter(wijk__in=selectors.wijken_for(user)).select_related("wijk__gemeente"),
        code=code,
    )
    params, notices = _dashboard_form(request)
    for notice in notices:
        messages.warning(request, notice)
    indicator = INDICATORS[params["indicator"]]
    streefwaarde = selectors.settings_for(buurt.wijk.gemeente).streefwaarde_actieve_kern
    history = selectors.trend_snapshots(buurt=buurt)
    live = selectors.live_snapshot(buurt=buurt)
    waarden = live.waarden if live else {}
    figures = [(ind, figure(ind, waarden.get(ind.key))) for ind in INDICATORS.values()]
    context = {
        "buurt": buurt,
        "indicator": indicator,
        "trend": _trend_chart(history, indicator, streefwaarde, naam=buurt.naam, live=live),
        "figures": figures,
        "snapshot": live,
        "streefwaarde": streefwaarde,
        "platform_toelichting": PLATFORM_TOELICHTING,
    }
    return render(request, "indicatoren/buurt_trend.html", context)


@section_required("indicatoren")
@require_POST
def herberekenen(request):
    """Start an on-demand computation of the gemeente's live indicators (last 12 months). It
    replaces live figures only: published quarters are never recomputed from here."""
    gemeente = _gemeente(request.user)
    if ratelimit.exceeded(f"herberekenen:{request.user.pk}", "10/h"):
        messages.error(request, _("Je hebt al vaak opnieuw laten rekenen. Probeer het later."))
        return redirect("indicatoren:dashboard")
    try:
        berekening = services.berekening_request(gemeente=gemeente, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("indicatoren:dashboard")
    return redirect("indicatoren:berekening", pk=berekening.pk)


def _berekening_or_404(user, pk) -> Berekening:
    return get_object_or_404(
        Berekening.objects.filter(gemeente__in=selectors.gemeenten_for(user)), pk=pk
    )


# A computation still queued after this long has no worker to run it (it normally starts
# within seconds).
WACHT_TE_LANG = timedelta(minutes=2)


def _status_text(berekening: Berekening) -> str:
    if berekening.status == Berekening.Status.KLAAR:
        return _("Klaar: de nieuwe cijfers staan op het dashboard.")
    if berekening.status == Berekening.Status.MISLUKT:
        return _("De berekening is mislukt. Probeer het later opnieuw.")
    if berekening.status == Berekening.Status.WACHTEND:
        if timezone.now() - berekening.created_at > WACHT_TE_LANG:
            # Nobody picked it up: say so rather than wait without end.
            return _(
                "Wacht nog steeds op de rekenserver. Die lijkt niet te draaien; de berekening "
                "start vanzelf zodra hij weer werkt. Blijft dit zo, meld het dan de beheerder."
            )
        return _("Wacht op de rekenserver…")
    return _("Bezig: %(voortgang)s%%") % {"voortgang": berekening.voortgang}


@section_required("indicatoren")
def berekening(request, pk):
    """Progress of a computation. Static JavaScript polls the status; without it the page
    refreshes itself every few seconds until the computation is done."""
    obj = _berekening_or_404(request.user, pk)
    context = {"berekening": obj, "tekst": _status_text(obj)}
    return render(request, "indicatoren/berekening.html", context)


@section_required("indicatoren")
def berekening_status(request, pk):
    obj = _berekening_or_404(request.user, pk)
    return JsonResponse(
        {"status": obj.status, "voortgang": obj.voortgang, "tekst": _status_text(obj)}
    )
