"""What each kind of notification says: its template and the context, fetched again from the
rows that caused it when the message is sent. A renderer returns None when what caused the
message is gone or no longer true (a melding anonymised, a sign-up cancelled): the notification
lapses instead of telling something stale.

Imports of other apps are inside the functions: every app writes notifications, so this module
must load without them.
"""

from collections.abc import Callable

from django.conf import settings

from .models import Notificatie

Rendered = tuple[str, dict] | None


def _url(path: str) -> str:
    return settings.WIJKAANPAK_SITE_URL.rstrip("/") + path


def lidmaatschap_aanvraag(row: Notificatie) -> Rendered:
    from django.urls import reverse

    from buurten.models import Lidmaatschap

    lidmaatschap = (
        Lidmaatschap.objects.select_related("buurt")
        .filter(pk=row.object_id, status=Lidmaatschap.Status.AANGEVRAAGD)
        .first()
    )
    if lidmaatschap is None:
        return None
    # The buurt only: who asked is visible after signing in.
    context = {"buurt": lidmaatschap.buurt, "url": _url(reverse("buurten:aanvragen"))}
    return "buurten/email/aanvraag", context


def borgstelling(row: Notificatie) -> Rendered:
    """Neighbours vouched a resident in: the coordinators may undo it until the review ends.
    The buurt only, like the request e-mail; lapses once undone or past review."""
    from django.urls import reverse
    from django.utils import timezone

    from buurten.borgstelling import undo_until
    from buurten.models import Lidmaatschap

    lidmaatschap = (
        Lidmaatschap.objects.select_related("buurt__wijk")
        .filter(
            pk=row.object_id,
            status=Lidmaatschap.Status.LID,
            via=Lidmaatschap.Via.BORGSTELLING,
        )
        .first()
    )
    if lidmaatschap is None or undo_until(lidmaatschap) < timezone.now():
        return None
    context = {
        "buurt": lidmaatschap.buurt,
        "tot": undo_until(lidmaatschap),
        "url": _url(reverse("buurten:aanvragen") + "#borgstellingen"),
    }
    return "buurten/email/borgstelling", context


def welkom(row: Notificatie) -> Rendered:
    from buurten.models import Lidmaatschap

    lidmaatschap = (
        Lidmaatschap.objects.select_related("buurt")
        .filter(pk=row.object_id, status=Lidmaatschap.Status.LID)
        .first()
    )
    if lidmaatschap is None:
        return None
    buurt = lidmaatschap.buurt
    return "buurten/email/welkom", {"buurt": buurt, "url": _url(buurt.get_absolute_url())}


def terugkoppeling(row: Notificatie) -> Rendered:
    """A handler's message about a status change, as this reporter may read it: the first
    reporter also reads the message meant for them alone, a neighbour who said "ik ook" never."""
    from meldingen.models import Melder, StatusWijziging
    from meldingen.selectors import messages_for

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
        "url": _url(f"/meldingen/mijn/{wijziging.melding_id}/"),
    }
    return "meldingen/email/update", context


def intimidatie(row: Notificatie) -> Rendered:
    from meldingen.models import Doorzetting

    doorzetting = Doorzetting.objects.select_related("melding__buurt").filter(pk=row.object_id)
    doorzetting = doorzetting.first()
    if doorzetting is None:
        return None
    # The category and the buurt only; the case is in the coordinator's feed.
    context = {
        "buurt": doorzetting.melding.buurt,
        "url": _url(f"/meldingen/{doorzetting.melding_id}/"),
    }
    return "meldingen/email/intimidatie", context


def _aanmelding(row: Notificatie):
    from activiteiten.models import Aanmelding

    return (
        Aanmelding.objects.select_related("activiteit")
        .filter(
            pk=row.object_id,
            status=Aanmelding.Status.AANGEMELD,
            activiteit__geannuleerd_at=None,
        )
        .first()
    )


def wachtlijst(row: Notificatie) -> Rendered:
    aanmelding = _aanmelding(row)
    if aanmelding is None:
        return None
    activiteit = aanmelding.activiteit
    context = {"activiteit": activiteit, "url": _url(activiteit.get_absolute_url())}
    return "activiteiten/email/promoted", context


def herinnering(row: Notificatie) -> Rendered:
    from django.utils import timezone

    aanmelding = _aanmelding(row)
    if aanmelding is None or aanmelding.activiteit.start <= timezone.now():
        return None
    activiteit = aanmelding.activiteit
    context = {"activiteit": activiteit, "url": _url(activiteit.get_absolute_url())}
    return "activiteiten/email/reminder", context


def dagoverzicht(row: Notificatie) -> Rendered:
    from activiteiten.models import Aanmelding, Bericht

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
        "site": settings.WIJKAANPAK_SITE_URL.rstrip("/"),
    }
    return "activiteiten/email/digest", context


def bericht(row: Notificatie) -> Rendered:
    from activiteiten.models import Bericht

    found = Bericht.objects.select_related("activiteit", "afzender").filter(pk=row.object_id)
    found = found.first()
    if found is None:
        return None
    context = {"bericht": found, "url": _url(found.activiteit.get_absolute_url())}
    return "activiteiten/email/bericht", context


def verzoek_besluit(row: Notificatie) -> Rendered:
    from verzoeken.models import VerzoekHistorie

    historie = VerzoekHistorie.objects.select_related("verzoek").filter(pk=row.object_id).first()
    if historie is None:
        return None
    verzoek = historie.verzoek
    context = {"verzoek": verzoek, "historie": historie, "url": _url(verzoek.get_absolute_url())}
    return "verzoeken/email/verzoek", context


def verzoek_escalatie(row: Notificatie) -> Rendered:
    from verzoeken.models import Verzoek

    verzoek = Verzoek.objects.select_related("buurt").filter(pk=row.object_id).first()
    if verzoek is None:
        return None
    return "verzoeken/email/escalatie", {
        "verzoek": verzoek,
        "url": _url(verzoek.get_absolute_url()),
    }


S = Notificatie.Soort
RENDERERS: dict[str, Callable[[Notificatie], Rendered]] = {
    S.LIDMAATSCHAP_AANVRAAG: lidmaatschap_aanvraag,
    S.WELKOM: welkom,
    S.TERUGKOPPELING: terugkoppeling,
    S.INTIMIDATIE: intimidatie,
    S.WACHTLIJST: wachtlijst,
    S.HERINNERING: herinnering,
    S.DAGOVERZICHT: dagoverzicht,
    S.BERICHT: bericht,
    S.VERZOEK_BESLUIT: verzoek_besluit,
    S.VERZOEK_ESCALATIE: verzoek_escalatie,
    S.BORGSTELLING: borgstelling,
}
