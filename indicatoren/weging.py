"""Survey figures of a wijk or the gemeente: buurten weighted by their 15+ population.

Respondents are not spread over the buurten as residents are (one buurt answers with 8% of its
residents, the next with 1%), so pooling them lets the keenest buurten speak for the rest. An
aggregate is the mean of its buurt means weighted by each buurt's 15+ population (CBS), over the
buurten with answers and a known population:

    mean = sum(P_b x mean_b) / sum(P_b)

which gives each respondent the weight w = P_b / n_b. The interval uses Kish's effective sample
size n_eff = (sum w)^2 / sum w^2 with the weighted variance of the answers around that mean:
it is sampling noise among those who answered, not a statement about who did not. Shares take a
Wilson interval on n_eff. With one buurt, or equal weights, all of this is the unweighted mean
and interval of ``formulas``.

Only arithmetic on the per-buurt sums ``compute.survey`` returns: no queries.
"""

import math
from dataclasses import dataclass

from . import formulas

WEGING = "inwoners 15+"  # published with every weighted figure: how it was weighted


@dataclass(frozen=True)
class Deel:
    """One buurt's part of an aggregate: its 15+ population and its sums for one score."""

    p15: int
    n: int
    s: float  # sum of the scores (for a share: the number agreeing)
    ss: float = 0.0  # sum of squares (means only)


def effective_n(delen: list[Deel]) -> float:
    """Kish: (sum w)^2 / sum w^2 with w = P_b / n_b for each of the n_b respondents of buurt b."""
    total = sum(d.p15 for d in delen)
    squares = sum(d.p15 * d.p15 / d.n for d in delen)
    return total * total / squares


def weighted_mean(delen: list[Deel]) -> tuple[float, float, float] | None:
    """The population-weighted mean with a 95% interval from n_eff (see the module docstring)."""
    delen = [d for d in delen if d.n and d.p15]
    if not delen:
        return None
    total = sum(d.p15 for d in delen)
    mean = sum(d.p15 * d.s / d.n for d in delen) / total
    n_eff = effective_n(delen)
    if n_eff <= 1:
        return mean, mean, mean
    # sum over respondents of w (x - mean)^2, per buurt from its n, sum and sum of squares
    spread = sum(d.p15 / d.n * (d.ss - 2 * mean * d.s + d.n * mean * mean) for d in delen)
    variance = max(0.0, spread / total) * n_eff / (n_eff - 1)
    half = formulas.Z95 * math.sqrt(variance / n_eff)
    return mean, mean - half, mean + half


def weighted_share(delen: list[Deel]) -> tuple[float, float, float] | None:
    """The population-weighted share agreeing (``Deel.s`` = agreeing) with a Wilson interval on
    n_eff."""
    delen = [d for d in delen if d.n and d.p15]
    if not delen:
        return None
    total = sum(d.p15 for d in delen)
    share = sum(d.p15 * d.s / d.n for d in delen) / total
    n_eff = effective_n(delen)
    return formulas.wilson(share * n_eff, n_eff)


def dekking(
    *, gedekt: set, van: int, eenheid: str, p15_gedekt: int, p15_totaal: int, zonder: int
) -> dict:
    """What an aggregate covers: the areas one level down with answers (``gedekt``) of ``van``,
    their share of the 15+ population, and how many buurten with answers were left out for
    want of a CBS population (``zonder``). ``eenheid`` is "wijk" or "buurt"."""
    pct = None
    if p15_totaal:
        pct = 100 * p15_gedekt / p15_totaal
        # Whole percents as shown, but a coverage under 1% must not read as 0%.
        pct = formulas.rounded(pct, 0 if pct >= 1 else 1)
    return {
        "gebieden": len(gedekt),
        "van": van,
        "eenheid": eenheid,
        "inwoners_pct": pct,
        "zonder_bevolking": zonder,
    }


def ce_base(sums, prefix: str, min_groep: int) -> str:
    """Which respondents a buurt's collective-efficacy subscale is published over.

    Each subscale is reported over the respondents for whom *it* is valid, the total over those
    with both valid. Then ISC + SCT - total is the sum over the respondents valid for one
    subscale only; when that group is 1 to ``min_groep`` - 1 people, it would give away their
    scores, so the buurt publishes both subscales over the common base (the total's) instead.
    Aggregates use each buurt's published base, so they add no such group of their own.
    """
    extra = sums["isc_n"] + sums["sct_n"] - 2 * sums["tot_n"]
    return f"{prefix}_b" if 0 < extra < min_groep else prefix


def score_sums(sums, prefix: str, min_groep: int) -> tuple[int, float, float]:
    """A buurt's n, sum and sum of squares for one score, on the base it is published over."""
    base = ce_base(sums, prefix, min_groep) if prefix in ("isc", "sct") else prefix
    return sums[f"{base}_n"], float(sums[f"{base}_s"]), float(sums[f"{base}_ss"])
