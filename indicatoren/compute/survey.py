"""Survey figures: per-respondent scores in SQL, summed per buurt over the latest closed round of
each wijk in the period.

This is the one definition of the survey scores of DOMAIN.md ("Indicators"); there is no Python
twin to keep in step. Answers are stored before reversal; "weet niet" is ``WEET_NIET_CODE`` and a
skipped item NULL:

- sociale cohesie (CBS, items 0-4): "weet niet" is missing, like a skipped item; reversed items
  count as 4 - x; score = sum x 10 / (4 x k) over the k answered items, with at least 4 of 5;
- collective efficacy (Sampson, items 1-5): "weet niet" is the midpoint 3 and reversed items count
  as 6 - x; a subscale (5-25) is valid with at most one of five items skipped, and then scored as
  5 x the mean of its items (the skipped one prorated); the total (10-50) only for respondents
  with both subscales valid;
- "weet niet" per scale: per respondent, the share of "weet niet" among the scale's items they
  did not skip (0-1), for respondents who answered at least one of them;
- shares (bereidheid, aanspreken, the threat items): agreeing is "mee eens" or "helemaal mee
  eens", of those who answered (neither skipped nor "weet niet").
"""

from collections import Counter
from datetime import date

from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from buurten.models import Gemeente

from ..models import Peiling, Respons
from ..survey import AANDEEL_ITEMS, EENS_VANAF, ITEMS, WEET_NIET_CODE
from .sql import bounds, fetch

# At least 4 of the 5 CBS statements answered; at most 1 of 5 Sampson items skipped per subscale.
SC_MIN_ANSWERED = 4
CE_MIN_ANSWERED = 4
CE_WEET_NIET = 3  # Sampson: "don't know" counts as the midpoint of 1-5
SCORES = ("sc", "isc", "sct", "tot", "isc_b", "sct_b", "wn_sc", "wn_isc", "wn_sct")


def _count(conditions) -> Case:
    return sum((Case(When(c, then=1), default=0) for c in conditions), Value(0))


def _survey_expressions() -> tuple[dict, dict]:
    """Per-respondent parts and scores as SQL expressions (the rules in the module docstring)."""

    def scored(item, weet_niet_as=None):
        """The item's score: NULL when skipped, and when "weet niet" unless ``weet_niet_as``."""
        # Reversing mirrors the scale: lowest + highest - x (4 - x on 0-4, 6 - x on 1-5).
        mirror = item.waarden[0] + item.waarden[-1]
        value = (Value(mirror) - F(item.key)) if item.omgekeerd else F(item.key)
        whens = [When(Q(**{f"{item.key}__in": item.waarden}), then=value)]
        if weet_niet_as is not None:
            whens.insert(0, When(Q(**{item.key: WEET_NIET_CODE}), then=Value(weet_niet_as)))
        return Case(*whens, default=None, output_field=IntegerField())

    def share(part, whole):
        return Case(
            When(Q(**{f"{whole}__gt": 0}), then=Cast(F(part), FloatField()) / F(whole)),
            default=None,
            output_field=FloatField(),
        )

    parts, score = {}, {}
    for groep in ("sc", "isc", "sct"):
        keys = [i.key for i in ITEMS if i.groep == groep]
        parts[f"{groep}_wn"] = _count(Q(**{k: WEET_NIET_CODE}) for k in keys)
        parts[f"{groep}_open"] = _count(Q(**{f"{k}__isnull": False}) for k in keys)
        score[f"wn_{groep}"] = share(f"{groep}_wn", f"{groep}_open")

    sc = [i for i in ITEMS if i.groep == "sc"]
    parts["sc_k"] = _count(Q(**{f"{i.key}__in": i.waarden}) for i in sc)
    parts["sc_sum"] = sum((Coalesce(scored(i), Value(0)) for i in sc), Value(0))
    score["sc"] = Case(
        When(
            Q(sc_k__gte=SC_MIN_ANSWERED),
            then=Cast(F("sc_sum"), FloatField()) * 10.0 / (F("sc_k") * 4),
        ),
        default=None,
        output_field=FloatField(),
    )
    for groep in ("isc", "sct"):
        items = [i for i in ITEMS if i.groep == groep]
        parts[f"{groep}_sum"] = sum(
            (Coalesce(scored(i, weet_niet_as=CE_WEET_NIET), Value(0)) for i in items), Value(0)
        )
        # "Weet niet" counts as answered (the midpoint); only a skipped item is missing.
        score[groep] = Case(
            When(
                Q(**{f"{groep}_open__gte": CE_MIN_ANSWERED}),
                then=Cast(F(f"{groep}_sum"), FloatField()) * len(items) / F(f"{groep}_open"),
            ),
            default=None,
            output_field=FloatField(),
        )
    return parts, score


def _common_base() -> dict:
    """The total, and both subscales again over the respondents with both valid (the base the
    total has): see ``indicatoren.weging.ce_sums`` for which base a buurt publishes."""
    both = Q(isc__isnull=False, sct__isnull=False)
    return {
        "tot": Case(When(both, then=F("isc") + F("sct")), default=None, output_field=FloatField()),
        "isc_b": Case(When(both, then=F("isc")), default=None, output_field=FloatField()),
        "sct_b": Case(When(both, then=F("sct")), default=None, output_field=FloatField()),
    }


def survey_sums(gemeente: Gemeente, start: date, eind: date) -> dict[int, Counter]:
    """Per buurt: n, sum and sum of squares of each score (``SCORES``), and answers and agree
    counts of each share (``AANDEEL_ITEMS``), over the latest
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
    if not latest:
        return {}
    parts, score = _survey_expressions()
    # Each respondent's scores once, in a subquery the planner may not flatten: aggregating
    # the annotations directly repeats every score's expression in every aggregate that reads
    # it (about 60 per respondent: 3.8 s for 50,000 responses; issue 15).
    per_respondent = (
        Respons.objects.filter(peiling_id__in=latest.values())
        .annotate(**parts)
        .annotate(**score)
        .annotate(**_common_base())
        .values("buurt_id", *SCORES, *AANDEEL_ITEMS)
        .order_by()
    )
    inner, params = per_respondent.query.sql_with_params()
    columns = []
    for name in SCORES:
        columns += [f"COUNT({name})", f"SUM({name})", f"SUM({name} * {name})"]
    for key in AANDEEL_ITEMS:
        waarden = next(i.waarden for i in ITEMS if i.key == key)
        agree = [v for v in waarden if v >= EENS_VANAF]
        columns += [
            f"SUM(CASE WHEN {key} IN ({', '.join(map(str, waarden))}) THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {key} IN ({', '.join(map(str, agree))}) THEN 1 ELSE 0 END)",
        ]
    names = [f"{n}_{part}" for n in SCORES for part in ("n", "s", "ss")]
    names += [f"{k}_{part}" for k in AANDEEL_ITEMS for part in ("n", "k")]
    sql = (
        f"WITH r AS MATERIALIZED ({inner}) "  # noqa: S608 (fixed fragments; values are parameters)
        f"SELECT buurt_id, {', '.join(columns)} FROM r GROUP BY buurt_id"
    )
    return {
        buurt_id: Counter({k: v or 0 for k, v in zip(names, values, strict=True)})
        for buurt_id, *values in fetch(sql, params)
    }
