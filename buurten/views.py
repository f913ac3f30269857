"""Buurt pages, joining a buurt, and the coordinator's membership and invite-code tools.
(The start page is ``portaal``'s: it shows meldingen too.)"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from accounts import access, ratelimit
from accounts.access import section_required
from notificaties.soorten import site_url
from wijkaanpak import next_url
from wijkaanpak.proxies import rate_limit_key

from . import adressen, borgstelling, geo, selectors, services
from .delen import share_box
from .flyers import qr_svg
from .forms import (
    AanvraagForm,
    BuurtSearchForm,
    DecisionForm,
    InviteCodeForm,
    NewInviteCodeForm,
    UndoVouchedForm,
)
from .models import Buurt, Gemeente, Lidmaatschap, Uitnodigingscode
from .namen import before_full_stop


def buurt_search(request):
    form = BuurtSearchForm(request.GET or None)
    results = Buurt.objects.none()
    query = form.cleaned_data["q"] if form.is_valid() else ""
    if query:
        results = selectors.buurt_search(query)
    page = Paginator(results, 25).get_page(request.GET.get("pagina"))
    context = {
        "form": form,
        "page": page,
        "postcode": selectors.looks_like_postcode(query),
        "adreszoeker": adressen.enabled(),
        "adres_punt": True,  # "use my location" finds the buurt by its shape, offline too
    }
    return render(request, "buurten/buurt_search.html", context)


def buurt_list(request):
    """Every buurt to choose from, by stadsdeel and wijk: where a search that found nothing
    leads (a local name the data lacks, "Realeneiland"), and a map of each gemeente's buurt
    shapes above it, a tap on a shape leading to that buurt's page as the list does."""
    context = {
        "buurten": selectors.buurten_listed(),
        "gemeenten": selectors.gemeenten_with_shapes(),
        # The map links each shape to its buurt's page (the code filled in by the browser).
        "buurt_url": reverse("buurten:detail", kwargs={"code": "__code__"}),
    }
    return render(request, "buurten/buurt_list.html", context)


# --- shapes for the maps (CBS open data: public, and the same for everyone) ----------------


VORMEN_SECONDS = 3600


@require_GET
@cache_control(public=True, max_age=VORMEN_SECONDS)
def gemeente_vormen(request, code):
    """The shapes of every buurt of the gemeente, as GeoJSON (WGS84)."""
    gemeente = get_object_or_404(Gemeente, code=code)
    # Building it takes about half a second for Amsterdam's 439 shapes: kept for as long as
    # browsers keep it (a new import shows within the hour).
    body = cache.get_or_set(
        f"buurtvormen:{gemeente.code}",
        lambda: json.dumps(_collection(selectors.buurten_of_gemeente(gemeente.pk))),
        timeout=VORMEN_SECONDS,
    )
    return HttpResponse(body, content_type="application/json")


@require_GET
@cache_control(public=True, max_age=VORMEN_SECONDS)
def buurt_vorm(request, code):
    """One buurt's shape, as GeoJSON (WGS84): empty when the buurt has none."""
    buurt = get_object_or_404(Buurt, code=code)
    return JsonResponse(_collection(Buurt.objects.filter(pk=buurt.pk)))


def _collection(buurten) -> dict:
    features = [geo.geojson_feature(shape) for shape in selectors.shapes_of(buurten)]
    return {"type": "FeatureCollection", "features": features}


def buurt_detail(request, code):
    buurt = get_object_or_404(
        Buurt.objects.select_related("wijk__gemeente", "stadsdeel"), code=code
    )
    user = request.user
    is_member = selectors.is_verified_member(user, buurt)
    is_coordinator = selectors.can_coordinate(user, buurt)
    context = {
        "buurt": buurt,
        "is_member": is_member,
        "is_coordinator": is_coordinator,
        "lidmaatschap": selectors.active_lidmaatschap(user),
        "aanvraag_form": AanvraagForm(),
        "rule": _rule(),
    }
    pending = context["lidmaatschap"]
    if (
        pending
        and pending.status == Lidmaatschap.Status.AANGEVRAAGD
        and pending.buurt_id == buurt.pk
    ):
        context["coordinator_decides"] = borgstelling.undone_before(user=user, buurt=buurt).exists()
    if is_member or is_coordinator:
        context["member_count"] = selectors.member_count(buurt)
    if is_member:
        context.update(_vouching(user, context["lidmaatschap"]))
    return render(request, "buurten/buurt_detail.html", context)


def _vouching(user, lidmaatschap: Lidmaatschap) -> dict:
    """What a member's buurt page says about vouching: the neighbours to vouch for, or why
    this member cannot vouch (yet), and until when their own admission can be undone."""
    standing = borgstelling.standing(lidmaatschap)
    pending = selectors.aanvragen_to_vouch_for(user)
    return {
        "standing": standing,
        "to_vouch": pending if standing.may_vouch else None,
        "pending_count": 0 if standing.may_vouch else pending.count(),
        "undo_until": borgstelling.undo_until(lidmaatschap)
        if borgstelling.can_be_undone(lidmaatschap)
        else None,
    }


def _rule() -> dict:
    """The vouching rule's numbers, for the texts that explain it."""
    return {
        "needed": borgstelling.vouches_needed(),
        "per_period": borgstelling.VOUCHES_PER_PERIOD,
        "period_days": borgstelling.VOUCH_PERIOD.days,
        "standing_days": borgstelling.STANDING_AFTER_APPROVAL.days,
        "review_days": borgstelling.REVIEW_PERIOD.days,
    }


@section_required("lid_worden")
@require_POST
def aanvraag_create(request, code):
    buurt = get_object_or_404(Buurt, code=code)
    form = AanvraagForm(request.POST)
    if form.is_valid():
        try:
            services.aanvraag_create(
                user=request.user, buurt=buurt, toelichting=form.cleaned_data["toelichting"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "Je aanvraag voor %(buurt)s is verstuurd. De wijkcoördinator of twee "
                    "geverifieerde buren kunnen hem goedkeuren."
                )
                % {"buurt": buurt.naam},
            )
    else:
        messages.error(request, _("Je toelichting is te lang (maximaal 200 tekens)."))
    return redirect(buurt)


# Codes tried per client address, signed in or not: a flyer's QR code is one try, guessing
# codes to find buurten (and join them) is many.
INVITE_CODES_PER_IP = "30/h"


def _too_many_codes(request) -> bool:
    return ratelimit.exceeded(f"invitecode:ip:{rate_limit_key(request)}", INVITE_CODES_PER_IP)


def join_with_code(request):
    """Enter an invite code. Reached from the QR code on a flyer, often before signing in."""
    code = request.GET.get("code", "")[:20]
    if not request.user.is_authenticated:
        context = {"uitnodiging": None, "next": request.get_full_path()}
        if code and _too_many_codes(request):
            context["te_veel"] = True
            return render(request, "buurten/join_with_code_anonymous.html", context, status=429)
        if code:
            context["uitnodiging"] = selectors.active_invite(code)
        return render(request, "buurten/join_with_code_anonymous.html", context)
    if not access.is_resident(request.user):
        raise PermissionDenied
    form = InviteCodeForm(request.POST or None, initial={"code": code})
    if request.method == "POST" and form.is_valid():
        if _too_many_codes(request) or ratelimit.exceeded(f"invitecode:{request.user.pk}", "20/h"):
            form.add_error("code", _("Te veel pogingen. Probeer het over een uur opnieuw."))
            return render(request, "buurten/join_with_code.html", {"form": form}, status=429)
        try:
            lidmaatschap = services.lidmaatschap_join_with_code(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            messages.success(
                request,
                _("Welkom! Je bent nu lid van %(buurt)s.")
                % {"buurt": before_full_stop(lidmaatschap.buurt)},
            )
            return redirect(lidmaatschap.buurt)
    return render(request, "buurten/join_with_code.html", {"form": form})


@login_required
@require_POST
def membership_end(request, pk):
    lidmaatschap = get_object_or_404(
        Lidmaatschap, pk=pk, user=request.user, status__in=Lidmaatschap.ACTIVE
    )
    services.lidmaatschap_end(lidmaatschap=lidmaatschap, user=request.user)
    messages.success(
        request,
        _("Je lidmaatschap van %(buurt)s is beëindigd.") % {"buurt": lidmaatschap.buurt.naam},
    )
    return redirect("home")


@section_required("lid_worden")
@require_POST
def aanvraag_withdraw(request, pk):
    """Withdraw one's own pending aanvraag, from the start page or any buurt page."""
    lidmaatschap = get_object_or_404(
        Lidmaatschap.objects.select_related("buurt"), pk=pk, user=request.user
    )
    try:
        services.aanvraag_withdraw(lidmaatschap=lidmaatschap, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Je aanvraag voor %(buurt)s is ingetrokken.") % {"buurt": lidmaatschap.buurt.naam},
        )
    return next_url.back(request, reverse("home"))  # the page the form came from, if ours


@section_required("lid_worden")
@require_POST
def vouch(request, pk):
    own = selectors.active_lidmaatschap(request.user)
    standing = borgstelling.standing(own)
    if own is not None and own.status == Lidmaatschap.Status.LID and not standing.may_vouch:
        # A member who may not vouch now sees no names to vouch for: any request answers with
        # why, the same whether it exists (the ids of neighbours asking are not theirs to learn).
        messages.error(request, standing.reason)
        return redirect(own.buurt)
    lidmaatschap = get_object_or_404(selectors.aanvragen_to_vouch_for(request.user), pk=pk)
    try:
        result = services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if result.status == Lidmaatschap.Status.LID:
            messages.success(
                request,
                _("Dank je! %(naam)s is nu geverifieerd lid.") % {"naam": result.user.display_name},
            )
        else:
            messages.success(request, _("Dank je! Er is nog één buur nodig die instaat."))
    return redirect(lidmaatschap.buurt)


@section_required("nieuwe_leden")
def aanvragen_queue(request):
    aanvragen = selectors.aanvragen_to_decide(request.user)
    page = Paginator(aanvragen, 50).get_page(request.GET.get("pagina"))
    context = {
        "page": page,
        "vouched": selectors.vouched_admissions_to_review(request.user),
        "rule": _rule(),
    }
    return render(request, "buurten/aanvragen_queue.html", context)


@login_required
@require_POST
def undo_vouched(request, pk):
    """A coordinator of the area undoes an admission by vouching; anyone else gets 404."""
    lidmaatschap = get_object_or_404(selectors.vouched_admissions_to_review(request.user), pk=pk)
    form = UndoVouchedForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reden"]))
        return redirect(reverse("buurten:aanvragen") + "#borgstellingen")
    try:
        services.lidmaatschap_undo_vouched(
            lidmaatschap=lidmaatschap, by=request.user, reden=form.cleaned_data["reden"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Teruggedraaid: %(naam)s is geen lid meer van %(buurt)s.")
            % {
                "naam": lidmaatschap.user.display_name,
                "buurt": before_full_stop(lidmaatschap.buurt.naam),
            },
        )
    return redirect(reverse("buurten:aanvragen") + "#borgstellingen")


@section_required("nieuwe_leden")
@require_POST
def aanvraag_decide(request, pk):
    lidmaatschap = get_object_or_404(selectors.aanvragen_to_decide(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        if "besluit" in form.errors:
            messages.error(request, _("Kies goedkeuren of afwijzen."))
        else:
            messages.error(request, " ".join(form.errors["reden"]))
        return redirect("buurten:aanvragen")
    approve = form.cleaned_data["besluit"] == "goedkeuren"
    try:
        services.aanvraag_decide(
            lidmaatschap=lidmaatschap,
            by=request.user,
            approve=approve,
            reden=form.cleaned_data["reden"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if approve:  # the buurt ends the sentence
            text = _("%(naam)s is nu lid van %(buurt)s.")
            buurt = before_full_stop(lidmaatschap.buurt)
        else:
            text = _("De aanvraag van %(naam)s voor %(buurt)s is afgewezen.")
            buurt = lidmaatschap.buurt.naam
        messages.success(request, text % {"naam": lidmaatschap.user.display_name, "buurt": buurt})
    return redirect("buurten:aanvragen")


def _coordinated_buurt(user, code) -> Buurt:
    return get_object_or_404(selectors.buurten_in_area(user), code=code)


@section_required("nieuwe_leden")
def invite_codes(request, code):
    buurt = _coordinated_buurt(request.user, code)
    form = NewInviteCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        uitnodiging = services.uitnodigingscode_create(
            buurt=buurt, by=request.user, label=form.cleaned_data["label"]
        )
        messages.success(request, _("Code %(code)s aangemaakt.") % {"code": uitnodiging.code})
        return redirect("buurten:codes", code=buurt.code)
    codes = list(selectors.invite_codes_for(buurt))
    intro = _("Doe je mee in %(buurt)s? Word lid via deze link:") % {"buurt": buurt.naam}
    for code in codes:
        code.deel = share_box(intro=intro, link=_join_url(code)) if code.is_active else None
    context = {"buurt": buurt, "form": form, "codes": codes}
    return render(request, "buurten/uitnodigingscode_list.html", context)


def _join_url(uitnodiging: Uitnodigingscode) -> str:
    """The link a code's flyer and share box give: joining with the code already filled in."""
    return site_url(reverse("buurten:code") + f"?code={uitnodiging.code}")


def _own_invite_code(user, pk) -> Uitnodigingscode:
    return get_object_or_404(
        Uitnodigingscode.objects.select_related("buurt__wijk"),
        pk=pk,
        buurt__in=selectors.buurten_in_area(user),
    )


@section_required("nieuwe_leden")
@require_POST
def invite_code_revoke(request, pk):
    uitnodiging = _own_invite_code(request.user, pk)
    services.uitnodigingscode_revoke(uitnodiging=uitnodiging, by=request.user)
    messages.success(request, _("Code %(code)s is ingetrokken.") % {"code": uitnodiging.code})
    return redirect("buurten:codes", code=uitnodiging.buurt.code)


@section_required("nieuwe_leden")
def invite_code_flyer(request, pk):
    uitnodiging = _own_invite_code(request.user, pk)
    if not uitnodiging.is_active:
        raise PermissionDenied
    join_url = _join_url(uitnodiging)
    context = {"uitnodiging": uitnodiging, "join_url": join_url, "qr_svg": qr_svg(join_url)}
    return render(request, "buurten/uitnodigingscode_flyer.html", context)
