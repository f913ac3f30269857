"""What the notifications about activities say (see
``notificaties.soorten``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notificaties.models import Notificatie
from notificaties.soorten import Regel, Rendered, register, register_regels, site_url

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


# --- the inbox in the site (see ``notificaties.soorten``) -------------------------------------


def wanneer(activiteit) -> str:
    """When an activity starts, as the site writes moments ("12 dec 2026 19:00"): the
    language's own DATETIME_FORMAT read "Dec. 12, 2026, 7 p.m." in English beside it."""
    return date_format(timezone.localtime(activiteit.start), "j b Y H:i")


def _aanmeldingen(rows: list[Notificatie]) -> dict[int, Aanmelding]:
    """The sign-ups the rows are about, while they stand (a reminder stays after the start)."""
    found = Aanmelding.objects.select_related("activiteit").filter(
        pk__in=[row.object_id for row in rows],
        status=Aanmelding.Status.AANGEMELD,
        activiteit__geannuleerd_at=None,
    )
    return {aanmelding.pk: aanmelding for aanmelding in found}


def _over_activiteit(rows: list[Notificatie], titel: str) -> dict[int, Regel]:
    aanmeldingen = _aanmeldingen(rows)
    lines = {}
    for row in rows:
        if row.object_id in aanmeldingen:
            activiteit = aanmeldingen[row.object_id].activiteit
            tekst = f"{activiteit.titel} · {wanneer(activiteit)}"
            lines[row.pk] = Regel(titel, tekst, activiteit.get_absolute_url())
    return lines


@register_regels(Soort.WACHTLIJST)
def wachtlijst_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    return _over_activiteit(rows, _("Er is een plek voor je vrijgekomen"))


@register_regels(Soort.HERINNERING)
def herinnering_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    return _over_activiteit(rows, _("Herinnering: je doet mee"))


@register_regels(Soort.DAGOVERZICHT)
def dagoverzicht_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """How many sign-ups and messages of the day still stand; the first one's activity."""
    ids = {"aanmeldingen": set(), "berichten": set()}
    for row in rows:
        for key, found in ids.items():
            found.update(row.params.get(key, []))
    aanmeldingen = Aanmelding.objects.filter(
        status=Aanmelding.Status.AANGEMELD, activiteit__geannuleerd_at=None
    ).select_related("activiteit")
    aanmeldingen = aanmeldingen.in_bulk(ids["aanmeldingen"])
    berichten = Bericht.objects.select_related("activiteit").in_bulk(ids["berichten"])
    lines = {}
    for row in rows:
        nieuw = [
            aanmeldingen[pk] for pk in row.params.get("aanmeldingen", []) if pk in aanmeldingen
        ]
        gestuurd = [berichten[pk] for pk in row.params.get("berichten", []) if pk in berichten]
        if not nieuw and not gestuurd:
            continue
        delen = []
        if nieuw:
            delen.append(
                ngettext("%(n)d aanmelding", "%(n)d aanmeldingen", len(nieuw)) % {"n": len(nieuw)}
            )
        if gestuurd:
            delen.append(
                ngettext("%(n)d bericht", "%(n)d berichten", len(gestuurd)) % {"n": len(gestuurd)}
            )
        # One activity: its page; several: the list of activities.
        activiteiten = {item.activiteit for item in nieuw + gestuurd}
        url = reverse("activiteiten:lijst")
        if len(activiteiten) == 1:
            url = activiteiten.pop().get_absolute_url()
        lines[row.pk] = Regel(_("Dagoverzicht"), ", ".join(delen), url)
    return lines


@register_regels(Soort.BERICHT)
def bericht_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    berichten = Bericht.objects.select_related("activiteit").in_bulk(
        {row.object_id for row in rows}
    )
    lines = {}
    for row in rows:
        found = berichten.get(row.object_id)
        if found is not None:
            titel = _("Bericht over %(activiteit)s") % {"activiteit": found.activiteit.titel}
            lines[row.pk] = Regel(titel, found.tekst, found.activiteit.get_absolute_url())
    return lines


@register_regels(Soort.NIEUWE_ACTIVITEIT)
def nieuwe_activiteit_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """While the activity is still to come and not cancelled, as the e-mail."""
    found = Activiteit.objects.filter(geannuleerd_at=None, start__gt=timezone.now()).in_bulk(
        {row.object_id for row in rows}
    )
    lines = {}
    for row in rows:
        activiteit = found.get(row.object_id)
        if activiteit is not None:
            tekst = f"{activiteit.titel} · {wanneer(activiteit)}"
            lines[row.pk] = Regel(
                _("Nieuwe activiteit in je buurt"), tekst, activiteit.get_absolute_url()
            )
    return lines


def _voor_organisator_regels(rows, status, titel) -> dict[int, Regel]:
    found = (
        Aanmelding.objects.select_related("activiteit")
        .filter(status__in=status, activiteit__geannuleerd_at=None)
        .in_bulk({row.object_id for row in rows})
    )
    lines = {}
    for row in rows:
        aanmelding = found.get(row.object_id)
        if aanmelding is not None:
            activiteit = aanmelding.activiteit
            tekst = f"{activiteit.titel} · {wanneer(activiteit)}"
            lines[row.pk] = Regel(titel, tekst, activiteit.get_absolute_url())
    return lines


@register_regels(Soort.AANMELDING)
def aanmelding_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    return _voor_organisator_regels(rows, Aanmelding.ACTIVE, _("Nieuwe aanmelding"))


@register_regels(Soort.AFMELDING)
def afmelding_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    return _voor_organisator_regels(rows, [Aanmelding.Status.AFGEMELD], _("Afmelding"))
