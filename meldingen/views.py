"""Residents report and follow their meldingen; professionals read the feed and handle cases."""

from allauth.account.decorators import reauthentication_required
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import inzendingen, ratelimit
from accounts.access import is_administrator, is_coordinator, section_required
from buurten import adressen
from buurten.selectors import (
    SHAPES_SECONDS,
    buurten_in_area,
    member_buurt,
    shapes_geojson,
    shapes_missing,
)
from wijkaanpak.proxies import rate_limit_key
from wijkaanpak.talen import velden, vertaling

from . import detail_parts, feedcache, ikook, selectors, services
from . import feed as feed_pages
from .filters import FeedFilter
from .forms import ActieForm, IkOokForm, InzageForm, MeldingForm, NazorgForm
from .models import Categorie, Foto, Inzage, Melder, StatusWijziging
from .ontvangst import ontvangst
from .photos import MAX_PHOTOS, MAX_UPLOAD_BYTES
from .workflow import CLOSED, allowed_actions

MAX_REQUEST_BYTES = MAX_PHOTOS * MAX_UPLOAD_BYTES + 1024 * 1024
FEED_COLUMNS = (
    "pk",
    "referentie",
    "prioriteit",
    *velden("samenvatting"),
    "status",
    "deadline_at",
    "created_at",
)


def _own_buurt_or_redirect(request):
    buurt = member_buurt(request.user)
    if buurt is None:
        messages.info(request, _("Word eerst lid van je buurt; daarna kun je meldingen doen."))
    return buurt


# --- residents ---------------------------------------------------------------------------


@section_required("melden")
def start(request):
    buurt = _own_buurt_or_redirect(request)
    if buurt is None:
        return redirect("home")
    return _start_page(request)


def _start_page(request, *, status: int = 200):
    context = {
        "buurt": member_buurt(request.user),
        "categorieen": Categorie.objects.filter(actief=True),
    }
    return render(request, "meldingen/start.html", context, status=status)


@section_required("melden")
def create(request, categorie):
    buurt = _own_buurt_or_redirect(request)
    if buurt is None:
        return redirect("home")
    categorie = get_object_or_404(Categorie, pk=categorie, actief=True)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
        # Refuse before the upload is parsed; the proxy should cap bodies at this size too.
        messages.error(request, _("Je foto's zijn samen te groot. Kies kleinere of minder foto's."))
        context = _form_context(MeldingForm(categorie=categorie, buurt=buurt), buurt, request)
        return render(request, "meldingen/melding_form.html", context, status=413)
    form = MeldingForm(
        request.POST or None,
        request.FILES or None,
        categorie=categorie,
        buurt=buurt,
        request=request,
    )
    if request.method == "POST":
        if form.is_valid() and _over_the_limit(request):
            return render(
                request,
                "meldingen/melding_form.html",
                _form_context(form, buurt, request),
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    inzendingen.claim(request.user, data["inzending"])
                    melding = services.melding_create(
                        user=request.user,
                        buurt=data["buurt"],
                        categorie=categorie,
                        wat=data["wat"],
                        waar=data["waar"],
                        wanneer=data["wanneer"],
                        al_112_gebeld=data["al_112_gebeld"],
                        beschrijving=services.Beschrijving(
                            **{
                                name: data[name]
                                for name in services.Beschrijving.__dataclass_fields__
                            }
                        ),
                        bescherming=data["bescherming"],
                        telefoon=data["telefoon"],
                        fotos=data["fotos"],
                        latitude=data["latitude"],
                        longitude=data["longitude"],
                    )
            except inzendingen.AlVerstuurd:
                messages.info(
                    request, _("Deze melding was al verstuurd en is één keer opgeslagen.")
                )
                return redirect("meldingen:mijn")
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                elders = _elsewhere(melding, buurt)
                if data["bescherming"] == Melder.Bescherming.ANONIEM:
                    messages.success(request, f"{_anonymous_receipt(melding)}{elders}")
                    return redirect("meldingen:mijn")
                messages.success(request, _("Dank je. Je melding is ontvangen.") + elders)
                return redirect("meldingen:mijn-detail", pk=melding.pk)
    return render(request, "meldingen/melding_form.html", _form_context(form, buurt, request))


def _elsewhere(melding, eigen_buurt) -> str:
    """A pin in another buurt sends the melding there: the receipt says so (the form's heading
    named the resident's own buurt)."""
    if melding.buurt_id == eigen_buurt.pk:
        return ""
    return " " + _("Je melding ging naar %(buurt)s, de buurt waar het gebeurde.") % {
        "buurt": melding.buurt.naam
    }


def _anonymous_receipt(melding) -> str:
    """Who handles it and by when, without the reference: the page after an anonymous report
    is the resident's own list, and nothing may link them to the melding (the message travels
    through their session)."""
    receipt = ontvangst(melding)
    text = _("Dank je. Je melding is anoniem ontvangen. Wie pakt het op: %(behandelaar)s.") % {
        "behandelaar": receipt.behandelaar
    }
    if receipt.deadline:
        text += " " + _("Zij bekijken je melding uiterlijk %(deadline)s.") % {
            "deadline": receipt.deadline_text
        }
    return text + " " + _("Omdat je anoniem meldt, kunnen we je niet laten weten wat er gebeurt.")


def _over_the_limit(request) -> bool:
    """Count a report or "ik ook", named or anonymous alike, per user and per client address;
    refuse with a message when over. The counters' keys are keyed hashes: an anonymous report
    leaves no user id or address in Redis (``ratelimit.exceeded_unlinkable``)."""
    over = ratelimit.exceeded_unlinkable(
        "melding-user", str(request.user.pk), _rate()
    ) or ratelimit.exceeded_unlinkable("melding-ip", rate_limit_key(request), _rate(times=3))
    if over:
        messages.error(
            request,
            _(
                "Je hebt de afgelopen tijd erg veel meldingen gedaan. Probeer het later "
                "opnieuw, of bel bij spoed 112."
            ),
        )
    return over


def _rate(times: int = 1) -> str:
    count, _slash, unit = settings.WIJKAANPAK_MELDING_RATE.partition("/")
    return f"{int(count) * times}/{unit}"


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form_context(form, buurt, request):
    return {
        "form": form,
        "buurt": buurt,
        "categorie": form.categorie,
        "ik_ook": selectors.ik_ook_candidates(
            user=request.user, buurt=buurt, categorie=form.categorie
        ),
        "ik_ook_form": IkOokForm(),
        # The map cannot place every buurt: a pin in none of its shapes may still be inside.
        "vormen_onvolledig": shapes_missing(buurt.wijk.gemeente_id),
        # Addresses while typing and the nearest address to the pin; off: map, buurt and words.
        "adreszoeker": adressen.enabled(),
    }


# Tries per resident, whatever the answer: ids are sequential, and "ik ook" is where a resident
# names a melding that is not theirs.
IK_OOK_ATTEMPTS = "20/h"


def _ik_ook_over_the_limit(request) -> bool:
    """Count a try; the key is a keyed hash, not the user id: an anonymous "ik ook" must leave
    no per-person trace in Redis (same scheme as the intake's counters)."""
    return ratelimit.exceeded_unlinkable("ik-ook", str(request.user.pk), IK_OOK_ATTEMPTS)


# Asked again each time the resident sets or moves the pin on the melding form.
IK_OOK_LIST_ASKS = "120/h"


@section_required("melden")
@require_GET
@never_cache
def ik_ook_lijst(request, categorie):
    """The "ik ook" list of the melding form (the fragment ``_ik_ook.html``), nearest first to
    the resident's pin (``?lat=…&lon=…``), newest first without one. The same candidates as
    the form shows (``selectors.ik_ook_candidates``: the resident's own buurt, never
    intimidation); the distance is the server's, coarse (``meldingen.ikook``). Someone who may
    not report here (no verified member, an inactive category) gets the 404 of a page that
    does not exist; a bad point a 400 that says what is expected."""
    buurt = member_buurt(request.user)
    if buurt is None:
        raise Http404
    categorie = get_object_or_404(Categorie, pk=categorie, actief=True)
    try:
        punt = ikook.parse_point(request.GET)
    except ikook.BadPoint as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    if ratelimit.exceeded_unlinkable("ik-ook-lijst", str(request.user.pk), IK_OOK_LIST_ASKS):
        message = _("Je hebt de lijst erg vaak opgevraagd. Probeer het later opnieuw.")
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    context = {
        "ik_ook": selectors.ik_ook_candidates(
            user=request.user, buurt=buurt, categorie=categorie, punt=punt
        ),
        "ik_ook_form": IkOokForm(),
        "ik_ook_punt": punt is not None,
    }
    return render(request, "meldingen/_ik_ook.html", context)


@section_required("melden")
@require_POST
def ik_ook(request, pk):
    """Join a neighbour's melding. A melding the resident may not join (intimidation, closed,
    another buurt, too old...) gets the very 404 of an id that does not exist, before the form
    is read: what is posted must not tell one from the other."""
    if _ik_ook_over_the_limit(request):
        messages.error(
            request,
            _("Je hebt het afgelopen uur erg vaak 'Ik ook' gekozen. Probeer het later opnieuw."),
        )
        return _start_page(request, status=429)
    melding = get_object_or_404(selectors.joinable_by(request.user), pk=pk)
    form = IkOokForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies hoe je beschermd wilt worden."))
        return redirect("meldingen:nieuw-categorie", categorie=melding.categorie_id)
    if _over_the_limit(request):
        return redirect("meldingen:nieuw-categorie", categorie=melding.categorie_id)
    try:
        services.melding_join(
            user=request.user, melding=melding, bescherming=form.cleaned_data["bescherming"]
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("meldingen:nieuw-categorie", categorie=melding.categorie_id)
    messages.success(request, _("Dank je. Je melding is toegevoegd aan die van je buren."))
    if form.cleaned_data["bescherming"] == Melder.Bescherming.ANONIEM:
        return redirect("meldingen:mijn")
    return redirect("meldingen:mijn-detail", pk=melding.pk)


@section_required("mijn_meldingen")
def mijn(request):
    meldingen = selectors.mijn_meldingen(request.user)
    return render(request, "meldingen/mijn_list.html", {"meldingen": meldingen})


@section_required("mijn_meldingen")
def mijn_detail(request, pk):
    melding = get_object_or_404(selectors.mijn_meldingen(request.user), pk=pk)
    melder = melding.melders.get(user=request.user)
    Melder.objects.filter(pk=melder.pk).update(gelezen_at=timezone.now())
    # The news about it in the inbox is read too: the menu counts it there.
    services.melding_berichten_gelezen(user=request.user, melding=melding)
    context = {
        "melding": melding,
        "melder": melder,
        # Only the messages meant for this reporter (not the first reporter's, to a joiner).
        "historie": selectors.history_for_reporter(melder),
        # Someone who joined sees what happens, not what the neighbour wrote or photographed.
        "fotos": melding.fotos.all() if melder.is_eerste else [],
        "is_closed": melding.status in CLOSED,
        "ontvangst": ontvangst(melding),
    }
    return render(request, "meldingen/mijn_detail.html", context)


@section_required("mijn_meldingen")
@require_POST
def oordeel(request, pk):
    melding = get_object_or_404(selectors.mijn_meldingen(request.user), pk=pk)
    melder = melding.melders.get(user=request.user)
    keuze = request.POST.get("oordeel")
    if keuze not in Melder.Oordeel.values:  # anything else must never reopen a case
        messages.error(request, _("Kies of het is opgelost of niet."))
        return redirect("meldingen:mijn-detail", pk=melding.pk)
    opgelost = keuze == Melder.Oordeel.OPGELOST
    try:
        services.melder_oordeel(
            melder=melder,
            user=request.user,
            opgelost=opgelost,
            reactie=request.POST.get("reactie", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Fijn dat het is opgelost. Dank voor je reactie.")
            if opgelost
            else _("We hebben de melding heropend. De behandelaar ziet je reactie."),
        )
    return redirect("meldingen:mijn-detail", pk=melding.pk)


# --- professionals ---------------------------------------------------------------------------


@section_required("feed")
def feed(request):
    scope = selectors.scope_of(request.user)
    version, choices_version = feedcache.versions()
    team_id = None if scope.everything else scope.team_id  # the wijken to choose from
    choices = selectors.feed_choices(team_id, at_version=choices_version)
    rows = selectors.meldingen_in(scope, area=choices.area)
    filters = FeedFilter(request.GET, rows, choices=choices)
    # Invalid filters are shown with their error and left out (a damaged cursor: page 1).
    filters.is_valid()
    follows_up = is_coordinator(request.user) or is_administrator(request.user)

    def build() -> feed_pages.Page:
        # The list shows the summary line, reference, status and deadline: nothing else is read.
        rows = filters.qs.only(*FEED_COLUMNS)
        if follows_up:
            rows = rows.annotate(**selectors.nazorg_annotations())
        return feed_pages.page(
            rows,
            buurten=filters.buurten_to_read(),
            statuses=filters.statuses_to_read(),
            per_priority=filters.reads_per_priority(),
            priorities=filters.priorities_to_read(),
            per_buurt=filters.filter_queryset(selectors.meldingen_targeted(scope)),
        )

    # Keyed by the scope the rows come from (``selectors.Scope``) and the filters as read.
    page_key = feedcache.key(
        "html", scope, feedcache.filters_key(filters.form.cleaned_data), at_version=version
    )
    page = feedcache.get_or_build(page_key, build)
    query = request.GET.copy()
    query.pop("na", None)
    # The map shows what the list shows: the invalid filters left out here too.
    kaart_query = query.copy()
    for name in filters.form.errors:
        kaart_query.pop(name, None)
    context = {
        "form": filters.form,
        "page": page,
        "query": query.urlencode(),
        "kaart_query": kaart_query.urlencode(),
        "vandaag": timezone.localdate(),  # the nazorg flags: read now, not when cached
        # From the cached options: no query for it (an administrator reads every wijk).
        "team": choices.team if team_id else getattr(request.user.team, "naam", ""),
    }
    return render(request, "meldingen/feed.html", context)


# The map shows at most this many points (newest high priority first); the list pages on.
MAX_FEED_POINTS = 2000


@section_required("feed")
@require_GET
def feed_punten(request):
    """The feed's meldingen with a point, for its map: the same scope and filters as the list
    (``FeedFilter``), every page at once, the exact points (officers handle them)."""
    scope = selectors.scope_of(request.user)
    team_id = None if scope.everything else scope.team_id
    choices = selectors.feed_choices(team_id, at_version=feedcache.versions()[1])
    query = request.GET.copy()
    query.pop("na", None)
    filters = FeedFilter(query, selectors.meldingen_in(scope, area=choices.area), choices=choices)
    if not filters.is_valid():
        return JsonResponse({"fouten": filters.errors}, status=400)
    rows = (
        filters.qs.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-prioriteit", "-created_at", "-pk")
        .values("pk", "latitude", "longitude", *velden("samenvatting"))[:MAX_FEED_POINTS]
    )
    punten = [
        {
            "lat": row["latitude"],
            "lon": row["longitude"],
            "titel": vertaling(row, "samenvatting"),
            "url": reverse("meldingen:detail", kwargs={"pk": row["pk"]}),
        }
        for row in rows
    ]
    return JsonResponse({"punten": punten, "afgekapt": len(punten) == MAX_FEED_POINTS})


@section_required("feed")
@require_GET
def feed_vormen(request):
    """The buurt shapes of the officer's area (every buurt for administrators), drawn under the
    feed's points so that an officer sees where they are."""
    response = HttpResponse(
        shapes_geojson(buurten_in_area(request.user)), content_type="application/json"
    )
    patch_cache_control(response, private=True, max_age=SHAPES_SECONDS)
    return response


@section_required("feed")
def detail(request, pk):
    return _detail(request, pk)


def _detail(
    request, pk, *, actie_form=None, nazorg_form=None, inzage_form=None, inzage_melder=None
):
    """The case page; after a refused action with the form as sent, its errors shown."""
    melding = get_object_or_404(
        selectors.meldingen_visible_to(request.user)
        .select_related(
            "categorie", "buurt__wijk", *(part.related for part in detail_parts.parts())
        )
        .prefetch_related(
            Prefetch("historie", queryset=StatusWijziging.objects.select_related("door")),
            "fotos",
        ),
        pk=pk,
    )
    melders = list(selectors.reporters_of(melding))
    for melder in melders:
        melder.may_reveal = selectors.may_reveal(request.user, melder)
    follows_up = selectors.may_follow_up(request.user, melding)
    nazorg = list(melding.nazorg.select_related("door")) if follows_up else None
    context = {
        "melding": melding,
        "melders": melders,
        "nazorg": nazorg,
        "nazorg_stand": nazorg[-1] if nazorg else None,  # the latest note decides
        "vandaag": timezone.localdate(),
        "nazorg_form": (nazorg_form or NazorgForm())
        if follows_up and not melding.anonymised_at
        else None,
        "acties": allowed_actions(melding.status)
        if selectors.can_act(request.user, melding)
        else [],
        "actie_form": actie_form or ActieForm(),
        # A message to an anonymous first reporter reaches no one: the field is not offered.
        "eerste_melder_leest": any(
            m.is_eerste and m.bescherming != Melder.Bescherming.ANONIEM for m in melders
        ),
        "inzage_form": inzage_form or InzageForm(),
        "inzage_melder": inzage_melder,
        "detail_templates": [part.template for part in detail_parts.parts()],
    }
    return render(request, "meldingen/detail.html", context)


@section_required("feed")
@require_POST
def actie(request, pk):
    melding = get_object_or_404(selectors.meldingen_visible_to(request.user), pk=pk)
    form = ActieForm(request.POST)
    if form.is_valid():
        try:
            services.melding_transition(
                melding=melding,
                actie=form.cleaned_data["actie"],
                by=request.user,
                terugkoppeling=form.cleaned_data["terugkoppeling"],
                bericht_eerste_melder=form.cleaned_data["bericht_eerste_melder"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("De melding is bijgewerkt."))
            return redirect("meldingen:detail", pk=pk)
    # Shown again with the message as typed, and what to change.
    return _detail(request, pk, actie_form=form)


@section_required("feed")
@require_POST
def nazorg(request, pk):
    melding = get_object_or_404(
        selectors.meldingen_visible_to(request.user).select_related("categorie"), pk=pk
    )
    if not selectors.may_follow_up(request.user, melding):
        raise PermissionDenied
    form = NazorgForm(request.POST)
    if form.is_valid():
        try:
            nazorg = services.nazorg_record(
                melding=melding,
                by=request.user,
                notitie=form.cleaned_data["notitie"],
                volgende_contact=form.cleaned_data["volgende_contact"],
                afronden=form.cleaned_data["afronden"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # the case itself refuses (erased): no form
                messages.error(request, " ".join(exc.messages))
                return redirect("meldingen:detail", pk=pk)
            form.add_error(None, exc)  # shown at its field, with the note as typed
        else:
            messages.success(
                request,
                _("De nazorg is afgerond.") if nazorg.afgerond else _("De nazorg is vastgelegd."),
            )
            return redirect("meldingen:detail", pk=pk)
    return _detail(request, pk, nazorg_form=form)


@never_cache
@section_required("feed")
@require_POST
@reauthentication_required  # a recent sign-in; the request is sent again after it
def inzage(request, pk):
    melder = get_object_or_404(
        Melder.objects.select_related("user", "melding"),
        pk=pk,
        melding__in=selectors.meldingen_visible_to(request.user),
    )
    # Before the form is read: a reporter the officer may not reveal answers as one that does
    # not exist, whatever was typed (a form error would say the reporter is there).
    if not selectors.may_reveal(request.user, melder):
        raise Http404
    form = InzageForm(request.POST)
    if form.is_valid():
        try:
            inzage = services.melder_reveal(
                melder=melder,
                by=request.user,
                grond=form.cleaned_data["grond"],
                reden=form.cleaned_data["reden"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error("reden" if not hasattr(exc, "error_dict") else None, exc)
    if form.errors:
        # Shown again as chosen and typed, the errors at the reporter they are about.
        return _detail(request, melder.melding_id, inzage_form=form, inzage_melder=melder.pk)
    # Shown on a page of its own, so that a refresh or "back" reads it again, not reveals again.
    return redirect("meldingen:inzage-detail", pk=inzage.pk)


@never_cache
@section_required("feed")
def inzage_detail(request, pk):
    inzage = get_object_or_404(
        Inzage.objects.select_related("melder__user", "melder__melding"),
        pk=pk,
        door=request.user,
    )
    melder = inzage.melder
    if not selectors.inzage_is_open(request.user, inzage):
        messages.info(
            request, _("Die inzage is verlopen. Vraag de gegevens opnieuw op als je ze nodig hebt.")
        )
        return redirect("meldingen:detail", pk=melder.melding_id)
    context = {
        "melder": melder,
        "melding": melder.melding,
        "inzage": inzage,
        "berichten": selectors.first_reporter_messages(melder.melding_id)
        if melder.is_eerste
        else [],
    }
    return render(request, "meldingen/inzage.html", context)


# Opened on its own (a click on a thumbnail), a photo is shown by the browser's image viewer,
# which styles the picture inline (centred, scaled to the window). This response is a JPEG,
# never a page: allowing inline style here lets that viewer work without CSP violations.
@csp_replace({"style-src": ["'unsafe-inline'"]})
@login_required
def foto(request, pk):
    foto = get_object_or_404(Foto.objects.select_related("melding"), pk=pk)
    allowed = (
        selectors.meldingen_visible_to(request.user).filter(pk=foto.melding_id).exists()
        or selectors.mijn_meldingen(request.user).filter(pk=foto.melding_id, eigen=True).exists()
    )
    if not allowed:
        raise Http404
    response = FileResponse(foto.bestand.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response
