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
    verzoek = Verzoek.objects.select_related("buurt").filter(pk=row.object_id).first()
    if verzoek is None:
        return None
    return "verzoeken/email/escalatie", {
        "verzoek": verzoek,
        "url": site_url(verzoek.get_absolute_url()),
    }


def _waits(stap: VerzoekHistorie) -> bool:
    """The request still waits on the submission ``stap``: nobody decided, asked or withdrew
    since, and it was not submitted again (that submission has its own notice)."""
    verzoek = stap.verzoek
    return (
        verzoek.status == Status.INGEDIEND
        and not VerzoekHistorie.objects.filter(verzoek=verzoek, pk__gt=stap.pk).exists()
    )


@register(Soort.VERZOEK_NIEUW)
def verzoek_nieuw(row: Notificatie) -> Rendered:
    """To the area's coordinators: a request was submitted. Lapses once it no longer waits."""
    stap = VerzoekHistorie.objects.select_related("verzoek__buurt").filter(pk=row.object_id).first()
    if stap is None or not _waits(stap):
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
    stap = VerzoekHistorie.objects.select_related("verzoek__buurt").filter(pk=row.object_id).first()
    if stap is None or not _waits(stap):
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
            str(verzoeken[row.object_id]),
            verzoeken[row.object_id].get_absolute_url(),
        )
        for row in rows
        if row.object_id in verzoeken
    }


@register_regels(Soort.VERZOEK_NIEUW)
def verzoek_nieuw_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """The submission, with the deadline while the request waits and its status once not."""
    stappen = VerzoekHistorie.objects.select_related("verzoek__buurt").in_bulk(
        {row.object_id for row in rows}
    )
    lines = {}
    for row in rows:
        stap = stappen.get(row.object_id)
        if stap is None:
            continue
        verzoek = stap.verzoek
        if verzoek.status == Status.INGEDIEND and verzoek.deadline:
            stand = _("besluit uiterlijk %(datum)s") % {
                "datum": date_format(verzoek.deadline, "j F")
            }
        else:
            stand = verzoek.get_status_display()
        lines[row.pk] = Regel(
            _("Nieuw verzoek ingediend"),
            f"{verzoek} · {stand}",
            verzoek.get_absolute_url(),
        )
    return lines


@register_regels(Soort.VERZOEK_TERMIJN)
def verzoek_termijn_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """What the last day was for, and the request's status once it no longer waits."""
    stappen = VerzoekHistorie.objects.select_related("verzoek__buurt").in_bulk(
        {row.object_id for row in rows}
    )
    lines = {}
    for row in rows:
        stap = stappen.get(row.object_id)
        if stap is None:
            continue
        verzoek = stap.verzoek
        if verzoek.status != Status.INGEDIEND:
            stand = verzoek.get_status_display()
        elif verzoek.stilzwijgend:
            stand = _("stilzwijgend akkoord op %(datum)s") % {
                "datum": date_format(verzoek.deadline, "j F")
            }
        else:
            stand = _("besluit uiterlijk %(datum)s") % {
                "datum": date_format(verzoek.deadline, "j F")
            }
        lines[row.pk] = Regel(
            _("Laatste dag om te besluiten"), f"{verzoek} · {stand}", verzoek.get_absolute_url()
        )
    return lines
