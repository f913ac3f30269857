"""What the notifications about facilitation requests say (see ``notificaties.soorten``)."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notificaties.models import Notificatie
from notificaties.soorten import Regel, Rendered, register, register_regels, site_url

from .models import Verzoek, VerzoekHistorie
from .workflow import Status

Soort = Notificatie.Soort


@register(Soort.VERZOEK_BESLUIT)
def verzoek_besluit(row: Notificatie) -> Rendered:
    historie = VerzoekHistorie.objects.select_related("verzoek").filter(pk=row.object_id).first()
    if historie is None:
        return None
    verzoek = historie.verzoek
    context = {
        "verzoek": verzoek,
        "historie": historie,
        "url": site_url(verzoek.get_absolute_url()),
    }
    return "verzoeken/email/verzoek", context


@register(Soort.VERZOEK_ESCALATIE)
def verzoek_escalatie(row: Notificatie) -> Rendered:
    """To the area's coordinators: a request passed its decision deadline. Lapses once it no
    longer waits for a decision (decided, sent back, withdrawn before the e-mail went)."""
    verzoek = Verzoek.objects.select_related("buurt").filter(pk=row.object_id).first()
    if verzoek is None or verzoek.status != Status.INGEDIEND:
        return None
    return "verzoeken/email/escalatie", {
        "verzoek": verzoek,
        "url": site_url(verzoek.get_absolute_url()),
    }


def _waiting_step(row: Notificatie) -> VerzoekHistorie | None:
    """The submission ``row`` is about, if the request still waits on it: nobody decided,
    asked or withdrew since, and it was not submitted again (that has its own notices)."""
    stap = VerzoekHistorie.objects.select_related("verzoek__buurt").filter(pk=row.object_id).first()
    if stap is None or stap.verzoek.status != Status.INGEDIEND:
        return None
    if VerzoekHistorie.objects.filter(verzoek=stap.verzoek, pk__gt=stap.pk).exists():
        return None
    return stap


@register(Soort.VERZOEK_NIEUW)
def verzoek_nieuw(row: Notificatie) -> Rendered:
    """To the area's coordinators: a request was submitted. Lapses once it no longer waits."""
    stap = _waiting_step(row)
    if stap is None:
        return None
    return "verzoeken/email/nieuw", {
        "verzoek": stap.verzoek,
        "aanvulling": stap.van == Status.AANVULLING,
        "url": site_url(stap.verzoek.get_absolute_url()),
    }


@register(Soort.VERZOEK_TERMIJN)
def verzoek_termijn(row: Notificatie) -> Rendered:
    """To the area's coordinators on the last day to decide (``tasks.warn_on_the_last_day``).
    Lapses once the request no longer waits on that submission."""
    stap = _waiting_step(row)
    if stap is None:
        return None
    return "verzoeken/email/termijn", {
        "verzoek": stap.verzoek,
        "url": site_url(stap.verzoek.get_absolute_url()),
    }


# --- the inbox in the site (see ``notificaties.soorten``) -------------------------------------


@register_regels(Soort.VERZOEK_BESLUIT)
def verzoek_besluit_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    historie = VerzoekHistorie.objects.select_related("verzoek__buurt").in_bulk(
        {row.object_id for row in rows}
    )
    lines = {}
    for row in rows:
        stap = historie.get(row.object_id)
        if stap is not None:
            tekst = f"{stap.verzoek}: {stap.get_naar_display()}"
            lines[row.pk] = Regel(
                _("Nieuws over je verzoek"), tekst, stap.verzoek.get_absolute_url()
            )
    return lines


@register_regels(Soort.VERZOEK_ESCALATIE)
def verzoek_escalatie_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    verzoeken = Verzoek.objects.select_related("buurt").in_bulk({row.object_id for row in rows})
    return {
        row.pk: Regel(
            _("Verzoek wacht op een besluit"),
            f"{verzoeken[row.object_id]} · {_stand(verzoeken[row.object_id])}",
            verzoeken[row.object_id].get_absolute_url(),
        )
        for row in rows
        if row.object_id in verzoeken
    }


def _stand(verzoek: Verzoek) -> str:
    """Where a submitted request stands: the day silent consent grants it or the decision
    deadline while it waits, its status once it does not."""
    if verzoek.status != Status.INGEDIEND or not verzoek.deadline:
        return verzoek.get_status_display()
    datum = date_format(verzoek.deadline, "j F")
    if verzoek.stilzwijgend:
        return _("stilzwijgend akkoord op %(datum)s") % {"datum": datum}
    return _("besluit uiterlijk %(datum)s") % {"datum": datum}


def _submission_lines(rows: list[Notificatie], titel: str) -> dict[int, Regel]:
    """The inbox lines of notices about a submission (``object_id``: its history step)."""
    stappen = VerzoekHistorie.objects.select_related("verzoek__buurt").in_bulk(
        {row.object_id for row in rows}
    )
    verzoeken = {row.pk: stappen[row.object_id].verzoek for row in rows if row.object_id in stappen}
    return {
        pk: Regel(titel, f"{verzoek} · {_stand(verzoek)}", verzoek.get_absolute_url())
        for pk, verzoek in verzoeken.items()
    }


@register_regels(Soort.VERZOEK_NIEUW)
def verzoek_nieuw_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    return _submission_lines(rows, _("Nieuw verzoek ingediend"))


@register_regels(Soort.VERZOEK_TERMIJN)
def verzoek_termijn_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    return _submission_lines(rows, _("Laatste dag om te besluiten"))
