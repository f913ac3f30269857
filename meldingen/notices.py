"""What the notifications about meldingen say (see ``notificaties.soorten``)."""

from datetime import timedelta

from django.utils import timezone

from notificaties.models import Notificatie
from notificaties.soorten import Rendered, register, site_url

from .models import Doorzetting, Melder, Melding, Nazorg, StatusWijziging
from .ontvangst import ontvangst
from .selectors import area_summary, messages_for

Soort = Notificatie.Soort


@register(Soort.TERUGKOPPELING)
def terugkoppeling(row: Notificatie) -> Rendered:
    """A handler's message about a status change, as this reporter may read it: the first
    reporter also reads the message meant for them alone, a neighbour who said "ik ook" never."""
    wijziging = (
        StatusWijziging.objects.select_related("melding__categorie", "melding__buurt")
        .filter(pk=row.object_id)
        .first()
    )
    melder = Melder.objects.filter(
        melding_id=wijziging.melding_id if wijziging else None, user_id=row.ontvanger_id
    ).first()
    berichten = messages_for(wijziging, melder) if wijziging and melder else []
    if not berichten:  # erased by retention meanwhile, or nothing meant for this reporter
        return None
    context = {
        "melding": wijziging.melding,
        "status": wijziging.get_naar_display(),
        "berichten": berichten,
        "url": site_url(f"/meldingen/mijn/{wijziging.melding_id}/"),
    }
    return "meldingen/email/update", context


@register(Soort.INTIMIDATIE)
def intimidatie(row: Notificatie) -> Rendered:
    doorzetting = Doorzetting.objects.select_related("melding__buurt").filter(pk=row.object_id)
    doorzetting = doorzetting.first()
    if doorzetting is None:
        return None
    # The category and the buurt only; the case is in the coordinator's feed.
    context = {
        "buurt": doorzetting.melding.buurt,
        "url": site_url(f"/meldingen/{doorzetting.melding_id}/"),
    }
    return "meldingen/email/intimidatie", context


@register(Soort.ONTVANGSTBEVESTIGING)
def ontvangstbevestiging(row: Notificatie) -> Rendered:
    """The receipt, to the resident who made the report: reference, handler, deadline, what
    happens next. Not what was reported: a mailbox is no place for it."""
    melding = (
        Melding.objects.select_related("categorie", "buurt")
        .filter(pk=row.object_id, anonymised_at=None)
        .first()
    )
    first = Melder.objects.filter(
        melding=melding, user_id=row.ontvanger_id, is_eerste=True
    ).exists()
    if melding is None or not first:
        return None
    context = {
        "melding": melding,
        "ontvangst": ontvangst(melding),
        "url": site_url(f"/meldingen/mijn/{melding.pk}/"),
    }
    return "meldingen/email/ontvangst", context


@register(Soort.TERMIJN_VERSTREKEN)
def termijn_verstreken(row: Notificatie) -> Rendered:
    """To the handling team: a high-priority melding passed its deadline with no reaction.
    Category, buurt, reference and deadline only; the case is in the feed. Lapses when someone
    reacted before the message went out."""
    wijziging = (
        StatusWijziging.objects.select_related("melding__categorie", "melding__buurt")
        .filter(pk=row.object_id)
        .first()
    )
    if wijziging is None or not wijziging.melding.awaits_response:
        return None
    context = {
        "melding": wijziging.melding,
        "url": site_url(f"/meldingen/{wijziging.melding_id}/"),
    }
    return "meldingen/email/termijn_verstreken", context


@register(Soort.HOGE_PRIORITEIT)
def hoge_prioriteit(row: Notificatie) -> Rendered:
    """To the handling team's people: a high-priority melding was routed to them. Category,
    buurt and reference only, as for an overdue one; lapses once someone reacted to it."""
    wijziging = (
        StatusWijziging.objects.select_related("melding__categorie", "melding__buurt")
        .filter(pk=row.object_id)
        .first()
    )
    if wijziging is None or not wijziging.melding.awaits_response:
        return None
    context = {
        "melding": wijziging.melding,
        "url": site_url(f"/meldingen/{wijziging.melding_id}/"),
    }
    return "meldingen/email/hoge_prioriteit", context


@register(Soort.GEBIEDSOVERZICHT)
def gebiedsoverzicht(row: Notificatie) -> Rendered:
    """To an officer, each morning: the meldingen of their area and target in the day before
    the row was written, and how many still wait for a reaction (counts; the cases are in the
    feed). Lapses when there is nothing new and nothing waiting."""
    if row.ontvanger is None:
        return None
    tot = row.created_at
    cijfers = area_summary(row.ontvanger, van=tot - timedelta(days=1), tot=tot, now=timezone.now())
    if not cijfers["nieuw"] and not cijfers["wachtend"]:
        return None
    return "meldingen/email/gebiedsoverzicht", {**cijfers, "url": site_url("/meldingen/feed/")}


@register(Soort.NAZORG_HERINNERING)
def nazorg_herinnering(row: Notificatie) -> Rendered:
    """To the area's coordinators: the nazorg contact planned for today. The buurt, reference
    and date only; the notes are on the case page. Lapses when a newer note was recorded (or
    the nazorg afgerond) before the message went out, or the case was erased."""
    nazorg = (
        Nazorg.objects.select_related("melding__buurt")
        .filter(pk=row.object_id, melding__anonymised_at=None)
        .first()
    )
    if nazorg is None or nazorg.volgende_contact is None:
        return None
    latest = Nazorg.objects.filter(melding_id=nazorg.melding_id).order_by("-created_at", "-pk")
    if latest.values_list("pk", flat=True).first() != nazorg.pk:
        return None
    context = {
        "melding": nazorg.melding,
        "datum": nazorg.volgende_contact,
        "url": site_url(f"/meldingen/{nazorg.melding_id}/"),
    }
    return "meldingen/email/nazorg_herinnering", context
