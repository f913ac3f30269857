"""What the notifications about activities say (see
``notificaties.soorten``)."""

from django.utils import timezone

from notificaties.models import Notificatie
from notificaties.soorten import Rendered, register, site_url

from .models import Aanmelding, Bericht

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


@register(Soort.BERICHT)
def bericht(row: Notificatie) -> Rendered:
    found = Bericht.objects.select_related("activiteit", "afzender").filter(pk=row.object_id)
    found = found.first()
    if found is None:
        return None
    context = {"bericht": found, "url": site_url(found.activiteit.get_absolute_url())}
    return "activiteiten/email/bericht", context
