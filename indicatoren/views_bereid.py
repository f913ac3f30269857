"""Van bereid naar actief, for coordinators: per buurt the willing (survey) against the active
core (platform) and the target, the gap and the change since the previous round; how many
residents asked to be invited as starters and how many later took part, and inviting them to an
upcoming activity without ever seeing who they are."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import section_required
from activiteiten.models import Activiteit
from buurten.models import Buurt
from wijkaanpak import next_url

from . import charts, selectors, services
from .bereid import paden
from .display import number, telling
from .forms import StarterForm, StarterUitnodigingForm
from .models import Niveau
from .registry import STREEFWAARDE_TOELICHTING
from .views_dashboard import dashboard_scope


def _chart(rows, streefwaarde: int):
    path_rows = []
    for row in rows:
        words = [
            _("bereid %(bereid)s") % {"bereid": row.bereid.tekst},
            _("actief %(kern)s") % {"kern": row.kern.tekst},
        ]
        path_rows.append(
            charts.PathRow(
                naam=row.naam,
                tekst=" · ".join(words),
                bereid=row.bereid.waarde,
                bereid_ci=row.bereid.ci,
                kern=row.kern.waarde,
                # The previous round is drawn only where the change is computed from it.
                vorige=row.vorige.waarde if row.verandering is not None else None,
            )
        )
    return charts.path_chart(
        path_rows,
        label=_(
            "Per buurt: het deel dat bereid is om iets te doen (rondje) tegenover de actieve kern "
            "(vierkantje) en het doel. Dezelfde cijfers staan in de tabel."
        ),
        streefwaarde=streefwaarde,
        streefwaarde_label=_("doel %(doel)s%% (aanname)") % {"doel": streefwaarde},
    )


@section_required("indicatoren")
def bereid_naar_actief(request):
    gemeente, params, wijken, shown = dashboard_scope(request)
    instelling = selectors.settings_for(gemeente)
    snapshots = list(
        selectors.snapshots_for(
            gemeente=gemeente, niveau=Niveau.BUURT, periode_eind=params["periode"], wijken=shown
        ).defer("buurt__geometrie")
    )
    buurten = list(
        Buurt.objects.filter(wijk__in=shown)
        .select_related("wijk")
        .defer("geometrie")
        .order_by("wijk__naam", "naam")
    )
    rows = paden(buurten, snapshots)
    minimum = instelling.min_n_telling
    starters = [
        {
            "peiling": row["peiling"],
            "aangemeld": telling(row["aangemeld"], minimum),
            "meegedaan": telling(row["meegedaan"], minimum),
        }
        for row in selectors.starter_counts(shown)
    ]
    context = {
        "gemeente": gemeente,
        "wijken": wijken,
        "shown": shown,
        "params": params,
        "periode": snapshots[0] if snapshots else None,
        "rows": rows,
        "grafiek": _chart(rows, instelling.streefwaarde_actieve_kern),
        "streefwaarde": instelling.streefwaarde_actieve_kern,
        "streefwaarde_toelichting": STREEFWAARDE_TOELICHTING,
        "min_telling": minimum,
        "starters": starters,
        "activiteiten": list(selectors.upcoming_activities(shown)[:50]),
    }
    return render(request, "indicatoren/bereid_naar_actief.html", context)


@section_required("indicatoren")
@require_POST
def starters_uitnodigen(request):
    """Queue the invitation; the coordinator learns how many starters the buurt has (suppressed
    when few), never who, nor how many were invited this time."""
    back = reverse("indicatoren:bereid") + "#starters"
    form = StarterUitnodigingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["activiteit"]))
        return redirect(back)
    wijken = selectors.wijken_for(request.user)
    activiteit = get_object_or_404(
        Activiteit.objects.filter(buurt__wijk__in=wijken).select_related("buurt"),
        pk=form.cleaned_data["activiteit"],
    )
    try:
        services.starters_uitnodigen(activiteit=activiteit, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    # Told the same whoever signed up: the buurt's starters, not how many were queued now (that
    # differs by who is signed up, so two activities would tell which participant is a starter).
    minimum = selectors.settings_for(activiteit.buurt.wijk.gemeente).min_n_telling
    starters = selectors.starters_of(activiteit.buurt).count()
    if starters < minimum:
        text = _(
            "De uitnodiging voor %(titel)s gaat naar de starters van %(buurt)s die nog niet "
            "meedoen en nog geen uitnodiging kregen. %(buurt)s heeft minder dan %(min)s "
            "starters (het precieze aantal tonen we niet)."
        )
    else:
        text = _(
            "De uitnodiging voor %(titel)s gaat naar de starters van %(buurt)s die nog niet "
            "meedoen en nog geen uitnodiging kregen. %(buurt)s heeft %(n)s starters."
        )
    values = {
        "titel": activiteit.titel,
        "buurt": activiteit.buurt.naam,
        "min": minimum,
        "n": number(starters, "aantal"),
    }
    messages.success(request, text % values)
    return redirect(back)


def _back(request):
    return next_url.back(request, reverse("indicatoren:mijn-buurt"))


@section_required("peiling")
@require_POST
def starter_aanmelden(request):
    """A resident opts in, by a request of its own after the answers were saved."""
    form = StarterForm(request.POST)
    peiling = selectors.open_peiling_for(request.user)
    if not form.is_valid() or peiling is None or form.cleaned_data["peiling"] != peiling.pk:
        messages.error(
            request,
            _(
                "Deze peiling is gesloten of bestaat niet. Je kunt je bij de volgende peiling "
                "aanmelden als starter."
            ),
        )
        return _back(request)
    try:
        services.starter_aanmelden(user=request.user, peiling=peiling)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Fijn! Als er in je buurt iets te doen is, krijg je een uitnodiging. Afmelden kan "
                "altijd."
            ),
        )
    return _back(request)


@section_required("peiling")
@require_POST
def starter_intrekken(request):
    services.starter_intrekken(user=request.user)
    # Not asked again in this round right under "je bent afgemeld" (the next round asks anew).
    peiling = selectors.open_peiling_for(request.user)
    if peiling is not None:
        request.session[selectors.STARTER_AFGEMELD] = peiling.pk
    messages.success(request, _("Je bent afgemeld als starter. We sturen je geen uitnodigingen."))
    return _back(request)
