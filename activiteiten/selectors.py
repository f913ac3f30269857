"""Which activities a user sees, with counts; and who may see the participants."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from buurten.selectors import buurten_in_area, buurten_of_team, can_coordinate, member_buurt
from wijkaanpak.ids import as_id

from .models import Aanmelding, Activiteit, Rol


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
