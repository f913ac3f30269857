"""What the notifications about facilitation requests say (see ``notificaties.soorten``)."""

from django.utils.translation import gettext as _

from notificaties.models import Notificatie
from notificaties.soorten import Regel, Rendered, register, register_regels, site_url

from .models import Verzoek, VerzoekHistorie

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
