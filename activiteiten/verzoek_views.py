"""Faciliteringsverzoeken: the resident's form and overview, the coordinator's queue and rules."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.access import section_required
from buurten.selectors import can_coordinate, member_buurt
from meldingen.forms import PhotosField, PhotosFormMixin
from wijkaanpak.ids import as_id

from . import verzoeken
from .models import Activiteit, StilzwijgendRegel, Verzoek, VerzoekSoort
from .selectors import verzoeken_to_decide, verzoeken_visible_to
from .workflow import Status


class VerzoekForm(forms.ModelForm):
    class Meta:
        model = Verzoek
        fields = ["soort", "bedrag", "nodig_op", "toelichting"]
        widgets = {
            "nodig_op": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "toelichting": forms.Textarea(attrs={"rows": 3}),
            "bedrag": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        }
        help_texts = {"bedrag": gettext_lazy("Alleen als het om geld gaat.")}

    def clean_bedrag(self):
        bedrag = self.cleaned_data["bedrag"]
        if bedrag is not None and bedrag < 0:
            raise forms.ValidationError(_("Een bedrag kan niet negatief zijn."))
        return bedrag


class VerantwoordingForm(PhotosFormMixin, forms.Form):
    foto = PhotosField(label=gettext_lazy("Foto van de activiteit"), max_photos=1)
    deelnemers = forms.IntegerField(label=gettext_lazy("Aantal deelnemers"), min_value=0)
    verantwoording = forms.CharField(
        label=gettext_lazy("Hoe is het geld besteed? (bij meer dan € 250)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@section_required("mijn_verzoeken")
def mijn(request):
    rows = (
        verzoeken_visible_to(request.user)
        .filter(aanvrager=request.user)
        .select_related("buurt")
        .order_by("-created_at")
    )
    return render(request, "activiteiten/verzoek_list.html", {"verzoeken": rows})


@section_required("verzoek_doen")
def nieuw(request):
    buurt = member_buurt(request.user)
    if buurt is None:
        messages.info(request, _("Word eerst lid van je buurt; daarna kun je steun vragen."))
        return redirect("home")
    activiteit = None
    if request.GET.get("activiteit"):
        pk = as_id(request.GET["activiteit"])
        if pk is None:
            raise Http404
        activiteit = get_object_or_404(Activiteit, pk=pk, organisator=request.user)
    form = VerzoekForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verzoek = verzoeken.verzoek_create(
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
    return render(request, "activiteiten/verzoek_form.html", context)


@section_required("mijn_verzoeken")
def detail(request, pk):
    verzoek = get_object_or_404(
        verzoeken_visible_to(request.user).select_related("buurt__wijk", "aanvrager", "activiteit"),
        pk=pk,
    )
    context = {
        "verzoek": verzoek,
        "historie": verzoek.historie.select_related("door"),
        "is_aanvrager": verzoek.aanvrager_id == request.user.pk,
        "is_coordinator": can_coordinate(request.user, verzoek.buurt),
        "verantwoording_form": VerantwoordingForm(),
        "today": timezone.localdate(),
    }
    return render(request, "activiteiten/verzoek_detail.html", context)


@section_required("mijn_verzoeken")
@require_POST
def actie(request, pk):
    verzoek = get_object_or_404(verzoeken_visible_to(request.user), pk=pk)
    chosen = request.POST.get("actie", "")
    try:
        if chosen in ("toekennen", "aanvulling_vragen", "afwijzen"):
            verzoeken.verzoek_besluiten(
                verzoek=verzoek,
                by=request.user,
                actie=chosen,
                bericht=request.POST.get("bericht", ""),
            )
        elif chosen == "indienen":
            if verzoek.aanvrager_id != request.user.pk:
                raise PermissionDenied
            verzoeken.verzoek_indienen(
                verzoek=verzoek, by=request.user, antwoord=request.POST.get("antwoord", "")
            )
        elif chosen == "verantwoorden":
            form = VerantwoordingForm(request.POST, request.FILES, request=request)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            verzoeken.verzoek_aanvrager_actie(
                verzoek=verzoek,
                by=request.user,
                actie=chosen,
                foto=(form.cleaned_data["foto"] or [None])[0],
                deelnemers=form.cleaned_data["deelnemers"],
                verantwoording=form.cleaned_data["verantwoording"],
            )
        else:
            verzoeken.verzoek_aanvrager_actie(verzoek=verzoek, by=request.user, actie=chosen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            "intrekken": _("Je verzoek is ingetrokken."),
            "indienen": _("Je verzoek is ingediend."),
        }
        messages.success(request, done.get(chosen, _("Het verzoek is bijgewerkt.")))
    return redirect("activiteiten:verzoek", pk=pk)


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
            return redirect("activiteiten:wachtrij")
        chosen = rows.filter(pk__in=ids, status=Status.INGEDIEND)
        approved = verzoeken.verzoeken_toekennen(verzoeken=list(chosen), by=request.user)
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
        return redirect("activiteiten:wachtrij")
    context = {
        "verzoeken": rows,
        "soorten": VerzoekSoort.choices,
        "soort": soort,
        "today": timezone.localdate(),
    }
    return render(request, "activiteiten/verzoek_queue.html", context)


class RegelForm(forms.Form):
    soort = forms.ChoiceField(label=gettext_lazy("Soort verzoek"), choices=VerzoekSoort.choices)
    max_bedrag = forms.DecimalField(
        label=gettext_lazy("Tot en met bedrag (€)"), required=False, decimal_places=2
    )
    werkdagen = forms.IntegerField(label=gettext_lazy("Werkdagen"))
    actief = forms.BooleanField(label=gettext_lazy("Actief"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounds = {
            "max": number_format(verzoeken.STILZWIJGEND_MAX_BEDRAG, force_grouping=True),
            "min": verzoeken.STILZWIJGEND_WERKDAGEN[0],
            "dagen": verzoeken.STILZWIJGEND_WERKDAGEN[-1],
        }
        self.fields["max_bedrag"].help_text = (
            _("Hoogstens € %(max)s. Leeg: tot € %(max)s, of geen bedrag nodig.") % bounds
        )
        self.fields["werkdagen"].help_text = _("%(min)s tot en met %(dagen)s werkdagen.") % bounds


@section_required("verzoeken_beslissen")
def regels(request):
    """Coordinators set which kinds of request are approved by silent consent, within bounds;
    replacing a rule of their gemeente asks for confirmation first."""
    if request.user.team is None:
        raise PermissionDenied
    rows = StilzwijgendRegel.objects.filter(gemeente_id=request.user.team.gemeente_id)
    form = RegelForm(request.POST or None)
    vervangt = None
    if request.method == "POST" and form.is_valid():
        try:
            verzoeken.regel_opslaan(
                by=request.user, vervangen=bool(request.POST.get("vervangen")), **form.cleaned_data
            )
        except verzoeken.RuleExists as exc:
            vervangt = exc.regel
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("De regel is opgeslagen."))
            return redirect("activiteiten:regels")
    context = {
        "form": form,
        "regels": rows.select_related("gewijzigd_door"),
        "vervangt": vervangt,
        "max_bedrag": verzoeken.STILZWIJGEND_MAX_BEDRAG,
        "werkdagen": verzoeken.STILZWIJGEND_WERKDAGEN,
    }
    return render(request, "activiteiten/regels.html", context)
