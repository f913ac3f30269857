"""Which activities a user sees, with counts; who may see the participants; and who sees
which faciliteringsverzoeken."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.access import may_reach
from buurten.selectors import buurten_in_area, buurten_of_team, can_coordinate, member_buurt
from wijkaanpak.ids import as_id

from .models import Aanmelding, Activiteit, Rol, Verzoek
from .workflow import OPEN


def with_counts(queryset: QuerySet[Activiteit]) -> QuerySet[Activiteit]:
    signed_up = Q(aanmeldingen__status=Aanmelding.Status.AANGEMELD)
    return queryset.annotate(
        deelnemers=Count("aanmeldingen", filter=signed_up & Q(aanmeldingen__rol=None)),
        vrijwilligers=Count("aanmeldingen", filter=signed_up & ~Q(aanmeldingen__rol=None)),
        wachtlijst=Count(
            "aanmeldingen", filter=Q(aanmeldingen__status=Aanmelding.Status.WACHTLIJST)
        ),
    )


PUBLIC = Q(zichtbaarheid=Activiteit.Zichtbaarheid.OPENBAAR)


def activiteiten_visible_to(user) -> QuerySet[Activiteit]:
    """Public activities for everyone; members-only ones for members of that buurt, the
    organiser and the professionals of the area."""
    visible = PUBLIC
    if user.is_authenticated:
        buurt = member_buurt(user)
        if buurt is not None:
            visible |= Q(buurt=buurt)
        visible |= Q(organisator=user) | Q(buurt__in=buurten_in_area(user))
    return Activiteit.objects.filter(visible, geannuleerd_at=None)


def activiteiten_for_team(team) -> QuerySet[Activiteit]:
    """What a team's systems may read through the API: the same rules as the team's people
    (public activities, and members-only ones in the team's area)."""
    visible = PUBLIC | Q(buurt__in=buurten_of_team(team.pk))
    return Activiteit.objects.filter(visible, geannuleerd_at=None)


def upcoming(queryset: QuerySet[Activiteit]) -> QuerySet[Activiteit]:
    return (
        with_counts(queryset.filter(einde__gte=timezone.now()))
        .select_related("soort", "buurt")
        .order_by("start", "pk")
    )


def may_see_participants(user, activiteit: Activiteit) -> bool:
    """Names of participants are for the organiser and the area's coordinators only."""
    return user.is_authenticated and (
        activiteit.organisator_id == user.pk or can_coordinate(user, activiteit.buurt)
    )


def own_sign_up(user, activiteit: Activiteit) -> Aanmelding | None:
    if not user.is_authenticated:
        return None
    return (
        Aanmelding.objects.filter(activiteit=activiteit, user=user, status__in=Aanmelding.ACTIVE)
        .select_related("rol")
        .first()
    )


def rol_of(activiteit: Activiteit, raw: str) -> Rol | None:
    """One of the activity's volunteer roles, by the id a form sent; None for anything else."""
    pk = as_id(raw)
    return None if pk is None else activiteit.rollen.filter(pk=pk).first()


def decides_verzoeken(user) -> bool:
    """Coordinators (in their area) and administrators decide on faciliteringsverzoeken.
    Police and enforcement have no part in them: a request for support is between a resident
    and the municipality."""
    return may_reach(user, "verzoeken_beslissen")


def uses_verzoeken(user) -> bool:
    """Who reaches the verzoek pages at all: residents (their own) and those who decide.
    Everyone else gets the same 404 as for a request that does not exist."""
    return may_reach(user, "mijn_verzoeken")


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
