"""What a resident hears about the amount they ask before submitting it: above what is usual
for the kind of request, and above where silent consent stops. A warning, never a refusal:
a big request can be right, but a slip of the keyboard ("8550" for "85,50") should be seen."""

from decimal import Decimal

from django.utils.translation import gettext as _

from wijkaanpak.bedragen import format_bedrag

from .models import StilzwijgendRegel, VerzoekSoort
from .services import DECISION_DAYS, DEFAULT_DECISION_DAYS, stilzwijgend_grens

# Up to what each kind of request usually asks (DOMAIN.md: funds cap small requests at a few
# hundred euros, a street BBQ costs about € 100); a contact or help with paperwork costs nothing.
GEBRUIKELIJK_TOT = {
    VerzoekSoort.MATERIALEN: Decimal("250"),
    VerzoekSoort.BUDGET: Decimal("500"),
    VerzoekSoort.RUIMTE: Decimal("250"),
    VerzoekSoort.STRAATFEEST: Decimal("250"),
    VerzoekSoort.CONTACT: Decimal("0"),
    VerzoekSoort.PAPIERWERK: Decimal("0"),
}


def bedrag_advies(*, gemeente_id: int, soort: str, bedrag: Decimal | None) -> list[str]:
    """Warnings about ``bedrag`` for a request of ``soort`` in the gemeente; empty when the
    amount is usual and within silent consent (or there is no amount)."""
    if not bedrag or soort not in VerzoekSoort.values:
        return []
    advies = []
    label = VerzoekSoort(soort).label
    usual = GEBRUIKELIJK_TOT[soort]
    if bedrag > usual and usual:
        advies.append(
            _("Dat is meer dan gebruikelijk voor “%(soort)s” (meestal tot %(tot)s). Klopt het?")
            % {"soort": label, "tot": format_bedrag(usual)}
        )
    elif bedrag > usual:
        advies.append(
            _("Voor “%(soort)s” is meestal geen geld nodig. Klopt het bedrag?") % {"soort": label}
        )
    rule = StilzwijgendRegel.objects.filter(
        gemeente_id=gemeente_id, soort=soort, actief=True
    ).first()
    if rule is not None and bedrag > stilzwijgend_grens(rule):
        advies.append(
            _(
                "Stilzwijgend akkoord geldt voor dit soort verzoek tot en met %(grens)s. Boven dat "
                "bedrag besluit de gemeente zelf, binnen %(dagen)s werkdagen."
            )
            % {
                "grens": format_bedrag(stilzwijgend_grens(rule)),
                "dagen": DECISION_DAYS.get(soort, DEFAULT_DECISION_DAYS),
            }
        )
    return advies
