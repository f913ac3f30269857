"""Every write about activities: creating (also as a series), signing up with a waiting list,
cancelling with automatic promotion, and recording attendance."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from buurten.models import Lidmaatschap
from buurten.selectors import can_coordinate, is_verified_member
from meldingen.photos import erased_if_not_saved
from notificaties.models import Notificatie
from notificaties.services import notify
from notificaties.voorkeuren import wall_time

from .models import Aanmelding, Activiteit, Bericht, Rol
from .planning import PLANNING_HORIZON, check_planning_horizon
from .signals import aanmeldingen_bijgewerkt

MAX_IN_SERIES = 26
STEPS = {
    "wekelijks": relativedelta(weeks=1),
    "tweewekelijks": relativedelta(weeks=2),
    "maandelijks": relativedelta(months=1),
}


@dataclass(frozen=True)
class RolSpec:
    naam: str
    plaatsen: int


def _validate_times(start: datetime, einde: datetime) -> None:
    if einde <= start:
        raise ValidationError({"einde": _("Het einde moet na het begin liggen.")})
    if start < timezone.now() - timedelta(minutes=5):
        raise ValidationError({"start": _("Het begin ligt in het verleden.")})
    check_planning_horizon(timezone.localdate(start), field="start")
    check_planning_horizon(timezone.localdate(einde), field="einde")


def _check_series_horizon(start, step, aantal: int) -> None:
    """Every date of a series within the planning horizon, not only the first."""
    latest = timezone.localdate() + PLANNING_HORIZON
    first = timezone.localdate(start)
    fits = sum(1 for index in range(aantal) if first + step * index <= latest)
    if fits < aantal:
        raise ValidationError(
            {
                "aantal": _(
                    "De laatste keer valt meer dan een jaar vooruit. Met deze startdatum kan "
                    "de reeks hooguit %(n)s keer (tot en met %(datum)s)."
                )
                % {"n": fits, "datum": date_format(latest, "j F Y")}
            }
        )


def _occurrence(start: datetime, einde: datetime, shift: relativedelta) -> tuple[datetime, ...]:
    """A series' occurrence ``shift`` after the first, on the clock here: a weekly walk at
    19:00-21:00 stays at 19:00-21:00 across a DST switch, a time the switch skips or repeats
    read as ``wall_time`` does. Should that carry a start past its end (02:30-03:15 on the
    night of the March switch: 02:30 is 03:30 summer time), it keeps the first one's length."""
    if not shift:
        return start, einde
    first, last = timezone.localtime(start), timezone.localtime(einde)
    day = first.date() + shift
    begin = wall_time(day, first.time())
    end = wall_time(day + (last.date() - first.date()), last.time())
    return begin, end if end > begin else begin + (einde - start)


@transaction.atomic
def activiteit_create(
    *,
    organisator,
    buurt,
    soort,
    titel: str,
    plek: str,
    start: datetime,
    einde: datetime,
    capaciteit: int,
    zichtbaarheid: str = Activiteit.Zichtbaarheid.LEDEN,
    beschrijving: str = "",
    rollen: list[RolSpec] = (),
    herhaling: str | None = None,
    aantal: int = 1,
) -> list[Activiteit]:
    """Create an activity, or a series of ``aantal`` at a fixed rhythm (a weekly walk)."""
    if not is_verified_member(organisator, buurt):
        raise PermissionDenied
    _validate_times(start, einde)
    if capaciteit < 1:
        raise ValidationError({"capaciteit": _("Er moet plek zijn voor minstens één deelnemer.")})
    if any(rol.plaatsen < 1 or not rol.naam.strip() for rol in rollen):
        raise ValidationError({"rollen": _("Elke rol heeft een naam en minstens één plaats.")})
    if herhaling and herhaling not in STEPS:
        raise ValidationError({"herhaling": _("Kies wekelijks, tweewekelijks of maandelijks.")})
    if not 1 <= aantal <= MAX_IN_SERIES:
        raise ValidationError(
            {"aantal": _("Een reeks heeft 1 tot %(n)s keer.") % {"n": MAX_IN_SERIES}}
        )
    if herhaling and aantal > 1:
        _check_series_horizon(start, STEPS[herhaling], aantal)
    reeks = uuid.uuid4() if herhaling and aantal > 1 else None
    made = []
    for index in range(aantal if herhaling else 1):
        shift = STEPS[herhaling] * index if herhaling else relativedelta()
        begin, end = _occurrence(start, einde, shift)
        activiteit = Activiteit.objects.create(
            buurt=buurt,
            soort=soort,
            titel=titel.strip(),
            beschrijving=beschrijving.strip(),
            plek=plek.strip(),
            start=begin,
            einde=end,
            capaciteit=capaciteit,
            zichtbaarheid=zichtbaarheid,
            organisator=organisator,
            reeks=reeks,
        )
        Rol.objects.bulk_create(
            Rol(activiteit=activiteit, naam=rol.naam.strip(), plaatsen=rol.plaatsen)
            for rol in rollen
        )
        made.append(activiteit)
    _tell_the_buurt(made[0])
    return made


def _tell_the_buurt(activiteit: Activiteit) -> None:
    """The buurt's verified members hear of a new activity (a series once, by its first date),
    each as they chose (by default in their weekly digest); never the organiser."""
    leden = (
        Lidmaatschap.objects.filter(
            buurt_id=activiteit.buurt_id, status=Lidmaatschap.Status.LID, user__is_active=True
        )
        .exclude(user_id=activiteit.organisator_id)
        .select_related("user")
        .order_by("pk")
    )
    notify(
        soort=Notificatie.Soort.NIEUWE_ACTIVITEIT,
        object_id=activiteit.pk,
        ontvangers=[lid.user for lid in leden],
    )


def _places(activiteit: Activiteit, rol: Rol | None) -> int:
    return rol.plaatsen if rol else activiteit.capaciteit


def _taken(activiteit: Activiteit, rol: Rol | None) -> int:
    return Aanmelding.objects.filter(
        activiteit=activiteit, rol=rol, status=Aanmelding.Status.AANGEMELD
    ).count()


@transaction.atomic
def aanmelden(*, user, activiteit: Activiteit, rol: Rol | None = None, via_uitnodiging=False):
    """Sign up for the activity or one of its roles; when it is full, join the waiting list.

    The activity row is locked, so two people taking the last place at once cannot both get it.
    """
    locked = Activiteit.objects.select_for_update().get(pk=activiteit.pk)
    if locked.geannuleerd_at or locked.einde < timezone.now():
        raise ValidationError(_("Aanmelden kan niet meer voor deze activiteit."))
    if locked.zichtbaarheid == Activiteit.Zichtbaarheid.LEDEN and not is_verified_member(
        user, locked.buurt
    ):
        raise PermissionDenied
    if rol is not None and rol.activiteit_id != locked.pk:
        raise PermissionDenied
    full = _taken(locked, rol) >= _places(locked, rol)
    try:
        with transaction.atomic():
            aanmelding = Aanmelding.objects.create(
                activiteit=locked,
                user=user,
                rol=rol,
                status=Aanmelding.Status.WACHTLIJST if full else Aanmelding.Status.AANGEMELD,
                via_uitnodiging=via_uitnodiging,
            )
    except IntegrityError as exc:
        raise ValidationError(_("Je bent al aangemeld voor deze activiteit.")) from exc
    _tell_the_organiser(Notificatie.Soort.AANMELDING, aanmelding, locked)
    return aanmelding


def _tell_the_organiser(soort: str, aanmelding: Aanmelding, activiteit: Activiteit) -> None:
    """A sign-up or a cancellation, for the organiser (by default in the daily digest)."""
    if aanmelding.user_id != activiteit.organisator_id:
        notify(soort=soort, object_id=aanmelding.pk, ontvangers=[activiteit.organisator])


@transaction.atomic
def afmelden(*, aanmelding: Aanmelding, user) -> Aanmelding | None:
    """Cancel; the first on the waiting list for the same place moves up and is told.

    Returns the promoted sign-up, if any.
    """
    locked_activiteit = Activiteit.objects.select_for_update().get(pk=aanmelding.activiteit_id)
    locked = Aanmelding.objects.select_for_update().get(pk=aanmelding.pk)
    if locked.user_id != user.pk:
        raise PermissionDenied
    if locked.status == Aanmelding.Status.AFGEMELD:
        raise ValidationError(_("Je was al afgemeld."))
    if locked_activiteit.start <= timezone.now():
        raise ValidationError(_("De activiteit is al begonnen; afmelden kan niet meer."))
    freed_a_place = locked.status == Aanmelding.Status.AANGEMELD
    locked.status = Aanmelding.Status.AFGEMELD
    locked.save(update_fields=["status"])
    _tell_the_organiser(Notificatie.Soort.AFMELDING, locked, locked_activiteit)
    if not freed_a_place:
        return None
    next_in_line = (
        Aanmelding.objects.select_for_update()
        .filter(
            activiteit=locked_activiteit, rol=locked.rol_id, status=Aanmelding.Status.WACHTLIJST
        )
        .order_by("created_at", "pk")
        .first()
    )
    if next_in_line is None:
        return None
    next_in_line.status = Aanmelding.Status.AANGEMELD
    next_in_line.doorgeschoven_at = timezone.now()
    next_in_line.save(update_fields=["status", "doorgeschoven_at"])
    # Whether and when she hears of it is her choice (notificaties.voorkeuren), as for all.
    notify(
        soort=Notificatie.Soort.WACHTLIJST,
        object_id=next_in_line.pk,
        ontvangers=[next_in_line.user],
    )
    return next_in_line


@dataclass(frozen=True)
class Aanwezigheid:
    aanmelding_id: int
    aanwezig: bool
    uren: Decimal | None = None


@transaction.atomic
def aanwezigheid_registreren(
    *,
    activiteit: Activiteit,
    by,
    aanwezigheid: list[Aanwezigheid],
    extra_bezoekers: int,
    verslag: str | None = None,
    foto=None,
) -> Activiteit:
    """After the activity the organiser (or the coordinator) ticks who came, the volunteers'
    hours and how many neighbours came without an account."""
    if by.pk != activiteit.organisator_id and not can_coordinate(by, activiteit.buurt):
        raise PermissionDenied
    locked = Activiteit.objects.select_for_update().get(pk=activiteit.pk)
    if locked.start > timezone.now():
        raise ValidationError(_("Aanwezigheid vul je in als de activiteit is begonnen."))
    if extra_bezoekers < 0:
        raise ValidationError({"extra_bezoekers": _("Dit aantal kan niet negatief zijn.")})
    signed_up = {
        a.pk: a
        for a in locked.aanmeldingen.filter(status=Aanmelding.Status.AANGEMELD).select_for_update()
    }
    for entry in aanwezigheid:
        aanmelding = signed_up.get(entry.aanmelding_id)
        if aanmelding is None:
            raise ValidationError(_("Deze aanmelding hoort niet bij de activiteit."))
        if entry.uren is not None and not Decimal(0) <= entry.uren <= Decimal(24):
            raise ValidationError({"uren": _("Uren liggen tussen 0 en 24.")})
        aanmelding.aanwezig = entry.aanwezig
        aanmelding.uren = entry.uren if aanmelding.rol_id else None
    Aanmelding.objects.bulk_update(signed_up.values(), ["aanwezig", "uren"])
    # bulk_update sends no model signals: tell who keeps figures derived from sign-ups.
    aanmeldingen_bijgewerkt.send(
        sender=Aanmelding, user_ids=[a.user_id for a in signed_up.values()]
    )
    locked.extra_bezoekers = extra_bezoekers
    if verslag is not None:
        locked.verslag = verslag.strip()
    if foto is not None:
        locked.verslag_foto = foto
    with erased_if_not_saved(locked, "verslag_foto"):
        locked.save()
    return locked


@transaction.atomic
def bericht_versturen(*, activiteit: Activiteit, by, tekst: str):
    """The organiser writes to everyone signed up or waiting; the platform delivers it."""
    if by.pk != activiteit.organisator_id:
        raise PermissionDenied
    if not tekst.strip():
        raise ValidationError({"tekst": _("Schrijf een bericht.")})
    bericht = Bericht.objects.create(
        activiteit=activiteit, afzender=by, tekst=tekst.strip(), verzonden_at=timezone.now()
    )
    # One notice each; each person's choice says at once, in a digest or only on the site.
    ontvangers = [
        aanmelding.user
        for aanmelding in Aanmelding.objects.filter(
            activiteit=activiteit, status__in=Aanmelding.ACTIVE
        ).select_related("user")
    ]
    notify(soort=Notificatie.Soort.BERICHT, object_id=bericht.pk, ontvangers=ontvangers)
    return bericht
