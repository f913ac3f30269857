"""What the notifications about facilitation requests say (see ``notificaties.soorten``)."""

from notificaties.models import Notificatie
from notificaties.soorten import Rendered, register, site_url

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
