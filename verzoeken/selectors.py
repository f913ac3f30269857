"""Who sees which faciliteringsverzoek and what each role may do with it: every verzoek view
asks here, and nowhere else.

A request for support is between a resident and the municipality. Residents ask and see their
own requests (drafts included); coordinators see the submitted requests of their area and
decide on them; administrators see and decide on all submitted requests; police and enforcement
have no part in them and get the same 404 as for a request that does not exist.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from accounts.access import is_coordinator, may_reach
from activiteiten.models import Activiteit
from buurten.selectors import buurten_in_area, can_coordinate
from wijkaanpak.ids import as_id

from .models import StilzwijgendRegel, Verzoek
from .workflow import GRANTED, OPEN


def asks_verzoeken(user) -> bool:
    """Residents ask for support; whether they are a verified member of the buurt is the
    service's check, so a resident without a buurt is told what to do first."""
    return may_reach(user, "verzoek_doen")


def decides_verzoeken(user) -> bool:
    """Coordinators (in their area) and administrators decide on faciliteringsverzoeken."""
    return may_reach(user, "verzoeken_beslissen")


def uses_verzoeken(user) -> bool:
    """Who reaches the verzoek pages at all: residents (their own) and those who decide.
    Everyone else gets the same 404 as for a request that does not exist."""
    return may_reach(user, "mijn_verzoeken")


def sets_regels(user) -> bool:
    """Silent-consent rules hold for a whole gemeente: a coordinator sets them for the gemeente
    of their team. An administrator has no team, so no gemeente to set a rule for."""
    return is_coordinator(user) and user.team_id is not None


def verzoeken_visible_to(user) -> QuerySet[Verzoek]:
    """The one scope of faciliteringsverzoeken. The requester sees their own, drafts included;
    coordinators (and administrators) see the requests of their area once submitted, never a
    draft a resident has not sent (``ingediend_at`` is set on the first submission and kept,
    so a draft withdrawn before it was sent stays the resident's). Police and enforcement see
    none, not even their own (they cannot ask)."""
    if not uses_verzoeken(user):
        return Verzoek.objects.none()
    visible = Q(aanvrager=user)
    if decides_verzoeken(user):
        visible |= Q(buurt__in=buurten_in_area(user), ingediend_at__isnull=False)
    return Verzoek.objects.filter(visible)


def own_verzoeken(user) -> QuerySet[Verzoek]:
    """The resident's overview: what they asked, newest first."""
    return (
        verzoeken_visible_to(user)
        .filter(aanvrager=user)
        .select_related("buurt")
        .order_by("-created_at")
    )


def verzoeken_to_decide(user) -> QuerySet[Verzoek]:
    """The coordinator's queue: open requests of their area, earliest deadline first."""
    if not decides_verzoeken(user):
        return Verzoek.objects.none()
    return (
        verzoeken_visible_to(user)
        .filter(buurt__in=buurten_in_area(user), status__in=OPEN)
        .select_related("buurt", "aanvrager")
        .order_by("deadline", "pk")
    )


def verzoeken_of_area(user) -> QuerySet[Verzoek]:
    """Every request ever submitted in the coordinator's area, decided ones included: the
    queue's history."""
    if not decides_verzoeken(user):
        return Verzoek.objects.none()
    return (
        verzoeken_visible_to(user)
        .filter(buurt__in=buurten_in_area(user), ingediend_at__isnull=False)
        .select_related("buurt", "aanvrager")
    )


def wachtrij_rows(user, *, status="open", buurt="", soort="", van=None, tot=None, q=""):
    """The queue with the coordinator's filters: open requests by deadline, or (any other
    status) the history, most recently submitted first. Words match the toelichting, the
    buurt, the activity or the request's number ("#12"); every word must match."""
    rows = verzoeken_of_area(user)
    if status in (None, "", "open"):
        rows = rows.filter(status__in=OPEN).order_by("deadline", "pk")
    else:
        if status != "alle":
            rows = rows.filter(status=status)
        rows = rows.order_by("-ingediend_at", "-pk")
    if buurt:
        rows = rows.filter(buurt_id=buurt)
    if soort:
        rows = rows.filter(soort=soort)
    if van:
        rows = rows.filter(ingediend_at__gte=_start_of(van))
    if tot:
        rows = rows.filter(ingediend_at__lt=_start_of(tot, days_later=1))
    for word in (q or "").split()[:8]:
        match = (
            Q(toelichting__icontains=word)
            | Q(buurt__naam__icontains=word)
            | Q(activiteit__titel__icontains=word)
        )
        number = as_id(word.lstrip("#"))
        if number is not None:
            match |= Q(pk=number)
        rows = rows.filter(match)
    return rows


def wachtrij_samenvatting(user) -> dict:
    """The start page's card: how many requests the queue opens with (``wachtrij_rows``
    without filters) and the earliest deadline among them, in one query; ``verstreken`` when
    that deadline has passed."""
    rows = wachtrij_rows(user).order_by()
    samenvatting = rows.aggregate(open=Count("pk"), eerste_deadline=Min("deadline"))
    eerste = samenvatting["eerste_deadline"]
    samenvatting["verstreken"] = eerste is not None and eerste < timezone.localdate()
    return samenvatting


def _start_of(day: date, *, days_later: int = 0) -> datetime:
    """The first moment of a local day (the site's timezone), for comparing with timestamps."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=days_later), time.min))


def toegekend_per_buurt(user, *, jaar: int) -> QuerySet:
    """Money granted per buurt of the coordinator's area in a calendar year (by the date of
    the decision): rows of buurt name, number of requests and the sum of their amounts."""
    return (
        verzoeken_of_area(user)
        .filter(
            status__in=GRANTED,
            besloten_at__gte=_start_of(date(jaar, 1, 1)),
            besloten_at__lt=_start_of(date(jaar + 1, 1, 1)),
        )
        .values("buurt_id", "buurt__naam")
        .annotate(aantal=Count("pk"), bedrag=Sum("bedrag"))
        .order_by("buurt__naam")
    )


@dataclass(frozen=True)
class VerzoekAccess:
    """What the user may do with one request they can see."""

    is_aanvrager: bool  # submits, answers, withdraws, accounts for it
    is_coordinator: bool  # decides, and sees who asked


def access_to(user, verzoek: Verzoek) -> VerzoekAccess:
    """Only for a request from ``verzoeken_visible_to(user)``: who may see it is decided there."""
    return VerzoekAccess(
        is_aanvrager=verzoek.aanvrager_id == user.pk,
        is_coordinator=can_coordinate(user, verzoek.buurt),
    )


def activiteit_to_support(user, raw: str) -> Activiteit | None:
    """An activity the resident organises, by the id in the link "ask for support"; None for
    anything else, so a foreign id cannot be attached to a request."""
    pk = as_id(raw)
    if pk is None:
        return None
    return Activiteit.objects.filter(pk=pk, organisator=user).first()


def regels_visible_to(user) -> QuerySet[StilzwijgendRegel]:
    """The silent-consent rules of the coordinator's gemeente, with who last set them."""
    if not sets_regels(user):
        return StilzwijgendRegel.objects.none()
    return StilzwijgendRegel.objects.filter(gemeente_id=user.team.gemeente_id).select_related(
        "gewijzigd_door"
    )
