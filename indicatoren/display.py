"""How a computed figure reads on a page and in an export: value with its unit, n, confidence
interval, what a weighted figure covers, and the suppression text that replaces all of it when
there are too few answers or people ("< 10 mensen", "te weinig antwoorden"), never the exact
small number. A figure hidden to protect a small count elsewhere (``reden`` "bescherming") says
so instead: its own count is not small, and saying "< 10" would be false.

A figure is rounded once, when it is computed (``figures._figure``), to the ``DECIMALS`` of its
unit and with the same rule (``formulas.rounded``, half up); formatting it here changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .formulas import rounded
from .registry import ACTIVITEIT, ENQUETE, MELDINGEN, VERZOEKEN, Indicator

KLEIN, BESCHERMD = "klein", "bescherming"  # Snapshot.waarden[...]["reden"]

# Digits shown per unit ("%" as 0 to 100, "D" as 0 to 1).
DECIMALS = {"0-10": 1, "5-25": 1, "10-50": 1, "%": 1, "per 1.000": 1, "per 100": 1}
DECIMALS.update({"uren": 1, "dagen": 1, "D": 2, "aantal": 0})

# Rates whose n counts the people in the numerator: with n > 0 a value rounded to 0 is not zero.
NONZERO_WHEN_COUNTED = {"bereik", "actieve_kern"}

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
# Counts of something else than people or records: the organisers' headcounts are visits.
TE_WEINIG_VAN = {"deelnemers_zonder_account": gettext_lazy("< %(n)s bezoeken")}


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
    weging: str = ""  # how a wijk or gemeente figure was weighted ("inwoners 15+")
    dekking: dict | None = None  # what it covers (``weging.dekking``)
    dekking_tekst: str = ""  # "gebaseerd op 3 van 6 buurten, 40% van de inwoners van 15+"
    reden: str = ""  # when suppressed: "klein" (too few) or "bescherming" (protects others)

    @property
    def weergave(self) -> str:
        """As an export writes it (no tooltip there): the full text for a protected figure."""
        return str(BESCHERMING) if self.reden == BESCHERMD else self.tekst


def number(value: float, eenheid: str, decimals: int | None = None) -> str:
    """Rounded half up (Django's number_format cuts floats off rather than rounding them); a
    computed figure arrives rounded to these digits already, so this only formats it."""
    if decimals is None:
        decimals = DECIMALS.get(eenheid, 1)
    return number_format(Decimal(repr(rounded(value, decimals))), decimals, use_l10n=True)


def dekking_tekst(dekking: dict | None) -> str:
    """What a weighted figure is based on, in words."""
    if not dekking:
        return ""
    van = dekking["van"]
    if dekking["eenheid"] == "wijk":
        gebieden = ngettext("%(n)s van %(van)s wijk", "%(n)s van %(van)s wijken", van)
    else:
        gebieden = ngettext("%(n)s van %(van)s buurt", "%(n)s van %(van)s buurten", van)
    gebieden %= {"n": dekking["gebieden"], "van": van}
    pct = dekking.get("inwoners_pct")
    if pct is None:
        tekst = _("gebaseerd op %(gebieden)s") % {"gebieden": gebieden}
    else:
        tekst = _("gebaseerd op %(gebieden)s, %(pct)s van de inwoners van 15+") % {
            "gebieden": gebieden,
            # Whole percents (as computed), but a coverage under 1% keeps its decimal.
            "pct": with_unit(pct, "%", 0 if pct >= 1 else 1),
        }
    zonder = dekking.get("zonder_bevolking") or 0
    if zonder:
        tekst += "; " + ngettext(
            "%(n)s buurt met antwoorden telt niet mee (geen CBS-bevolkingscijfer)",
            "%(n)s buurten met antwoorden tellen niet mee (geen CBS-bevolkingscijfer)",
            zonder,
        ) % {"n": zonder}
    return tekst


def telling(count: int, minimum: int) -> str:
    """A count of people as shown to anyone: "< 10" below the gemeente's minimum
    (``IndicatorInstelling.min_n_telling``), never exact; used by the coordinator's pages and
    the weekly buurt digest alike."""
    return f"< {minimum}" if count < minimum else str(count)


def with_unit(value: float, eenheid: str, decimals: int | None = None) -> str:
    text = number(value, eenheid, decimals)
    if eenheid == "%":
        return f"{text}%"
    if eenheid == "uren":
        return _("%(n)s uur") % {"n": text}
    if eenheid == "dagen":
        return _("%(n)s dagen") % {"n": text}
    if eenheid == "per 1.000":
        return _("%(n)s per 1.000") % {"n": text}
    if eenheid == "per 100":
        return _("%(n)s per 100") % {"n": text}
    return text


def suppression_text(indicator: Indicator, drempel: int | None) -> str:
    if indicator.bron == ENQUETE:
        return str(TE_WEINIG_ANTWOORDEN)
    tekst = TE_WEINIG_VAN.get(indicator.key, TE_WEINIG[indicator.bron])
    return tekst % {"n": drempel or 10}


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
    if waarde == 0 and indicator.key in NONZERO_WHEN_COUNTED and cel.get("n"):
        # 225 active people in a city of 750,000 round to 0.0%: say "under 0.1%", not zero.
        smallest = 10 ** -DECIMALS.get(indicator.eenheid, 1)
        tekst = "< " + with_unit(smallest, indicator.eenheid)
    uitleg, ci_tekst = tekst, ""
    if ci:
        laag, hoog = number(ci[0], indicator.eenheid), number(ci[1], indicator.eenheid)
        ci_tekst = f"{laag} – {hoog}"
        # Survey intervals: the chance variation among those who answered. Whether they are
        # like the rest of the buurt is a different question that no interval answers.
        uitleg = _(
            "%(waarde)s (95%%-interval %(laag)s tot %(hoog)s: toevalsmarge onder wie antwoordde)"
        ) % {"waarde": tekst, "laag": laag, "hoog": hoog}
    dekking = cel.get("dekking")
    return Figure(
        waarde,
        cel.get("n"),
        ci,
        False,
        tekst,
        uitleg,
        ci_tekst,
        kort=tekst,
        weging=cel.get("weging") or "",
        dekking=dekking,
        dekking_tekst=dekking_tekst(dekking),
    )
