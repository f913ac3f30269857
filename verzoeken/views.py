"""Faciliteringsverzoeken: the resident's form and overview, the coordinator's queue and rules.
Who may reach what is asked of ``selectors``; the services check it again on every write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import inzendingen
from accounts.access import section_required
from buurten.selectors import buurten_in_area, member_buurt
from wijkaanpak.bedragen import format_bedrag
from wijkaanpak.forms import BedragField
from wijkaanpak.ids import as_id

from . import services
from .bedrag_advies import bedrag_advies
from .forms import (
    AntwoordForm,
    BesluitForm,
    RegelForm,
    VerantwoordingForm,
    VerzoekForm,
    WachtrijFilter,
)
from .selectors import (
    access_to,
    activiteit_to_support,
    own_verzoeken,
    regels_visible_to,
    sets_regels,
    toegekend_per_buurt,
    verzoeken_to_decide,
    verzoeken_visible_to,
    wachtrij_rows,
)
from .termijnen import answer_too_late
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
    advies, te_laat = [], None
    if request.method == "POST" and form.is_valid():
        indienen = "indienen" in request.POST
        bedrag, soort = form.cleaned_data["bedrag"], form.cleaned_data["soort"]
        nodig_op = form.cleaned_data["nodig_op"]
        advies = bedrag_advies(gemeente_id=buurt.wijk.gemeente_id, soort=soort, bedrag=bedrag)
        if indienen:
            te_laat = _te_laat(buurt, soort=soort, bedrag=bedrag, nodig_op=nodig_op)
        # An unusual amount, or an answer that may come too late, is submitted once the
        # resident saw the warning for that amount and that date: a warning, not a refusal.
        if indienen and (
            (advies and request.POST.get("bedrag_gezien") != str(bedrag))
            or (te_laat and request.POST.get("datum_gezien") != nodig_op.isoformat())
        ):
            return _verzoek_form(request, form, buurt, activiteit, advies, te_laat)
        velden = {k: v for k, v in form.cleaned_data.items() if k != "inzending"}
        try:
            with transaction.atomic():
                inzendingen.claim(request.user, form.cleaned_data["inzending"])
                verzoek = services.verzoek_create(
                    aanvrager=request.user,
                    buurt=buurt,
                    activiteit=activiteit,
                    indienen=indienen,
                    **velden,
                )
        except inzendingen.AlVerstuurd:
            messages.info(request, _("Dit verzoek was al verstuurd en is één keer opgeslagen."))
            return redirect("verzoeken:lijst")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if verzoek.status == Status.INGEDIEND:
                done = _("Je verzoek is ingediend.")
            else:
                done = _("Je verzoek is bewaard als concept.")
            if verzoek.bedrag is not None:
                done += " " + _je_vraagt(verzoek.bedrag)
            messages.success(request, done)
            return redirect(verzoek)
    return _verzoek_form(request, form, buurt, activiteit, advies, te_laat)


def _te_laat(buurt, *, soort, bedrag, nodig_op) -> services.Termijn | None:
    """The deadline a request submitted now would get, if the answer may come only on or after
    the day it is needed; else None (also for a day past: the service refuses that)."""
    if nodig_op < timezone.localdate():
        return None
    termijn = services.termijn_bij_indienen(
        gemeente_id=buurt.wijk.gemeente_id, soort=soort, bedrag=bedrag
    )
    return termijn if answer_too_late(termijn.deadline, nodig_op) else None


def _verzoek_form(request, form, buurt, activiteit, advies, te_laat=None):
    # The amount as read, also when another field is wrong.
    read = getattr(form, "cleaned_data", {})
    bedrag = read.get("bedrag") if "bedrag" not in form.errors else None
    context = {
        "form": form,
        "buurt": buurt,
        "activiteit": activiteit,
        "advies": advies,
        "te_laat": te_laat,
        "nodig_op": read.get("nodig_op"),
        "bedrag": bedrag,
        "je_vraagt": _je_vraagt(bedrag) if bedrag is not None else "",
    }
    return render(request, "verzoeken/verzoek_form.html", context)


def _je_vraagt(bedrag) -> str:
    return _("Je vraagt %(bedrag)s.") % {"bedrag": format_bedrag(bedrag)}


@section_required("mijn_verzoeken")
def bedrag_lezen(request):
    """The amount as the site reads it, for the form to show back while the resident types
    (the same parser as on submit) with the warnings about it; JSON."""
    try:
        amount = BedragField(required=False).clean(request.GET.get("bedrag", ""))
    except ValidationError as exc:
        return JsonResponse({"fout": " ".join(exc.messages)})
    if amount is None:
        return JsonResponse({})
    buurt = member_buurt(request.user)
    advies = []
    if buurt is not None:
        soort = request.GET.get("soort", "")
        advies = bedrag_advies(gemeente_id=buurt.wijk.gemeente_id, soort=soort, bedrag=amount)
    return JsonResponse({"bedrag": format_bedrag(amount), "waarde": str(amount), "advies": advies})


@section_required("mijn_verzoeken")
def detail(request, pk):
    verzoek = get_object_or_404(
        verzoeken_visible_to(request.user).select_related("buurt__wijk", "aanvrager", "activiteit"),
        pk=pk,
    )
    access = access_to(request.user, verzoek)
    advies = []
    if access.is_aanvrager and verzoek.status in (Status.CONCEPT, Status.AANVULLING):
        advies = bedrag_advies(
            gemeente_id=verzoek.buurt.wijk.gemeente_id, soort=verzoek.soort, bedrag=verzoek.bedrag
        )
    context = {
        "advies": advies,
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
                bericht=_checked(BesluitForm(request.POST))["bericht"],
            )
        elif chosen == "indienen":
            antwoord = _checked(AntwoordForm(request.POST))["antwoord"]
            services.verzoek_indienen(verzoek=verzoek, by=request.user, antwoord=antwoord)
        elif chosen == "verantwoorden":
            read = _checked(VerantwoordingForm(request.POST, request.FILES, request=request))
            services.verzoek_aanvrager_actie(
                verzoek=verzoek,
                by=request.user,
                actie=chosen,
                foto=(read["foto"] or [None])[0],
                deelnemers=read["deelnemers"],
                verantwoording=read["verantwoording"],
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


def _checked(form) -> dict:
    """What the form read; else its errors, each after its field's label if it has one, as one
    ValidationError (the page shows them as a message)."""
    if form.is_valid():
        return form.cleaned_data
    shown = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        shown += [f"{label}: {error}" if label else error for error in errors]
    raise ValidationError(shown)


PAGE_SIZE = 25


@section_required("verzoeken_beslissen")
def wachtrij(request):
    """The coordinator's requests: open ones by deadline first, the history by filters and
    words, and the money granted per buurt this year."""
    if request.method == "POST":
        return _toekennen(request)
    area = buurten_in_area(request.user).order_by("naam").values_list("pk", "naam")
    filters = WachtrijFilter(request.GET or None, buurten=area)
    if filters.is_bound and not filters.is_valid():
        messages.error(request, _("Niet alle filters konden worden gebruikt; zie hieronder."))
    rows = wachtrij_rows(request.user, **(filters.choices() if filters.is_bound else {}))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    jaar = timezone.localdate().year
    context = {
        "filters": filters,
        "verzoeken": page,
        "page": page,
        "today": timezone.localdate(),
        "sets_regels": sets_regels(request.user),
        "jaar": jaar,
        "toegekend": toegekend_per_buurt(request.user, jaar=jaar),
    }
    return render(request, "verzoeken/verzoek_queue.html", context)


def _toekennen(request):
    """Bulk approval of the selected submitted requests; back to the same filters."""
    back = reverse("verzoeken:wachtrij") + (f"?{request.GET.urlencode()}" if request.GET else "")
    ids = [pk for pk in map(as_id, request.POST.getlist("verzoek")) if pk is not None]
    if not ids:
        messages.error(request, _("Selecteer minstens één verzoek om toe te kennen."))
        return redirect(back)
    chosen = verzoeken_to_decide(request.user).filter(pk__in=ids, status=Status.INGEDIEND)
    approved = services.verzoeken_toekennen(verzoeken=list(chosen), by=request.user)
    if approved:
        messages.success(
            request,
            ngettext("%(n)s verzoek toegekend.", "%(n)s verzoeken toegekend.", approved)
            % {"n": approved},
        )
    else:
        messages.info(request, _("Er is niets toegekend: de gekozen verzoeken zijn al besloten."))
    return redirect(back)


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
