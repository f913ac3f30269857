"""Activities: list, create, detail with sign-up and waiting list, attendance, calendars and
invitation links."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import inzendingen, ratelimit
from accounts.access import section_required
from buurten.delen import share_box
from buurten.flyers import qr_svg
from buurten.models import Buurt
from buurten.selectors import is_verified_member, member_buurt
from notificaties.soorten import site_url

from . import calendar, selectors, services
from .forms import AanwezigheidForm, ActiviteitForm, BerichtForm
from .models import Aanmelding, Activiteit


def activiteit_list(request):
    activiteiten = selectors.upcoming(selectors.activiteiten_visible_to(request.user))
    buurt = member_buurt(request.user) if request.user.is_authenticated else None
    afgelopen = []
    if request.user.is_authenticated:
        afgelopen = Activiteit.objects.filter(
            organisator=request.user, einde__lt=timezone.now()
        ).order_by("-start")[:10]
    return render(
        request,
        "activiteiten/activiteit_list.html",
        {"activiteiten": activiteiten[:100], "buurt": buurt, "afgelopen": afgelopen},
    )


@section_required("organiseren")
def activiteit_create(request):
    buurt = member_buurt(request.user)
    if buurt is None:
        messages.info(request, _("Word eerst lid van je buurt; daarna kun je activiteiten maken."))
        return redirect("home")
    form = ActiviteitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                inzendingen.claim(request.user, data["inzending"])
                made = services.activiteit_create(
                    organisator=request.user,
                    buurt=buurt,
                    soort=data["soort"],
                    titel=data["titel"],
                    beschrijving=data["beschrijving"],
                    plek=data["plek"],
                    start=data["start"],
                    einde=data["einde"],
                    capaciteit=data["capaciteit"],
                    zichtbaarheid=data["zichtbaarheid"],
                    rollen=form.rollen(),
                    herhaling=data["herhaling"] or None,
                    aantal=data["aantal"] or 1,
                )
        except inzendingen.AlVerstuurd:
            messages.info(request, _("Deze activiteit was al verstuurd en staat er één keer op."))
            return redirect("activiteiten:lijst")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if len(made) > 1:
                messages.success(request, _("%(n)s activiteiten gemaakt.") % {"n": len(made)})
            else:
                messages.success(request, _("Je activiteit staat erop. Nodig je buren uit!"))
            return redirect(made[0])
    return render(request, "activiteiten/activiteit_form.html", {"form": form, "buurt": buurt})


def _visible(request, pk) -> Activiteit:
    return get_object_or_404(
        selectors.activiteiten_visible_to(request.user).select_related("soort", "buurt"), pk=pk
    )


def activiteit_detail(request, pk):
    activiteit = _visible(request, pk)
    counted = selectors.with_counts(Activiteit.objects.filter(pk=activiteit.pk)).get()
    rollen = list(
        activiteit.rollen.annotate(
            bezet=Count("aanmeldingen", filter=Q(aanmeldingen__status=Aanmelding.Status.AANGEMELD))
        )
    )
    may_see = selectors.may_see_participants(request.user, activiteit)
    mine = selectors.own_sign_up(request.user, activiteit)
    is_organisator = request.user.is_authenticated and activiteit.organisator_id == request.user.pk
    context = {
        "activiteit": activiteit,
        "counts": counted,
        "rollen": rollen,
        "mine": mine,
        "is_organisator": is_organisator,
        "deel": _invitation_share_box(activiteit) if is_organisator else None,
        "deelnemers": activiteit.aanmeldingen.filter(status__in=Aanmelding.ACTIVE).select_related(
            "user", "rol"
        )
        if may_see
        else None,
        "begonnen": activiteit.start <= timezone.now(),
        "berichten": activiteit.berichten.all()[:10] if may_see or mine else [],
    }
    return render(request, "activiteiten/activiteit_detail.html", context)


def _invitation_share_box(activiteit: Activiteit) -> dict:
    """The organiser's share box: sign-ups through its link count as via the invitation."""
    intro = _("Doe je mee? %(titel)s, %(datum)s in %(buurt)s:") % {
        "titel": activiteit.titel,
        "datum": date_format(timezone.localtime(activiteit.start), "l j F H:i"),
        "buurt": activiteit.buurt.naam,
    }
    link = site_url(reverse("activiteiten:uitnodiging", kwargs={"token": activiteit.uitnodiging}))
    return share_box(intro=intro, link=link)


@login_required
@require_POST
def aanmelden(request, pk):
    activiteit = _visible(request, pk)
    rol = None
    if request.POST.get("rol"):
        rol = selectors.rol_of(activiteit, request.POST["rol"])
        if rol is None:
            messages.error(
                request, _("Deze vrijwilligersrol bestaat niet (meer). Kies een rol hieronder.")
            )
            return redirect(activiteit)
    try:
        aanmelding = services.aanmelden(
            user=request.user,
            activiteit=activiteit,
            rol=rol,
            via_uitnodiging=request.POST.get("uitnodiging") == activiteit.uitnodiging,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("Deze activiteit is alleen voor leden van de buurt."))
    else:
        if aanmelding.status == Aanmelding.Status.WACHTLIJST:
            messages.info(
                request,
                _(
                    "Het is vol: je staat op de wachtlijst. Komt er een plek vrij, dan krijg je "
                    "bericht."
                ),
            )
        else:
            messages.success(request, _("Je bent aangemeld. Tot dan!"))
    return redirect(activiteit)


@login_required
@require_POST
def afmelden(request, pk):
    activiteit = _visible(request, pk)
    aanmelding = selectors.own_sign_up(request.user, activiteit)
    if aanmelding is None:
        raise Http404
    try:
        services.afmelden(aanmelding=aanmelding, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Je bent afgemeld."))
    return redirect(activiteit)


@login_required
def aanwezigheid(request, pk):
    activiteit = _visible(request, pk)
    if not selectors.may_see_participants(request.user, activiteit):
        raise PermissionDenied
    aanmeldingen = list(
        activiteit.aanmeldingen.filter(status=Aanmelding.Status.AANGEMELD).select_related(
            "user", "rol"
        )
    )
    form = AanwezigheidForm(
        request.POST or None,
        request.FILES or None,
        initial={"extra_bezoekers": activiteit.extra_bezoekers, "verslag": activiteit.verslag},
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        try:
            entries = [
                services.Aanwezigheid(
                    aanmelding_id=a.pk,
                    aanwezig=f"aanwezig_{a.pk}" in request.POST,
                    uren=_hours(request.POST.get(f"uren_{a.pk}", "")),
                )
                for a in aanmeldingen
            ]
            services.aanwezigheid_registreren(
                activiteit=activiteit,
                by=request.user,
                aanwezigheid=entries,
                extra_bezoekers=form.cleaned_data["extra_bezoekers"],
                verslag=form.cleaned_data["verslag"],
                foto=(form.cleaned_data["foto"] or [None])[0],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De aanwezigheid is opgeslagen. Dank je!"))
            return redirect(activiteit)
    context = {"activiteit": activiteit, "aanmeldingen": aanmeldingen, "form": form}
    return render(request, "activiteiten/aanwezigheid.html", context)


def _hours(raw: str) -> Decimal | None:
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    try:
        hours = Decimal(raw)
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        raise ValidationError(_("Vul uren in als getal, bijvoorbeeld 1,5."))
    return hours


# Messages per organiser, over all their activities: each one goes to every participant.
BERICHTEN_RATE = "5/h"


@login_required
@require_POST
def bericht(request, pk):
    activiteit = _visible(request, pk)
    form = BerichtForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["tekst"])
        if ratelimit.exceeded(f"activiteit-bericht:{request.user.pk}", BERICHTEN_RATE):
            raise ValidationError(
                _(
                    "Je hebt het afgelopen uur al veel berichten verstuurd. Probeer het later "
                    "opnieuw."
                )
            )
        services.bericht_versturen(
            activiteit=activiteit, by=request.user, tekst=form.cleaned_data["tekst"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Je bericht staat bij de activiteit en gaat per e-mail naar wie dat wil."),
        )
    return redirect(activiteit)


def verslag_foto(request, pk):
    """The report photo, for whoever may see the activity (media are not served publicly)."""
    activiteit = _visible(request, pk)
    if not activiteit.verslag_foto:
        raise Http404
    response = FileResponse(activiteit.verslag_foto.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def activiteit_ics(request, pk):
    activiteit = _visible(request, pk)
    response = HttpResponse(
        calendar.ics(activiteit.titel, [activiteit]), content_type=calendar.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="activiteit-{activiteit.pk}.ics"'
    return response


def buurt_ics(request, code):
    """A buurt's public activities as a calendar apps can subscribe to."""
    buurt = get_object_or_404(Buurt, code=code)
    activiteiten = Activiteit.objects.filter(
        buurt=buurt, zichtbaarheid=Activiteit.Zichtbaarheid.OPENBAAR, geannuleerd_at=None
    ).order_by("start")
    return HttpResponse(calendar.ics(buurt.naam, activiteiten), content_type=calendar.CONTENT_TYPE)


def uitnodiging(request, token):
    """The page behind an organiser's invitation link or flyer QR code."""
    activiteit = get_object_or_404(
        Activiteit.objects.select_related("buurt", "soort"), uitnodiging=token, geannuleerd_at=None
    )
    mag_meedoen = activiteit.zichtbaarheid == Activiteit.Zichtbaarheid.OPENBAAR or (
        request.user.is_authenticated and is_verified_member(request.user, activiteit.buurt)
    )
    context = {
        "activiteit": activiteit,
        "next": request.get_full_path(),
        "voorbij": activiteit.einde < timezone.now(),
        "mag_meedoen": mag_meedoen,
    }
    return render(request, "activiteiten/uitnodiging.html", context)


@login_required
def flyer(request, pk):
    activiteit = _visible(request, pk)
    if activiteit.organisator_id != request.user.pk:
        raise PermissionDenied
    link = site_url(reverse("activiteiten:uitnodiging", kwargs={"token": activiteit.uitnodiging}))
    context = {"activiteit": activiteit, "link": link, "qr_svg": qr_svg(link)}
    return render(request, "activiteiten/flyer.html", context)
