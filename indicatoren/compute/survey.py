"""Survey figures: per-respondent scores in SQL (the rules of ``indicatoren.formulas``), summed
per buurt over the latest closed round of each wijk in the period."""

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


def _survey_expressions() -> dict:
    """Per-respondent scores as SQL expressions, the same rules as :mod:`indicatoren.formulas`."""

    def scored(item, missing_as=None):
        value = F(item.key) if missing_as is None else Coalesce(F(item.key), Value(missing_as))
        top = 4 if item.groep == "sc" else 6
        return (Value(top) - value) if item.omgekeerd else value

    def answered(keys):
        return sum(
            (Case(When(**{f"{k}__isnull": False}, then=1), default=0) for k in keys), Value(0)
        )

    sc = [i for i in ITEMS if i.groep == "sc"]
    sc_k = answered([i.key for i in sc])
    sc_sum = sum((Coalesce(scored(i), Value(0)) for i in sc), Value(0))
    score = {
        "sc": Case(
            When(Q(sc_k__gte=4), then=Cast(F("sc_sum"), FloatField()) * 10.0 / (F("sc_k") * 4)),
            default=None,
            output_field=FloatField(),
        )
    }
    ce = {}
    for groep in ("isc", "sct"):
        items = [i for i in ITEMS if i.groep == groep]
        ce[f"{groep}_k"] = answered([i.key for i in items])
        ce[f"{groep}_sum"] = sum((scored(i, missing_as=3) for i in items), Value(0))
    # Both subscales and the total over the same respondents (both subscales valid): with
    # different bases, ISC + SCT - total would give away one respondent's subscale score.
    both_valid = Q(isc_k__gte=4, sct_k__gte=4)
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
