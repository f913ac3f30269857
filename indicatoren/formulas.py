"""The indicator formulas of DOMAIN.md ("Indicators"), as plain functions.

:mod:`indicatoren.compute` evaluates the per-respondent scores in the database with the same
rules (see ``compute_survey``); the tests hold both to the worked examples. Survey answers come
in as stored (before reversal, ``None`` = "weet niet").
"""

import math
from collections.abc import Sequence

Z95 = 1.959963984540054  # two-sided 95%

# --- Survey scores per respondent ----------------------------------------------------------------
SC_MAX = 4
SC_MIN_ANSWERED = 4
CE_MIDPOINT = 3
CE_MAX_MISSING = 1


def sociale_cohesie(answers: Sequence[int | None], reversed_: Sequence[bool]) -> float | None:
    """CBS: items 0-4 (reversed ones as 4 - x), score = sum x 10 / (4 x k) with k answered items;
    None when fewer than 4 of 5 are answered."""
    scored = [
        SC_MAX - a if rev else a for a, rev in zip(answers, reversed_, strict=True) if a is not None
    ]
    if len(scored) < SC_MIN_ANSWERED:
        return None
    return sum(scored) * 10 / (SC_MAX * len(scored))


def ce_subscale(answers: Sequence[int | None], reversed_: Sequence[bool]) -> int | None:
    """Sampson: items 1-5 (reversed ones as 6 - x), "weet niet" counts as the midpoint 3; the
    subscale (5-25) is valid with at most one of five missing."""
    missing = sum(a is None for a in answers)
    if missing > CE_MAX_MISSING:
        return None
    filled = [CE_MIDPOINT if a is None else a for a in answers]
    return sum(6 - a if rev else a for a, rev in zip(filled, reversed_, strict=True))


def ce_0_10(total: float | None) -> float | None:
    """The total (10-50) on a 0-10 scale: (total - 10) / 4."""
    return None if total is None else (total - 10) / 4


def agrees(answer: int | None, eens_vanaf: int = 4) -> bool | None:
    """For bereidheid and aanspreken: (helemaal) mee eens; None when not answered."""
    return None if answer is None else answer >= eens_vanaf


# --- Statistics ----------------------------------------------------------------------------------
def mean_ci(n: int, total: float, total_sq: float) -> tuple[float, float, float] | None:
    """Mean with a normal-approximation 95% interval from n, sum and sum of squares."""
    if not n:
        return None
    mean = total / n
    if n < 2:
        return mean, mean, mean
    variance = max(0.0, (total_sq - n * mean * mean) / (n - 1))
    half = Z95 * math.sqrt(variance / n)
    return mean, mean - half, mean + half


def wilson(k: int, n: int) -> tuple[float, float, float] | None:
    """A proportion with its Wilson 95% interval (sound near 0% and 100%, unlike p +/- 1.96 se)."""
    if not n:
        return None
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def dissimilarity(p_counts: Sequence[int], q_counts: Sequence[int]) -> float | None:
    """D = 1/2 sum |p_i - q_i| over the age bands: participants p vs population q (shares)."""
    p_total, q_total = sum(p_counts), sum(q_counts)
    if not p_total or not q_total:
        return None
    return sum(abs(p / p_total - q / q_total) for p, q in zip(p_counts, q_counts, strict=True)) / 2


def top10_share(hours: Sequence[float]) -> float | None:
    """Share of all volunteer hours given by the top 10% of volunteers (ceil(n / 10) people)."""
    volunteers = sorted((h for h in hours if h > 0), reverse=True)
    if not volunteers:
        return None
    top = (len(volunteers) + 9) // 10
    return sum(volunteers[:top]) / sum(volunteers)


def median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def still_needed(active: int, p15: int, doel_procent: int) -> int:
    """How many more residents would reach the target: ceil(doel x P15) - active, at least 0."""
    return max(0, math.ceil(p15 * doel_procent / 100 - 1e-9) - active)
