"""Survey figures: per-respondent scores in SQL, summed per buurt over the latest closed round of
each wijk in the period.

This is the one definition of the survey scores of DOMAIN.md ("Indicators"); there is no Python
twin to keep in step. Answers are stored before reversal (``None`` = "weet niet"):

- sociale cohesie (CBS, items 0-4): reversed items count as 4 - x; score = sum x 10 / (4 x k)
  over the k answered items, only with at least 4 of 5 answered;
- collective efficacy (Sampson, items 1-5): reversed items count as 6 - x, "weet niet" as the
  midpoint 3; a subscale (5-25) is valid with at most one of five missing;
- bereidheid and aanspreken: agreeing is "mee eens" or "helemaal mee eens".
"""

from collections import Counter
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from buurten.models import Gemeente

from ..models import Peiling, Respons
from ..survey import EENS_VANAF, ITEMS
from .sql import bounds

# At least 4 of the 5 CBS statements answered; at most 1 of 5 Sampson items missing per subscale.
SC_MIN_ANSWERED = 4
CE_MIN_ANSWERED = 4
CE_WEET_NIET = 3  # Sampson: "don't know" counts as the midpoint of 1-5


def _survey_expressions() -> dict:
    """Per-respondent scores as SQL expressions (the rules in the module docstring)."""

    def scored(item, missing_as=None):
        value = F(item.key) if missing_as is None else Coalesce(F(item.key), Value(missing_as))
        # Reversing mirrors the scale: lowest + highest - x (4 - x on 0-4, 6 - x on 1-5).
        mirror = item.waarden[0] + item.waarden[-1]
        return (Value(mirror) - value) if item.omgekeerd else value

    def answered(keys):
        return sum(
            (Case(When(**{f"{k}__isnull": False}, then=1), default=0) for k in keys), Value(0)
        )

    sc = [i for i in ITEMS if i.groep == "sc"]
    sc_k = answered([i.key for i in sc])
    sc_sum = sum((Coalesce(scored(i), Value(0)) for i in sc), Value(0))
    score = {
        "sc": Case(
            When(
                Q(sc_k__gte=SC_MIN_ANSWERED),
                then=Cast(F("sc_sum"), FloatField()) * 10.0 / (F("sc_k") * 4),
            ),
            default=None,
            output_field=FloatField(),
        )
    }
    ce = {}
    for groep in ("isc", "sct"):
        items = [i for i in ITEMS if i.groep == groep]
        ce[f"{groep}_k"] = answered([i.key for i in items])
        ce[f"{groep}_sum"] = sum((scored(i, missing_as=CE_WEET_NIET) for i in items), Value(0))
    # Both subscales and the total over the same respondents (both subscales valid): with
    # different bases, ISC + SCT - total would give away one respondent's subscale score.
    both_valid = Q(isc_k__gte=CE_MIN_ANSWERED, sct_k__gte=CE_MIN_ANSWERED)
    for groep in ("isc", "sct"):
        score[groep] = Case(
            When(both_valid, then=F(f"{groep}_sum")), default=None, output_field=IntegerField()
        )
    return {"sc_k": sc_k, "sc_sum": sc_sum, **ce}, score


def survey_sums(gemeente: Gemeente, start: date, eind: date) -> dict[int, Counter]:
    """Per buurt: n, sum and sum of squares of each score, and agree counts, over the latest
    round of each wijk closed in the period (closed only: no answer shows before a round ends).
    A round closed without a single answer (opened by mistake, or nobody took part) is passed
    over: it would otherwise blank every survey figure of its wijk."""
    lo, hi = bounds(start, eind)
    latest = {}
    for pk, wijk_id in (
        Peiling.objects.filter(wijk__gemeente=gemeente, gesloten_at__gte=lo, gesloten_at__lt=hi)
        .filter(Exists(Respons.objects.filter(peiling=OuterRef("pk"))))
        .order_by("wijk_id", "-gesloten_at")
        .values_list("pk", "wijk_id")
    ):
        latest.setdefault(wijk_id, pk)
    parts, score = _survey_expressions()
    aggregates = {}
    for name in score:
        aggregates[f"{name}_n"] = Count(name)
        aggregates[f"{name}_s"] = Sum(name)
        aggregates[f"{name}_ss"] = Sum(F(name) * F(name))
    aggregates["tot_n"] = Count("tot")
    aggregates["tot_s"] = Sum("tot")
    aggregates["tot_ss"] = Sum(F("tot") * F("tot"))
    for key in ("bereidheid", "aanspreken"):
        aggregates[f"{key}_n"] = Count(key)
        aggregates[f"{key}_k"] = Sum(Case(When(**{f"{key}__gte": EENS_VANAF}, then=1), default=0))
    rows = (
        Respons.objects.filter(peiling_id__in=latest.values())
        .annotate(**parts)
        .annotate(**score)
        .annotate(tot=F("isc") + F("sct"))
        .values("buurt_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("buurt_id"): Counter({k: v or 0 for k, v in row.items()}) for row in rows}
