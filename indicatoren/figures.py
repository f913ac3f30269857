"""From raw sums to published figures: rates, intervals and suppression.

Rules (DOMAIN.md; ADR 0006, "Suppression"):
- Every figure is made of counts (``registry.TELLINGEN``: respondents of a scale, participants,
  repeaters, meldingen per target, ...), declared per indicator in the registry. Each count gets
  one suppression pattern over all areas (:mod:`indicatoren.suppression`): hidden where it is
  below the minimum (``min_n_enquete`` for respondents, ``min_n_telling`` for the rest) and
  where that is needed so that no sum of published cells gives a small hidden group away.
- A figure is suppressed wherever any of its counts is, and publishes as n only the count the
  registry names for it (whose pattern it carries).
A suppressed figure keeps no value, no n and no interval: only ``onderdrukt``, ``drempel`` and
``reden`` (``"klein"``: its own count is too small; ``"bescherming"``: hidden to protect a small
count elsewhere).
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import formulas, suppression, weging
from .display import DECIMALS
from .registry import (
    DEELTELLINGEN,
    ENQUETE,
    INDICATORS,
    MELDING_DOEL_TELLINGEN,
    TELLINGEN,
    complement,
)
from .suppression import BESCHERMING, KLEIN
from .survey import AANDEEL_ITEMS

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
    # Wijk and gemeente: (child key, buurt area) for every buurt below, for weighted figures.
    leaves: list[tuple[tuple, "Area"]] = field(default_factory=list)


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
        wijk.leaves.append(((BUURT, buurt.pk), area))
        gemeente.leaves.append(((WIJK, buurt.wijk_id), area))
        for parent in (wijk, gemeente):
            parent.sums.update(area.sums)
            parent.p15 += area.p15
            parent.inwoners += area.inwoners
            if area.bands:
                parent.bands = [a + b for a, b in zip(parent.bands, area.bands, strict=True)]
    return areas


def _figure(waarde, n, drempel, ci=None, digits=1):
    """An unsuppressed figure, rounded once, here, to the digits it is shown with
    (``display.DECIMALS``) and by the display's rule: rounding to more digits first would show
    6.548 as 6.55 and then as "6,6"."""
    if waarde is None:
        return {"waarde": None, "n": n, "ci": None, "onderdrukt": False, "drempel": drempel}
    return {
        "waarde": formulas.rounded(waarde, digits),
        "n": n,
        "ci": [formulas.rounded(ci[0], digits), formulas.rounded(ci[1], digits)] if ci else None,
        "onderdrukt": False,
        "drempel": drempel,
    }


def _suppressed(drempel, reden=KLEIN):
    return {
        "waarde": None,
        "n": None,
        "ci": None,
        "onderdrukt": True,
        "drempel": drempel,
        "reden": reden,
    }


# Survey means: indicator -> (score in ``compute.survey.SCORES``, transform).
SURVEY_MEANS = {
    "sociale_cohesie": ("sc", None),
    "ce_isc": ("isc", None),
    "ce_sct": ("sct", None),
    "ce_totaal": ("tot", None),
    "ce_0_10": ("tot", formulas.ce_0_10),
    "weet_niet_sc": ("wn_sc", lambda share: 100 * share),
    "weet_niet_isc": ("wn_isc", lambda share: 100 * share),
    "weet_niet_sct": ("wn_sct", lambda share: 100 * share),
}


def weighed(leaf: Area) -> bool:
    """Whether a buurt's answers count in its wijk's and the gemeente's survey figures: only
    with a known population, which weighs them (``weging``)."""
    return leaf.p15_known and leaf.p15 > 0


def _delen(area: Area, of_leaf) -> tuple[list[weging.Deel], dict]:
    """The buurten of a wijk or the gemeente that count in a weighted figure (answers and a
    known population), and what they cover."""
    delen, gedekt, p15_gedekt, zonder = [], set(), 0, 0
    for child, leaf in area.leaves:
        deel = of_leaf(leaf)
        if deel.n and weighed(leaf):
            delen.append(deel)
            gedekt.add(child)
            p15_gedekt += leaf.p15
        elif deel.n:
            zonder += 1
    eenheid = "buurt" if area.tag == WIJK else "wijk"
    dekking = weging.dekking(
        gedekt=gedekt,
        van=len(area.children),
        eenheid=eenheid,
        p15_gedekt=p15_gedekt,
        p15_totaal=area.p15,
        zonder=zonder,
    )
    return delen, dekking


def _weighted(fig: dict, dekking: dict) -> dict:
    fig["weging"] = weging.WEGING
    fig["dekking"] = dekking
    return fig


def survey_mean(area: Area, prefix: str, drempel: int, min_groep: int, transform=None, digits=1):
    """A buurt: the mean of its respondents. A wijk or the gemeente: the population-weighted
    mean of its buurten (``weging``). Suppression decides on the respondents counted, n."""
    if area.tag == BUURT:
        n, total, total_sq = weging.score_sums(area.sums, prefix, min_groep)
        if n < drempel:
            return _suppressed(drempel)
        mean, lo, hi = formulas.mean_ci(n, total, total_sq)
        dekking = None
    else:
        delen, dekking = _delen(
            area,
            lambda leaf: weging.Deel(leaf.p15, *weging.score_sums(leaf.sums, prefix, min_groep)),
        )
        n = sum(d.n for d in delen)
        if n < drempel:
            return _suppressed(drempel)
        mean, lo, hi = weging.weighted_mean(delen)
    if transform:
        mean, lo, hi = transform(mean), transform(lo), transform(hi)
    fig = _figure(mean, n, drempel, (lo, hi), digits)
    return fig if dekking is None else _weighted(fig, dekking)


def survey_share(area: Area, prefix: str, drempel: int):
    """The share agreeing, in % (buurt: of its respondents; above: weighted like the means)."""
    if area.tag == BUURT:
        n = area.sums[f"{prefix}_n"]
        if n < drempel:
            return _suppressed(drempel)
        p, lo, hi = formulas.wilson(area.sums[f"{prefix}_k"], n)
        return _figure(100 * p, n, drempel, (100 * lo, 100 * hi), DECIMALS["%"])
    delen, dekking = _delen(
        area,
        lambda leaf: weging.Deel(leaf.p15, leaf.sums[f"{prefix}_n"], leaf.sums[f"{prefix}_k"]),
    )
    n = sum(d.n for d in delen)
    if n < drempel:
        return _suppressed(drempel)
    p, lo, hi = weging.weighted_share(delen)
    fig = _figure(100 * p, n, drempel, (100 * lo, 100 * hi), DECIMALS["%"])
    return _weighted(fig, dekking)


def survey_figures(area: Area, drempel: int, min_groep: int) -> dict:
    """Every survey indicator of one area, each rounded to the digits of its unit."""
    w = {}
    for key, (prefix, transform) in SURVEY_MEANS.items():
        digits = DECIMALS[INDICATORS[key].eenheid]
        w[key] = survey_mean(area, prefix, drempel, min_groep, transform, digits)
    for key in AANDEEL_ITEMS:
        w[key] = survey_share(area, key, drempel)
    return w


def people_rate(counts: list[int], numerator: float, denominator, drempel, scale, digits=1):
    """A figure about people: suppressed when any of its counts is below the minimum (``build``
    settles its suppression over all areas and its n from the registry)."""
    if min(counts) < drempel:
        return _suppressed(drempel)
    waarde = None if not denominator else scale * numerator / denominator
    return _figure(waarde, counts[0], drempel, digits=digits)


def record_rate(count: int, numerator: float, denominator, drempel, scale, digits=1):
    """A figure about records (meldingen, verzoeken): suppressed when ``count`` is too small."""
    if count < drempel:
        return _suppressed(drempel)
    waarde = None if not denominator else scale * numerator / denominator
    return _figure(waarde, count, drempel, digits=digits)


def _indicators(area: Area, extra: dict, instelling) -> dict:
    s, enq, tel = area.sums, instelling.min_n_enquete, instelling.min_n_telling
    p15 = area.p15 if area.p15_known else None
    inwoners = area.inwoners if area.p15_known else None
    where = (area.tag, area.key)
    w = survey_figures(area, enq, tel)
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
    w["representativiteit"] = people_rate([sum(p)], d or 0.0, None if d is None else 1, tel, 1)
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


# Respondents: every one adds up, from the buurten that count in a survey figure.
SURVEY_TELLINGEN = tuple(key for key, telling in TELLINGEN.items() if telling.enquete)


def _survey_counts(leaf: Area, min_groep: int) -> Counter:
    """A buurt's respondents behind each survey figure: the n its figures are published over."""
    s = leaf.sums
    values = Counter({key: s[key] for key in SURVEY_TELLINGEN})
    values["ce_n"] = s["tot_n"]  # the total: respondents with both subscales valid
    # Each Sampson subscale over the respondents it is published over (``weging.ce_base``).
    values["isc_n"] = weging.score_sums(s, "isc", min_groep)[0]
    values["sct_n"] = weging.score_sums(s, "sct", min_groep)[0]
    return values


def counts_of(area: Area, extra: dict, min_groep: int = 10) -> dict[str, int]:
    """The value of every count of ``registry.TELLINGEN`` in one area (and ``m_overig``, the
    meldingen not routed, which only completes the sum over the routing targets). A wijk's or
    the gemeente's survey counts are those of its weighed buurten (``weighed``), as its
    figures publish them: a buurt without a population is not in them, but a cell of its own."""
    s, where = area.sums, (area.tag, area.key)
    _top_uren, volunteers = extra["top"].get(where, (0.0, 0))
    values = {key: s[key] for key, telling in TELLINGEN.items() if telling.optelbaar}
    if area.tag == BUURT:
        values.update(_survey_counts(area, min_groep))
    else:
        survey = Counter(dict.fromkeys(SURVEY_TELLINGEN, 0))
        for _child, leaf in area.leaves:
            if weighed(leaf):
                survey.update(_survey_counts(leaf, min_groep))
        values.update(survey)
    values["leeftijd_bekend"] = sum(s[f"l_{band}"] for band in BANDS)
    values["top10"] = (volunteers + 9) // 10
    values["feedback_mediaan_n"] = extra["feedback"].get(where, (None, 0))[1]
    values["besluit_mediaan_n"] = extra["besluit"].get(where, (None, 0))[1]
    values["m_overig"] = s["m_totaal"] - sum(s[key] for key in MELDING_DOEL_TELLINGEN)
    for part, whole in DEELTELLINGEN:
        values[complement(part, whole)] = values[whole] - values[part]
    return values


def hidden_cells(areas: dict[tuple, Area], counts: dict[tuple, dict], instelling) -> dict:
    """{(count, area): KLEIN | BESCHERMING}: the suppression pattern of every count."""

    def drempel_of(key):
        if TELLINGEN[key].enquete:
            return instelling.min_n_enquete
        return instelling.min_n_telling

    additive = [k for k, t in TELLINGEN.items() if t.optelbaar and not t.enquete]
    lines = suppression.tree_lines(areas, additive)
    # A buurt without a population adds no answers to its wijk (``counts_of``).
    lines += suppression.tree_lines(
        areas, SURVEY_TELLINGEN, counted=lambda child: child[0] != BUURT or weighed(areas[child])
    )
    lines += suppression.sum_lines(areas, "m_totaal", MELDING_DOEL_TELLINGEN, "m_overig")
    for part, whole in DEELTELLINGEN:
        lines += suppression.sum_lines(areas, whole, (part,), complement(part, whole))
    public = frozenset({"m_overig"})
    unpublished = frozenset(complement(part, whole) for part, whole in DEELTELLINGEN)
    hidden = {}
    # Counts that share no line are settled apart (the same result, fewer passes): those one
    # area adds up in another way (meldingen per target, a part and its complement) together,
    # every other count on its own.
    for group in suppression.connected(lines, [*TELLINGEN, "m_overig"]):
        values = {(key, where): c[key] for where, c in counts.items() for key in group}
        own = [line for line in lines if line.total[0] in group]
        hidden.update(
            suppression.patterns(values, own, drempel_of, public=public, unpublished=unpublished)
        )
    return hidden


def build(areas: dict[tuple, Area], extra: dict, instelling) -> dict[tuple, dict]:
    """{(level, id): waarden} ready to store: figures, suppression, and the extras."""
    waarden = {where: _indicators(area, extra, instelling) for where, area in areas.items()}
    tel = instelling.min_n_telling
    counts = {where: counts_of(area, extra, tel) for where, area in areas.items()}
    hidden = hidden_cells(areas, counts, instelling)
    result = defaultdict(dict)
    for where, w in waarden.items():
        for key, figure in w.items():
            indicator = INDICATORS.get(key)
            if indicator and indicator.tellingen:
                redenen = {hidden.get((t, where)) for t in indicator.tellingen} - {None}
                if redenen:
                    reden = KLEIN if KLEIN in redenen else BESCHERMING
                    figure = w[key] = _suppressed(figure["drempel"], reden)
                elif indicator.bron != ENQUETE:  # survey figures keep their respondents as n
                    n = indicator.n_telling
                    figure["n"] = counts[where][n] if n else None
            result[where][key] = figure
        result[where].update(_extras(areas[where], w, instelling.streefwaarde_actieve_kern))
    return dict(result)
