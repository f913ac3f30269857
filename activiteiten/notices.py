"""What the notifications about activities say (see
``notificaties.soorten``)."""

from django.utils import timezone

from notificaties.models import Notificatie
from notificaties.soorten import Rendered, register, site_url

from .models import Aanmelding, Activiteit, Bericht

Soort = Notificatie.Soort


# --- activities ----------------------------------------------------------------------------


def _aanmelding(row: Notificatie) -> Aanmelding | None:
    return (
        Aanmelding.objects.select_related("activiteit")
        .filter(
            pk=row.object_id,
            status=Aanmelding.Status.AANGEMELD,
            activiteit__geannuleerd_at=None,
        )
        .first()
    )


@register(Soort.WACHTLIJST)
def wachtlijst(row: Notificatie) -> Rendered:
    aanmelding = _aanmelding(row)
    if aanmelding is None:
        return None
    activiteit = aanmelding.activiteit
    context = {"activiteit": activiteit, "url": site_url(activiteit.get_absolute_url())}
    return "activiteiten/email/promoted", context


@register(Soort.HERINNERING)
def herinnering(row: Notificatie) -> Rendered:
    aanmelding = _aanmelding(row)
    if aanmelding is None or aanmelding.activiteit.start <= timezone.now():
        return None
    activiteit = aanmelding.activiteit
    context = {"activiteit": activiteit, "url": site_url(activiteit.get_absolute_url())}
    return "activiteiten/email/reminder", context


@register(Soort.DAGOVERZICHT)
def dagoverzicht(row: Notificatie) -> Rendered:
    aanmeldingen = list(
        Aanmelding.objects.filter(
            pk__in=row.params.get("aanmeldingen", []),
            status=Aanmelding.Status.AANGEMELD,
            activiteit__geannuleerd_at=None,
        )
        .select_related("activiteit")
        .order_by("activiteit__start")
    )
    berichten = list(
        Bericht.objects.filter(pk__in=row.params.get("berichten", [])).select_related("activiteit")
    )
    if not aanmeldingen and not berichten:
        return None
    context = {
        "aanmeldingen": aanmeldingen,
        "berichten": berichten,
        "site": site_url(""),
    }
    return "activiteiten/email/digest", context


@register(Soort.NIEUWE_ACTIVITEIT)
def nieuwe_activiteit(row: Notificatie) -> Rendered:
    """To a member of the buurt: what, when and where; lapses once it was cancelled or began."""
    activiteit = (
        Activiteit.objects.filter(pk=row.object_id, geannuleerd_at=None, start__gt=timezone.now())
        .select_related("buurt")
        .first()
    )
    if activiteit is None:
        return None
    context = {"activiteit": activiteit, "url": site_url(activiteit.get_absolute_url())}
    return "activiteiten/email/nieuw", context


def _voor_organisator(row: Notificatie, status) -> Rendered:
    """To the organiser: a neighbour signed up or cancelled. The activity and how many are
    signed up now; not who (the list is on the activity's page, for the organiser)."""
    aanmelding = (
        Aanmelding.objects.select_related("activiteit")
        .filter(pk=row.object_id, status__in=status, activiteit__geannuleerd_at=None)
        .first()
    )
    if aanmelding is None:
        return None
    activiteit = aanmelding.activiteit
    context = {
        "activiteit": activiteit,
        "aangemeld": activiteit.aanmeldingen.filter(status=Aanmelding.Status.AANGEMELD).count(),
        "wachtlijst": aanmelding.status == Aanmelding.Status.WACHTLIJST,
        "url": site_url(activiteit.get_absolute_url()),
    }
    return context


@register(Soort.AANMELDING)
def aanmelding(row: Notificatie) -> Rendered:
    context = _voor_organisator(row, Aanmelding.ACTIVE)
    return context and ("activiteiten/email/aanmelding", context)


@register(Soort.AFMELDING)
def afmelding(row: Notificatie) -> Rendered:
    context = _voor_organisator(row, [Aanmelding.Status.AFGEMELD])
    return context and ("activiteiten/email/afmelding", context)


@register(Soort.BERICHT)
def bericht(row: Notificatie) -> Rendered:
    found = Bericht.objects.select_related("activiteit", "afzender").filter(pk=row.object_id)
    found = found.first()
    if found is None:
        return None
    context = {"bericht": found, "url": site_url(found.activiteit.get_absolute_url())}
    return "activiteiten/email/bericht", context
