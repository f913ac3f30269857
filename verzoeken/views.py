"""Faciliteringsverzoeken: the resident's form and overview, the coordinator's queue and rules.
Who may reach what is asked of ``selectors``; the services check it again on every write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import section_required
from buurten.selectors import member_buurt
from wijkaanpak.ids import as_id

from . import services
from .forms import RegelForm, VerantwoordingForm, VerzoekForm
from .models import VerzoekSoort
from .selectors import (
    access_to,
    activiteit_to_support,
    own_verzoeken,
    regels_visible_to,
    sets_regels,
    verzoeken_to_decide,
    verzoeken_visible_to,
)
from .workflow import Status


@section_required("mijn_verzoeken")
def mijn(request):
    rows = own_verzoeken(request.user)
    return render(request, "verzoeken/verzoek_list.html", {"verzoeken": rows})


@section_required("verzoek_doen")
def nieuw(request):
    buurt = member_buurt(request.user)
    if buurt is None:
        messages.info(request, _("Word eerst lid van je buurt; daarna kun je steun vragen."))
        return redirect("home")
    activiteit = None
    if request.GET.get("activiteit"):
        activiteit = activiteit_to_support(request.user, request.GET["activiteit"])
        if activiteit is None:
            raise Http404
    form = VerzoekForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verzoek = services.verzoek_create(
                aanvrager=request.user,
                buurt=buurt,
                activiteit=activiteit,
                indienen="indienen" in request.POST,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if verzoek.status == Status.INGEDIEND:
                messages.success(request, _("Je verzoek is ingediend."))
            else:
                messages.success(request, _("Je verzoek is bewaard als concept."))
            return redirect(verzoek)
    context = {"form": form, "buurt": buurt, "activiteit": activiteit}
    return render(request, "verzoeken/verzoek_form.html", context)


@section_required("mijn_verzoeken")
def detail(request, pk):
    verzoek = get_object_or_404(
        verzoeken_visible_to(request.user).select_related("buurt__wijk", "aanvrager", "activiteit"),
        pk=pk,
    )
    access = access_to(request.user, verzoek)
    context = {
        "verzoek": verzoek,
        "historie": verzoek.historie.select_related("door"),
        "is_aanvrager": access.is_aanvrager,
        "is_coordinator": access.is_coordinator,
        "verantwoording_form": VerantwoordingForm(),
        "today": timezone.localdate(),
    }
    return render(request, "verzoeken/verzoek_detail.html", context)


@section_required("mijn_verzoeken")
@require_POST
def actie(request, pk):
    verzoek = get_object_or_404(verzoeken_visible_to(request.user), pk=pk)
    chosen = request.POST.get("actie", "")
    try:
        if chosen in ("toekennen", "aanvulling_vragen", "afwijzen"):
            services.verzoek_besluiten(
                verzoek=verzoek,
                by=request.user,
                actie=chosen,
                bericht=request.POST.get("bericht", ""),
            )
        elif chosen == "indienen":
            services.verzoek_indienen(
                verzoek=verzoek, by=request.user, antwoord=request.POST.get("antwoord", "")
            )
        elif chosen == "verantwoorden":
            form = VerantwoordingForm(request.POST, request.FILES, request=request)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.verzoek_aanvrager_actie(
                verzoek=verzoek,
                by=request.user,
                actie=chosen,
                foto=(form.cleaned_data["foto"] or [None])[0],
                deelnemers=form.cleaned_data["deelnemers"],
                verantwoording=form.cleaned_data["verantwoording"],
            )
        else:
            services.verzoek_aanvrager_actie(verzoek=verzoek, by=request.user, actie=chosen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            "intrekken": _("Je verzoek is ingetrokken."),
            "indienen": _("Je verzoek is ingediend."),
        }
        messages.success(request, done.get(chosen, _("Het verzoek is bijgewerkt.")))
    return redirect("verzoeken:detail", pk=pk)


@section_required("verzoeken_beslissen")
def wachtrij(request):
    """Open requests in the coordinator's wijken, earliest deadline first."""
    rows = verzoeken_to_decide(request.user)
    soort = request.GET.get("soort", "")
    if soort in VerzoekSoort.values:
        rows = rows.filter(soort=soort)
    if request.method == "POST":
        ids = [pk for pk in map(as_id, request.POST.getlist("verzoek")) if pk is not None]
        if not ids:
            messages.error(request, _("Selecteer minstens één verzoek om toe te kennen."))
            return redirect("verzoeken:wachtrij")
        chosen = rows.filter(pk__in=ids, status=Status.INGEDIEND)
        approved = services.verzoeken_toekennen(verzoeken=list(chosen), by=request.user)
        if approved:
            messages.success(
                request,
                ngettext("%(n)s verzoek toegekend.", "%(n)s verzoeken toegekend.", approved)
                % {"n": approved},
            )
        else:
            messages.info(
                request, _("Er is niets toegekend: de gekozen verzoeken zijn al besloten.")
            )
        return redirect("verzoeken:wachtrij")
    context = {
        "verzoeken": rows,
        "soorten": VerzoekSoort.choices,
        "soort": soort,
        "today": timezone.localdate(),
        "sets_regels": sets_regels(request.user),
    }
    return render(request, "verzoeken/verzoek_queue.html", context)


@section_required("verzoeken_beslissen")
def regels(request):
    """Coordinators set which kinds of request are approved by silent consent, within bounds;
    replacing a rule of their gemeente asks for confirmation first."""
    if not sets_regels(request.user):
        raise PermissionDenied
    form = RegelForm(request.POST or None)
    vervangt = None
    if request.method == "POST" and form.is_valid():
        try:
            services.regel_opslaan(
                by=request.user, vervangen=bool(request.POST.get("vervangen")), **form.cleaned_data
            )
        except services.RuleExists as exc:
            vervangt = exc.regel
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("De regel is opgeslagen."))
            return redirect("verzoeken:regels")
    context = {
        "form": form,
        "regels": regels_visible_to(request.user),
        "vervangt": vervangt,
        "max_bedrag": services.STILZWIJGEND_MAX_BEDRAG,
        "werkdagen": services.STILZWIJGEND_WERKDAGEN,
    }
    return render(request, "verzoeken/regels.html", context)
