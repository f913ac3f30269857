"""The buurt survey for residents, and survey rounds for coordinators (open and close per wijk)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import section_required
from buurten.selectors import member_buurt

from . import selectors, services
from .forms import PeilingOpenForm, SurveyForm
from .models import Peiling


@section_required("peiling")
def enquete(request):
    """The open round of the resident's wijk: one response per resident, answers anonymous."""
    user = request.user
    buurt = member_buurt(user)
    peiling = selectors.open_peiling_for(user) if buurt else None
    if peiling is None:
        return render(request, "indicatoren/enquete_geen.html", {"buurt": buurt})
    if selectors.has_responded(user, peiling):
        if request.method == "POST":
            messages.info(request, _("Je hebt deze peiling al ingevuld. Dank je wel!"))
        context = {
            "peiling": peiling,
            "starter": selectors.starter_of(user),
            "aanbieden": selectors.starter_offered(request, peiling),
            "next": request.path,
        }
        return render(request, "indicatoren/enquete_klaar.html", context)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respons_submit(peiling=peiling, user=user, antwoorden=form.antwoorden())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Dank je wel! Je antwoorden zijn anoniem opgeslagen."),
            )
            return redirect("indicatoren:mijn-buurt")
    minimum = selectors.settings_for(buurt.wijk.gemeente).min_n_enquete
    context = {
        "form": form,
        "stappen": form.stappen(),
        "peiling": peiling,
        "buurt": buurt,
        "min_n": minimum,
        "concept": _concept_key(user, peiling),
    }
    return render(request, "indicatoren/enquete.html", context, status=400 if form.errors else 200)


def _concept_key(user, peiling) -> str:
    """The name under which the browser keeps unsent answers for this person and round (in the
    tab's sessionStorage, so that a reload keeps them): another person signing in on the same tab
    gets another name, and the name says nothing about who answered."""
    return salted_hmac("indicatoren.enquete.concept", f"{user.pk}:{peiling.pk}").hexdigest()[:20]


def _default_titel() -> str:
    return _("Buurtpeiling %(maand)s") % {"maand": date_format(timezone.localdate(), "F Y")}


@section_required("peilingen")
def peilingen(request):
    """The coordinator's survey rounds: open one per wijk, close it when enough people answered."""
    wijken = selectors.wijken_for(request.user)
    form = PeilingOpenForm(
        request.POST or None,
        wijken=wijken.exclude(pk__in=Peiling.objects.filter(gesloten_at=None).values("wijk")),
        initial={"titel": _default_titel()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            peiling = services.peiling_open(
                wijk=form.cleaned_data["wijk"],
                by=request.user,
                titel=form.cleaned_data["titel"] or _default_titel(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "De peiling in %(wijk)s is geopend. Bewoners van de wijk zien nu een "
                    "uitnodiging op hun startpagina."
                )
                % {"wijk": peiling.wijk.naam},
            )
            return redirect("indicatoren:peilingen")
    context = {
        "form": form,
        "peilingen": selectors.peilingen_for(request.user),
    }
    return render(
        request, "indicatoren/peilingen.html", context, status=400 if form.errors else 200
    )


@section_required("peilingen")
@require_POST
def peiling_sluiten(request, pk):
    peiling = get_object_or_404(
        Peiling.objects.filter(wijk__in=selectors.wijken_for(request.user)).select_related("wijk"),
        pk=pk,
    )
    try:
        services.peiling_close(peiling=peiling, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("De peiling in %(wijk)s is gesloten. Reken de cijfers opnieuw uit om ze te zien.")
            % {"wijk": peiling.wijk.naam},
        )
    return redirect("indicatoren:peilingen")
