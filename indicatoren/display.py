"""How a computed figure reads on a page and in an export: value with its unit, n, confidence
interval, and the suppression text that replaces all three when there are too few answers or
people ("< 10 mensen", "te weinig antwoorden"), never the exact small number. A figure hidden
to protect a small count elsewhere (``reden`` "bescherming") says so instead: its own count is
not small, and saying "< 10" would be false."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .registry import ACTIVITEIT, ENQUETE, MELDINGEN, VERZOEKEN, Indicator

KLEIN, BESCHERMD = "klein", "bescherming"  # Snapshot.waarden[...]["reden"]

# Values come rounded from the computation ("%" as 0 to 100, "D" as 0 to 1).
DECIMALS = {"0-10": 1, "5-25": 1, "10-50": 1, "%": 1, "per 1.000": 1, "per 100": 1}
DECIMALS.update({"uren": 1, "dagen": 1, "D": 2, "aantal": 0})

TE_WEINIG_ANTWOORDEN = gettext_lazy("te weinig antwoorden")
# Secondary suppression: the full text in exports, tooltips and for screen readers; the short
# form in table cells and on maps and charts.
BESCHERMING = gettext_lazy("niet getoond om kleine aantallen elders te beschermen")
BESCHERMING_KORT = gettext_lazy("niet getoond")
# What the small count is a count of: a bare "< 10" beside a share or a median reads as "under
# 10%" or "under 10 hours" ("Tijd tot eerste terugkoppeling: < 10"). Map and chart labels keep
# the short "< 10"; their legend says what it counts.
TE_WEINIG = {
    ACTIVITEIT: gettext_lazy("< %(n)s mensen"),
    MELDINGEN: gettext_lazy("< %(n)s meldingen"),
    VERZOEKEN: gettext_lazy("< %(n)s verzoeken"),
}


@dataclass(frozen=True)
class Figure:
    """A figure ready for display. When ``onderdrukt``, ``waarde``, ``n`` and ``ci`` are None."""

    waarde: float | None
    n: int | None
    ci: tuple[float, float] | None
    onderdrukt: bool
    tekst: str  # for a table cell
    uitleg: str  # a sentence for screen readers and tooltips
    ci_tekst: str = ""
    kort: str = ""  # for a map or chart label: "n < 30" instead of "te weinig antwoorden"
    reden: str = ""  # when suppressed: "klein" (too few) or "bescherming" (protects others)

    @property
    def weergave(self) -> str:
        """As an export writes it (no tooltip there): the full text for a protected figure."""
        return str(BESCHERMING) if self.reden == BESCHERMD else self.tekst


def _number(value: float, eenheid: str, decimals: int | None = None) -> str:
    """Rounded half up (Django's number_format cuts floats off rather than rounding them)."""
    if decimals is None:
        decimals = DECIMALS.get(eenheid, 1)
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimals, use_l10n=True)


def with_unit(value: float, eenheid: str, decimals: int | None = None) -> str:
    number = _number(value, eenheid, decimals)
    if eenheid == "%":
        return f"{number}%"
    if eenheid == "uren":
        return _("%(n)s uur") % {"n": number}
    if eenheid == "dagen":
        return _("%(n)s dagen") % {"n": number}
    if eenheid == "per 1.000":
        return _("%(n)s per 1.000") % {"n": number}
    if eenheid == "per 100":
        return _("%(n)s per 100") % {"n": number}
    return number


def suppression_text(indicator: Indicator, drempel: int | None) -> str:
    if indicator.bron == ENQUETE:
        return str(TE_WEINIG_ANTWOORDEN)
    return TE_WEINIG[indicator.bron] % {"n": drempel or 10}


def figure(indicator: Indicator, cel: dict | None) -> Figure:
    """Read one ``Snapshot.waarden`` entry. A missing entry is "no figure", not zero."""
    cel = cel or {}
    if cel.get("onderdrukt") and cel.get("reden") == BESCHERMD:
        tekst = str(BESCHERMING_KORT)
        return Figure(None, None, None, True, tekst, str(BESCHERMING), kort=tekst, reden=BESCHERMD)
    if cel.get("onderdrukt"):  # snapshots from before "reden" are all of this kind
        tekst = suppression_text(indicator, cel.get("drempel"))
        if indicator.bron == ENQUETE:
            uitleg = _("Te weinig antwoorden om een betrouwbaar cijfer te tonen.")
        else:
            uitleg = _("Minder dan %(n)s: te weinig om te tonen zonder mensen herkenbaar te maken.")
            uitleg %= {"n": cel.get("drempel") or 10}
        if indicator.bron == ENQUETE:
            kort = f"n < {cel.get('drempel') or 30}"
        else:
            kort = f"< {cel.get('drempel') or 10}"
        return Figure(None, None, None, True, tekst, uitleg, kort=kort, reden=KLEIN)
    waarde = cel.get("waarde")
    if waarde is None:
        return Figure(None, None, None, False, "–", _("Geen gegevens voor deze periode."), kort="")
    ci = tuple(cel["ci"]) if cel.get("ci") else None
    tekst = with_unit(waarde, indicator.eenheid)
    uitleg, ci_tekst = tekst, ""
    if ci:
        laag, hoog = _number(ci[0], indicator.eenheid), _number(ci[1], indicator.eenheid)
        ci_tekst = f"{laag} – {hoog}"
        uitleg = _("%(waarde)s (95%%-betrouwbaarheidsinterval %(laag)s tot %(hoog)s)") % {
            "waarde": tekst,
            "laag": laag,
            "hoog": hoog,
        }
    return Figure(waarde, cel.get("n"), ci, False, tekst, uitleg, ci_tekst, kort=tekst)
