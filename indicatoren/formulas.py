"""The formulas applied to the sums the database returns (DOMAIN.md, "Indicators").

Everything counted per respondent or per person (survey scores, the active core, medians, the
top-10% share) is computed once, in SQL, by :mod:`indicatoren.compute`; what is left for Python
is the arithmetic on those totals: intervals, the 0-10 scale, dissimilarity and the target.
"""

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.959963984540054  # two-sided 95%


def rounded(value: float, digits: int) -> float | int:
    """Half up on the digits as written (6.55 -> 6.6, 6.548 -> 6.5), as people round.

    A published figure is rounded once, with this, to the digits it is shown with
    (``display.DECIMALS``): rounding 6.548 first to 6.55 and then to one digit gives "6,6"."""
    quantum = Decimal(1).scaleb(-digits)
    result = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(result) if digits == 0 else float(result)


def ce_0_10(total: float | None) -> float | None:
    """Collective efficacy's total (10-50) on a 0-10 scale: (total - 10) / 4."""
    return None if total is None else (total - 10) / 4


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


def still_needed(active: int, p15: int, streefwaarde_procent: int) -> int:
    """How many more residents would reach the streefwaarde: ceil(s x P15) - active, at least 0."""
    return max(0, math.ceil(p15 * streefwaarde_procent / 100 - 1e-9) - active)
