"""Computing every indicator for every buurt, wijk and the gemeente for one period.

The database does the counting: one grouped query per source (survey, activities, meldingen,
verzoeken) returns additive sums per buurt, rolled up to wijk and gemeente in Python (a sum over
at most a few hundred rows, no further queries); figures that do not add up (medians, the top-10%
share) come from one windowed query per indicator with a row per buurt, wijk and gemeente. The
number of queries does not depend on the number of buurten. The raw sums never leave this module:
:mod:`indicatoren.figures` turns them into suppressed figures, and only those are stored.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit, Verzoek
from activiteiten.workflow import Status as VerzoekStatus
from buurten.models import Buurt, Gemeente, Lidmaatschap
from meldingen.models import Melding, StatusWijziging

from . import figures
from .models import Niveau, Peiling, Respons, Snapshot
from .selectors import settings_for
from .survey import EENS_VANAF, ITEMS

BUURT, WIJK, GEMEENTE = "b", "w", "g"
LEEFTIJDSGROEPEN = ("15_25", "25_45", "45_65", "65_plus")
MELDING_DOELEN = ("politie", "handhaving", "gemeente", "buurt")
TOEGEKEND = (VerzoekStatus.TOEGEKEND, VerzoekStatus.UITGEVOERD, VerzoekStatus.VERANTWOORD)


def _bounds(start: date, eind: date) -> tuple[datetime, datetime]:
    """The period as aware datetimes: from the start of ``start`` to the end of ``eind``."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(eind + timedelta(days=1), time.min, tzinfo=tz),
    )


def _raw_bounds(start: date, eind: date) -> tuple:
    """The period bounds as parameters for hand-written SQL (SQLite stores UTC text)."""
    return tuple(connection.ops.adapt_datetimefield_value(dt) for dt in _bounds(start, eind))


def _fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- Survey --------------------------------------------------------------------------------------
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
    round of each wijk closed in the period (closed only: no answer shows before a round ends)."""
    lo, hi = _bounds(start, eind)
    latest = {}
    for pk, wijk_id in (
        Peiling.objects.filter(wijk__gemeente=gemeente, gesloten_at__gte=lo, gesloten_at__lt=hi)
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


# --- Activities ----------------------------------------------------------------------------------
def _activity_rows_sql(lo: datetime, hi: datetime):
    """One row per (resident, activity) taken part in or organised: an ORM union, compiled."""
    now = timezone.now()
    took_part = (
        Aanmelding.objects.filter(
            Q(aanwezig=True) | Q(aanwezig__isnull=True),
            status=Aanmelding.Status.AANGEMELD,
            activiteit__start__gte=lo,
            activiteit__start__lt=min(hi, now),
            activiteit__geannuleerd_at__isnull=True,
        )
        .annotate(
            persoon=F("user_id"),
            act=F("activiteit_id"),
            maand=TruncMonth("activiteit__start"),
            actief=Case(When(rol__isnull=False, then=1), default=0),
            u=Cast(Coalesce("uren", Value(Decimal(0))), FloatField()),
        )
        .values("persoon", "act", "maand", "actief", "u")
        .order_by()
    )
    organised = (
        Activiteit.objects.filter(
            start__gte=lo, start__lt=min(hi, now), geannuleerd_at__isnull=True
        )
        .annotate(
            persoon=F("organisator_id"),
            act=F("pk"),
            maand=TruncMonth("start"),
            actief=Value(1),
            u=Value(0.0, output_field=FloatField()),
        )
        .values("persoon", "act", "maand", "actief", "u")
        .order_by()
    )
    return took_part.union(organised, all=True).query.sql_with_params()


def activity_sums(gemeente: Gemeente, start: date, eind: date):
    """Per buurt (of the resident's membership): participants, repeaters, active core, volunteer
    hours and volunteers, participants per age band; plus the top-10% hour share per buurt, wijk
    and gemeente. One statement."""
    rows_sql, rows_params = _activity_rows_sql(*_bounds(start, eind))
    user = Lidmaatschap._meta.get_field("user").related_model._meta.db_table
    zero_bands = ", ".join("0" for _ in LEEFTIJDSGROEPEN)

    def level(key_col, tag, rank, size, full):
        cols = (
            "COUNT(*), SUM(herhaler), SUM(kern), SUM(uren), SUM(vrijwilliger), "
            + ", ".join(
                f"SUM(CASE WHEN leeftijdsgroep = '{b}' THEN 1 ELSE 0 END)" for b in LEEFTIJDSGROEPEN
            )
            if full
            else f"0, 0, 0, 0, 0, {zero_bands}"
        )
        return (
            f"SELECT '{tag}', {key_col}, {cols}, "  # noqa: S608 (fixed fragments and table names; values are parameters)
            f"SUM(CASE WHEN {rank} <= ({size} + 9) / 10 AND uren > 0 THEN uren ELSE 0 END), "
            f"MAX({size}) FROM r" + ("" if key_col == "0" else f" GROUP BY {key_col}")
        )

    sql = f"""
        WITH rij AS ({rows_sql}),
        pu AS (
            -- Residents of the gemeente first, then per resident: the join is on 1,000,000
            -- rows with good estimates, and nothing is joined after the grouping.
            SELECT m.buurt_id, b.wijk_id, usr.leeftijdsgroep,
                   COUNT(DISTINCT rij.act) AS keer, COUNT(DISTINCT rij.maand) AS maanden,
                   MAX(rij.actief) AS actief, SUM(rij.u) AS uren
            FROM rij
            JOIN {Lidmaatschap._meta.db_table} m ON m.user_id = rij.persoon AND m.status = %s
            JOIN {user} usr ON usr.id = rij.persoon
            JOIN {Buurt._meta.db_table} b ON b.id = m.buurt_id
            JOIN {Buurt.wijk.field.related_model._meta.db_table} w ON w.id = b.wijk_id
            WHERE w.gemeente_id = %s
            GROUP BY rij.persoon, m.buurt_id, b.wijk_id, usr.leeftijdsgroep
        ),
        p AS (
            SELECT buurt_id, wijk_id, leeftijdsgroep,
                   CASE WHEN keer >= 2 THEN 1 ELSE 0 END AS herhaler,
                   CASE WHEN actief = 1 OR (keer >= 3 AND maanden >= 2)
                        THEN 1 ELSE 0 END AS kern,
                   uren,
                   CASE WHEN uren > 0 THEN 1 ELSE 0 END AS vrijwilliger
            FROM pu
        ),
        r AS (
            SELECT p.*,
                ROW_NUMBER() OVER (PARTITION BY buurt_id ORDER BY uren DESC) AS rb,
                SUM(vrijwilliger) OVER (PARTITION BY buurt_id) AS vb,
                ROW_NUMBER() OVER (PARTITION BY wijk_id ORDER BY uren DESC) AS rw,
                SUM(vrijwilliger) OVER (PARTITION BY wijk_id) AS vw,
                ROW_NUMBER() OVER (ORDER BY uren DESC) AS rg,
                SUM(vrijwilliger) OVER () AS vg
            FROM p
        )
        {level("buurt_id", BUURT, "rb", "vb", True)}
        UNION ALL {level("wijk_id", WIJK, "rw", "vw", False)}
        UNION ALL {level("0", GEMEENTE, "rg", "vg", False)}
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    params = (*rows_params, Lidmaatschap.Status.LID, gemeente.pk)
    sums, top = {}, {}
    names = (
        "deelnemers",
        "herhalers",
        "kern",
        "uren",
        "vrijwilligers",
        *(f"l_{band}" for band in LEEFTIJDSGROEPEN),
    )
    for tag, key, *values, top_uren, volunteers in _fetch(sql, params):
        if tag == BUURT:
            sums[key] = Counter(dict(zip(names, (v or 0 for v in values), strict=True)))
        top[(tag, gemeente.pk if tag == GEMEENTE else key)] = (top_uren or 0.0, volunteers or 0)
    return sums, top


# --- Meldingen and verzoeken ---------------------------------------------------------------------
def melding_sums(gemeente: Gemeente, start: date, eind: date) -> dict[int, Counter]:
    lo, hi = _bounds(start, eind)
    feedback = Q(historie__terugkoppeling__gt="")
    rows = (
        Melding.objects.filter(
            buurt__wijk__gemeente=gemeente, created_at__gte=lo, created_at__lt=hi
        )
        .values("buurt_id")
        .annotate(
            m_totaal=Count("pk", distinct=True),
            m_feedback=Count("pk", filter=feedback, distinct=True),
            **{
                f"m_{doel}": Count("pk", filter=Q(doel=doel), distinct=True)
                for doel in MELDING_DOELEN
            },
        )
        .order_by()
    )
    return {row.pop("buurt_id"): Counter(row) for row in rows}


def verzoek_sums(gemeente: Gemeente, start: date, eind: date) -> dict[int, Counter]:
    lo, hi = _bounds(start, eind)
    besloten = Q(besloten_at__isnull=False)
    rows = (
        Verzoek.objects.filter(
            buurt__wijk__gemeente=gemeente, ingediend_at__gte=lo, ingediend_at__lt=hi
        )
        .values("buurt_id")
        .annotate(
            v_totaal=Count("pk"),
            v_besloten=Count("pk", filter=besloten),
            v_toegekend=Count("pk", filter=besloten & Q(status__in=TOEGEKEND)),
            # Decided, or past its deadline without a decision (that one was not in time);
            # withdrawn requests and open ones still within their deadline are not judged.
            v_met_termijn=Count(
                "pk",
                filter=Q(deadline__isnull=False)
                & ~Q(status=VerzoekStatus.INGETROKKEN)
                & (besloten | Q(deadline__lt=timezone.localdate())),
            ),
            v_binnen_termijn=Count(
                "pk",
                filter=besloten & Q(deadline__isnull=False, besloten_at__date__lte=F("deadline")),
            ),
        )
        .order_by()
    )
    return {row.pop("buurt_id"): Counter(row) for row in rows}


def _between(later: str, earlier: str, unit_seconds: int) -> str:
    """SQL for the time between two timestamp columns in hours or days (vendor-specific)."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / {unit_seconds}"
    return f"(julianday({later}) - julianday({earlier})) * 86400.0 / {unit_seconds}"


def _medians(values_sql: str, params) -> dict:
    """{(level, id): (median, n)} from a query yielding (buurt_id, wijk_id, x)."""

    def level(tag, key, rank, size):
        return (
            f"SELECT '{tag}', {key}, AVG(x), MAX({size}) FROM r "  # noqa: S608 (fixed fragments and table names; values are parameters)
            f"WHERE {rank} IN (({size} + 1) / 2, ({size} + 2) / 2)"
            + ("" if key == "0" else f" GROUP BY {key}")
        )

    sql = f"""
        WITH f AS ({values_sql}),
        r AS (
            SELECT buurt_id, wijk_id, x,
                ROW_NUMBER() OVER (PARTITION BY buurt_id ORDER BY x) AS rb,
                COUNT(*) OVER (PARTITION BY buurt_id) AS nb,
                ROW_NUMBER() OVER (PARTITION BY wijk_id ORDER BY x) AS rw,
                COUNT(*) OVER (PARTITION BY wijk_id) AS nw,
                ROW_NUMBER() OVER (ORDER BY x) AS rg,
                COUNT(*) OVER () AS ng
            FROM f
        )
        {level(BUURT, "buurt_id", "rb", "nb")}
        UNION ALL {level(WIJK, "wijk_id", "rw", "nw")}
        UNION ALL {level(GEMEENTE, "0", "rg", "ng")}
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    return {
        (tag, key): (float(median), count)
        for tag, key, median, count in _fetch(sql, params)
        if median is not None
    }


def feedback_medians(gemeente: Gemeente, start: date, eind: date) -> dict:
    """Median hours from a melding to the first message to its reporter, per level."""
    lo, hi = _raw_bounds(start, eind)
    melding, buurt = Melding._meta.db_table, Buurt._meta.db_table
    wijk = Buurt.wijk.field.related_model._meta.db_table
    sql = f"""
        SELECT m.buurt_id, b.wijk_id, {_between("MIN(s.created_at)", "m.created_at", 3600)} AS x
        FROM {melding} m
        JOIN {StatusWijziging._meta.db_table} s ON s.melding_id = m.id AND s.terugkoppeling <> ''
        JOIN {buurt} b ON b.id = m.buurt_id JOIN {wijk} w ON w.id = b.wijk_id
        WHERE w.gemeente_id = %s AND m.created_at >= %s AND m.created_at < %s
        GROUP BY m.id, m.buurt_id, b.wijk_id, m.created_at
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    return _keyed(_medians(sql, (gemeente.pk, lo, hi)), gemeente)


def besluit_medians(gemeente: Gemeente, start: date, eind: date) -> dict:
    """Median days from submission to decision of facilitation requests, per level."""
    lo, hi = _raw_bounds(start, eind)
    buurt = Buurt._meta.db_table
    wijk = Buurt.wijk.field.related_model._meta.db_table
    sql = f"""
        SELECT v.buurt_id, b.wijk_id, {_between("v.besloten_at", "v.ingediend_at", 86400)} AS x
        FROM {Verzoek._meta.db_table} v
        JOIN {buurt} b ON b.id = v.buurt_id JOIN {wijk} w ON w.id = b.wijk_id
        WHERE w.gemeente_id = %s AND v.ingediend_at >= %s AND v.ingediend_at < %s
          AND v.besloten_at IS NOT NULL
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    return _keyed(_medians(sql, (gemeente.pk, lo, hi)), gemeente)


def _keyed(medians: dict, gemeente: Gemeente) -> dict:
    return {
        (tag, gemeente.pk if tag == GEMEENTE else key): value
        for (tag, key), value in medians.items()
    }


# --- Putting it together -------------------------------------------------------------------------
def compute_snapshots(
    *,
    gemeente: Gemeente,
    periode_start: date,
    periode_eind: date,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replace the snapshots of the gemeente for this period; returns how many were written."""
    report = progress or (lambda percent: None)
    instelling = settings_for(gemeente)
    buurten = list(
        Buurt.objects.filter(wijk__gemeente=gemeente).only(
            "pk",
            "wijk_id",
            "inwoners",
            "leeftijd_0_15",
            "leeftijd_15_25",
            "leeftijd_25_45",
            "leeftijd_45_65",
            "leeftijd_65_plus",
        )
    )
    report(5)
    sums: dict[int, Counter] = defaultdict(Counter)
    for buurt_id, counter in survey_sums(gemeente, periode_start, periode_eind).items():
        sums[buurt_id].update(counter)
    report(25)
    activity, top = activity_sums(gemeente, periode_start, periode_eind)
    for buurt_id, counter in activity.items():
        sums[buurt_id].update(counter)
    report(55)
    for buurt_id, counter in melding_sums(gemeente, periode_start, periode_eind).items():
        sums[buurt_id].update(counter)
    feedback = feedback_medians(gemeente, periode_start, periode_eind)
    report(70)
    for buurt_id, counter in verzoek_sums(gemeente, periode_start, periode_eind).items():
        sums[buurt_id].update(counter)
    besluit = besluit_medians(gemeente, periode_start, periode_eind)
    report(85)

    areas = figures.roll_up(buurten, sums, gemeente_id=gemeente.pk)
    extra = {"top": top, "feedback": feedback, "besluit": besluit}
    waarden = figures.build(areas, extra, instelling)
    now = timezone.now()
    rows = []
    for (tag, key), values in waarden.items():
        niveau = {BUURT: Niveau.BUURT, WIJK: Niveau.WIJK, GEMEENTE: Niveau.GEMEENTE}[tag]
        rows.append(
            Snapshot(
                niveau=niveau,
                gemeente=gemeente,
                wijk_id=key if tag == WIJK else None,
                buurt_id=key if tag == BUURT else None,
                periode_start=periode_start,
                periode_eind=periode_eind,
                berekend_at=now,
                waarden=values,
            )
        )
    with transaction.atomic():
        Snapshot.objects.filter(
            gemeente=gemeente, periode_start=periode_start, periode_eind=periode_eind
        ).delete()
        Snapshot.objects.bulk_create(rows)  # one statement on Postgres, whatever the size
    report(100)
    return len(rows)
