"""From raw sums to published figures: rates, intervals and suppression.

Rules (DOMAIN.md; ADR 0006):
- A survey figure needs at least ``min_n_enquete`` valid answers.
- A figure about people (bereik, actieve kern, ...) needs every count it is made of to reach
  ``min_n_telling``; a figure about records (meldingen, verzoeken) needs its denominator to.
- Complementary suppression: a published wijk minus its published buurten must not give away a
  group smaller than the minimum. When the suppressed buurten of a wijk hold 1 to min - 1 people
  (or answers), the smallest published sibling is suppressed as well; when the suppressed wijken
  of the gemeente hold 1 to min - 1, the gemeente figure is suppressed.
A suppressed figure keeps no value, no n and no interval: only ``onderdrukt`` and ``drempel``.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import formulas
from .registry import INDICATORS

BUURT, WIJK, GEMEENTE = "b", "w", "g"
BANDS = ("15_25", "25_45", "45_65", "65_plus")
CBS_BANDS = ("leeftijd_15_25", "leeftijd_25_45", "leeftijd_45_65", "leeftijd_65_plus")


@dataclass
class Area:
    tag: str
    key: int
    sums: Counter = field(default_factory=Counter)
    p15: int = 0
    inwoners: int = 0
    bands: list[int] | None = None  # CBS population per age band (15+)
    p15_known: bool = True
    children: list[tuple] = field(default_factory=list)


def roll_up(buurten, sums: dict[int, Counter], *, gemeente_id: int) -> dict[tuple, Area]:
    """Buurt areas with their sums and CBS figures, and the wijk and gemeente areas as sums of
    them. A buurt without CBS figures adds its counts but no population (its rates are None)."""
    areas: dict[tuple, Area] = {}
    gemeente = areas[(GEMEENTE, gemeente_id)] = Area(GEMEENTE, gemeente_id, bands=[0] * 4)
    for buurt in buurten:
        p15 = buurt.inwoners_15_plus
        bands = [getattr(buurt, name) for name in CBS_BANDS]
        area = areas[(BUURT, buurt.pk)] = Area(
            BUURT,
            buurt.pk,
            sums=sums.get(buurt.pk, Counter()),
            p15=p15 or 0,
            inwoners=buurt.inwoners or 0,
            bands=bands if None not in bands else None,
            p15_known=p15 is not None,
        )
        wijk = areas.get((WIJK, buurt.wijk_id))
        if wijk is None:
            wijk = areas[(WIJK, buurt.wijk_id)] = Area(WIJK, buurt.wijk_id, bands=[0] * 4)
            gemeente.children.append((WIJK, buurt.wijk_id))
        wijk.children.append((BUURT, buurt.pk))
        for parent in (wijk, gemeente):
            parent.sums.update(area.sums)
            parent.p15 += area.p15
            parent.inwoners += area.inwoners
            if area.bands:
                parent.bands = [a + b for a, b in zip(parent.bands, area.bands, strict=True)]
    return areas


def _figure(waarde, n, drempel, ci=None, digits=1, basis=None):
    """An unsuppressed figure; ``basis`` is the count that decided suppression."""
    if waarde is None:
        return {
            "waarde": None,
            "n": n,
            "ci": None,
            "onderdrukt": False,
            "drempel": drempel,
            "_basis": basis if basis is not None else n,
        }
    return {
        "waarde": round(waarde) if digits == 0 else round(waarde, digits),
        "n": n,
        "ci": [round(ci[0], digits), round(ci[1], digits)] if ci else None,
        "onderdrukt": False,
        "drempel": drempel,
        "_basis": basis if basis is not None else n,
    }


def _suppressed(drempel, basis):
    return {
        "waarde": None,
        "n": None,
        "ci": None,
        "onderdrukt": True,
        "drempel": drempel,
        "_basis": basis,
    }


def survey_mean(s: Counter, prefix: str, drempel: int, transform=None, digits=2):
    n = s[f"{prefix}_n"]
    if n < drempel:
        return _suppressed(drempel, n)
    mean, lo, hi = formulas.mean_ci(n, float(s[f"{prefix}_s"]), float(s[f"{prefix}_ss"]))
    if transform:
        mean, lo, hi = transform(mean), transform(lo), transform(hi)
    return _figure(mean, n, drempel, (lo, hi), digits)


def survey_share(s: Counter, prefix: str, drempel: int):
    n = s[f"{prefix}_n"]
    if n < drempel:
        return _suppressed(drempel, n)
    p, lo, hi = formulas.wilson(s[f"{prefix}_k"], n)
    return _figure(100 * p, n, drempel, (100 * lo, 100 * hi))


def people_rate(counts: list[int], numerator: float, denominator, drempel, scale, digits=1):
    """A figure about people: suppressed when any of its counts is below the minimum."""
    basis = min(counts)
    if basis < drempel:
        return _suppressed(drempel, basis)
    waarde = None if not denominator else scale * numerator / denominator
    return _figure(waarde, counts[0], drempel, digits=digits, basis=basis)


def record_rate(count: int, numerator: float, denominator, drempel, scale, digits=1):
    """A figure about records (meldingen, verzoeken): suppressed when ``count`` is too small."""
    if count < drempel:
        return _suppressed(drempel, count)
    waarde = None if not denominator else scale * numerator / denominator
    return _figure(waarde, count, drempel, digits=digits)


def _indicators(area: Area, extra: dict, instelling) -> dict:
    s, enq, tel = area.sums, instelling.min_n_enquete, instelling.min_n_telling
    p15 = area.p15 if area.p15_known else None
    inwoners = area.inwoners if area.p15_known else None
    where = (area.tag, area.key)
    w = {
        "sociale_cohesie": survey_mean(s, "sc", enq),
        "ce_isc": survey_mean(s, "isc", enq),
        "ce_sct": survey_mean(s, "sct", enq),
        "ce_totaal": survey_mean(s, "tot", enq),
        "ce_0_10": survey_mean(s, "tot", enq, transform=formulas.ce_0_10),
        "bereidheid": survey_share(s, "bereidheid", enq),
        "aanspreken": survey_share(s, "aanspreken", enq),
    }
    deelnemers = s["deelnemers"]
    w["bereik"] = people_rate([deelnemers], deelnemers, p15, tel, 100)
    w["actieve_kern"] = people_rate([s["kern"]], s["kern"], p15, tel, 100)
    w["herhaling"] = people_rate([deelnemers, s["herhalers"]], s["herhalers"], deelnemers, tel, 100)
    w["vrijwilligersuren"] = people_rate([s["vrijwilligers"]], float(s["uren"]), p15, tel, 100)
    top_uren, volunteers = extra["top"].get(where, (0.0, 0))
    # The top 10% must itself be a group of at least the minimum, or its share is one person's.
    w["uren_top10_aandeel"] = people_rate(
        [volunteers, (volunteers + 9) // 10], top_uren, float(s["uren"]), tel, 100
    )
    p = [s[f"l_{band}"] for band in BANDS]
    d = formulas.dissimilarity(p, area.bands) if area.bands else None
    w["representativiteit"] = people_rate(
        [sum(p)], d or 0.0, None if d is None else 1, tel, 1, digits=3
    )
    # Not residents: visits of neighbours without an account, as organisers counted them.
    zonder = s["zonder_account"]
    w["deelnemers_zonder_account"] = people_rate([zonder], zonder, 1, tel, 1, digits=0)
    totaal = s["m_totaal"]
    w["meldingen_per_1000"] = record_rate(totaal, totaal, inwoners, tel, 1000)
    for doel in ("politie", "handhaving", "gemeente", "buurt"):
        count = s[f"m_{doel}"]
        w[f"meldingen_{doel}"] = record_rate(count, count, inwoners, tel, 1000)
    median, n = extra["feedback"].get(where, (None, 0))
    w["feedback_mediaan_uren"] = record_rate(n, median or 0, 1, tel, 1)
    w["feedback_aandeel"] = record_rate(totaal, s["m_feedback"], totaal, tel, 100)
    w["verzoeken"] = record_rate(s["v_totaal"], s["v_totaal"], 1, tel, 1, digits=0)
    besloten = s["v_besloten"]
    w["verzoeken_toegekend_aandeel"] = record_rate(besloten, s["v_toegekend"], besloten, tel, 100)
    median, n = extra["besluit"].get(where, (None, 0))
    w["verzoeken_besluit_mediaan_dagen"] = record_rate(n, median or 0, 1, tel, 1)
    w["verzoeken_binnen_termijn_aandeel"] = record_rate(
        s["v_met_termijn"], s["v_binnen_termijn"], s["v_met_termijn"], tel, 100
    )
    return w


def _extras(area: Area, w: dict, streefwaarde: int) -> dict:
    """Not indicators: P15, the target, and how many more neighbours would reach it."""
    p15 = area.p15 if area.p15_known else None
    streefwaarde_aantal = math.ceil(p15 * streefwaarde / 100 - 1e-9) if p15 else None
    kern = w["actieve_kern"]
    nodig = None
    if p15 and not kern["onderdrukt"]:
        nodig = formulas.still_needed(kern["n"], p15, streefwaarde)
    return {
        "p15": {"waarde": p15},
        "streefwaarde": {"waarde": streefwaarde},
        "streefwaarde_aantal": {"waarde": streefwaarde_aantal},
        "actieve_kern_nodig": {"waarde": nodig},
    }


def complementary(areas: dict[tuple, Area], waarden: dict[tuple, dict], drempel_of) -> None:
    """Secondary suppression so that no parent minus its published children reveals a group
    smaller than the minimum (see the module docstring)."""
    for key in INDICATORS:
        drempel = drempel_of(key)
        for area in areas.values():
            if area.tag != WIJK:
                continue
            kids = [waarden[c][key] for c in area.children]
            hidden = sum(f["_basis"] for f in kids if f["onderdrukt"])
            shown = [f for f in kids if not f["onderdrukt"]]
            if 0 < hidden < drempel and shown:
                smallest = min(shown, key=lambda f: f["_basis"])
                smallest.update(_suppressed(drempel, smallest["_basis"]))
        for area in areas.values():
            if area.tag != GEMEENTE:
                continue
            kids = [waarden[c][key] for c in area.children]
            hidden = sum(f["_basis"] for f in kids if f["onderdrukt"])
            if 0 < hidden < drempel and any(not f["onderdrukt"] for f in kids):
                own = waarden[(area.tag, area.key)][key]
                own.update(_suppressed(drempel, own["_basis"]))


def build(areas: dict[tuple, Area], extra: dict, instelling) -> dict[tuple, dict]:
    """{(level, id): waarden} ready to store: figures, suppression, and the extras."""
    waarden = {where: _indicators(area, extra, instelling) for where, area in areas.items()}
    enquete = {key for key, i in INDICATORS.items() if i.bron == "enquete"}

    def drempel_of(key):
        return instelling.min_n_enquete if key in enquete else instelling.min_n_telling

    complementary(areas, waarden, drempel_of)
    result = defaultdict(dict)
    for where, w in waarden.items():
        for key, figure in w.items():
            figure.pop("_basis", None)
            result[where][key] = figure
        result[where].update(_extras(areas[where], w, instelling.streefwaarde_actieve_kern))
    return dict(result)
