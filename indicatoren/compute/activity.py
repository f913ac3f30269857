"""The participations as SQL: one row per resident and activity (taken part or organised),
counted in the buurt where the resident was a verified member on the day of the activity (the
latest change of their memberships up to the end of that day, as intervals); then per resident
and buurt, for a period from the month aggregates and the participations around them.
``participation`` turns these into the figures (ADR 0006, "Who counts where")."""

import json
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncDate
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit
from buurten.models import Buurt, Gemeente, Lidmaatschap, LidmaatschapHistorie, Wijk

from ..models import DeelnameGewijzigd, DeelnameMaand, DeelnameMaandStand
from .sql import bounds

LEEFTIJDSGROEPEN = ("15_25", "25_45", "45_65", "65_plus")
LID, BEEINDIGD, AFGEWEZEN = (
    Lidmaatschap.Status.LID,
    Lidmaatschap.Status.BEEINDIGD,
    Lidmaatschap.Status.AFGEWEZEN,
)
EVENT = (
    "lid",
    "persoon",
    "in_buurt",
    "in_wijk",
    "in_gemeente",
    "moment",
    "dag",
    "wordt",
    "volgorde",
)


class Chosen(NamedTuple):
    """Residents chosen by a subquery: ``sql`` selects one column of ids, with ``params``."""

    sql: str
    params: tuple = ()


# Whose participations a part of the statement reads: everyone, the residents marked as changed
# since their months were built (``DeelnameGewijzigd``), or a list of ids.
EVERYONE = None
MARKED = Chosen(f"SELECT persoon_id FROM {DeelnameGewijzigd._meta.db_table}")  # noqa: S608


def month_number(day: date) -> int:
    """A month as one number (year * 12 + month - 1), as ``DeelnameMaand.maand`` stores it."""
    return day.year * 12 + day.month - 1


def month_start(number: int) -> datetime:
    """The start of a month (local midnight on its first day) as an aware datetime."""
    first = date(number // 12, number % 12 + 1, 1)
    return datetime.combine(first, time.min, tzinfo=timezone.get_current_timezone())


def persons_sql(column: str, persons, *, index: bool = False) -> tuple[str, tuple]:
    """SQL saying that ``column`` is one of ``persons`` (a ``Chosen`` subquery such as MARKED,
    or a list of ids). On Postgres with ``index`` as ``= ANY(array)``: an index scan on the
    resident, also with nested loops switched off; else as ``IN`` a subquery, which Postgres
    hashes (``= ANY`` as a filter compares every row with every element: 28,000 marks times
    millions of rows)."""
    postgres = connection.vendor == "postgresql"
    if isinstance(persons, Chosen):
        if postgres and index:
            return f"{column} = ANY(ARRAY({persons.sql}))", persons.params
        return f"{column} IN ({persons.sql})", persons.params
    if postgres:
        if index:
            return f"{column} = ANY(%s)", (list(persons),)
        return f"{column} IN (SELECT unnest(CAST(%s AS bigint[])))", (list(persons),)
    ids = (json.dumps(list(persons)),)
    return f"{column} IN (SELECT value FROM json_each(%s))", ids  # noqa: S608 (fixed fragments)


class Deel(NamedTuple):
    """A part of the participations a statement reads: the activities that started in one of
    ``ranges`` ([from, to); from None: any time before), of ``persons`` (EVERYONE, MARKED or a
    list of ids). ``narrow``: a small share of the activities (a few weeks), whose sign-ups
    Postgres then finds through the activity index instead of reading them all."""

    ranges: tuple
    persons: object = EVERYONE
    narrow: bool = False


def _activity_rows_sql(parts: list[Deel]):
    """A common table expression ``rij``: one row per (resident, activity) taken part in or
    organised, with the activity's day and month (local time; the month as ``month_number``)
    and the volunteer hours in tenths (integers add up exactly in any order), of ``parts``.
    Day and month are computed once per activity, not once per sign-up: at ten million
    sign-ups the time-zone conversions alone took seconds (issue 15)."""
    # A fence, so that the planner neither merges the subquery into the join (and converts
    # per sign-up again) nor loses the statistics of the activity's id (as for a materialized
    # common table expression: it then hashed the ten million sign-ups instead).
    fence = "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"
    selects, params = [], []
    for ranges, persons, narrow in parts:
        in_range = None
        for lo, hi in ranges:
            one = Q(start__lt=hi) & (Q() if lo is None else Q(start__gte=lo))
            in_range = one if in_range is None else in_range | one
        activities = (
            Activiteit.objects.filter(in_range, geannuleerd_at__isnull=True)
            .annotate(
                maand=ExtractYear("start") * 12 + ExtractMonth("start") - 1, dag=TruncDate("start")
            )
            .values("id", "organisator_id", "maand", "dag")
            .order_by()
        )
        act_sql, act_params = activities.query.sql_with_params()
        # Twice as a subquery, not once as a common table expression: one referenced twice is
        # materialized, without statistics. The organiser who also signed up: the organised
        # row is the same activity again (``dubbel`` on the sign-up; subtracted in ``pr``).
        act = f"(SELECT * FROM ({act_sql}) activiteit {fence}) act"  # noqa: S608 (as below)
        who, who_params = (
            ("1 = 1", ()) if persons is EVERYONE else persons_sql("a.user_id", persons, index=True)
        )
        if narrow and connection.vendor == "postgresql":
            # An index scan (bitmap) without a nested loop, which the statement switches off.
            who = f"{who} AND a.activiteit_id = ANY(ARRAY(SELECT id FROM ({act_sql}) n))"  # noqa: S608
            who_params = (*who_params, *act_params)
        org, org_params = (
            ("1 = 1", ()) if persons is EVERYONE else persons_sql("act.organisator_id", persons)
        )
        selects += [
            f"""SELECT a.user_id AS persoon, a.activiteit_id AS act, act.maand, act.dag,
                   CASE WHEN a.rol_id IS NOT NULL THEN 1 ELSE 0 END AS actief,
                   CAST(ROUND(COALESCE(a.uren, 0) * 10) AS integer) AS u,
                   CASE WHEN a.user_id = act.organisator_id THEN 1 ELSE 0 END AS dubbel
            FROM {Aanmelding._meta.db_table} a JOIN {act} ON act.id = a.activiteit_id
            WHERE a.status = %s AND (a.aanwezig IS NULL OR a.aanwezig) AND {who}""",  # noqa: S608 (fixed fragments and table names; values are parameters)
            f"SELECT organisator_id, id, maand, dag, 1, 0, 0 FROM {act} WHERE {org}",  # noqa: S608
        ]
        params += [*act_params, Aanmelding.Status.AANGEMELD, *who_params]
        params += [*act_params, *org_params]
    return "rij AS (" + " UNION ALL ".join(selects) + ")", tuple(params)


def _membership_events_sql(gemeente: Gemeente | None):
    """Every change of state of the memberships of the gemeente's buurten (``None``: of every
    buurt), with its day (local time): the history, plus, for memberships older than the
    history (buurten migration 0006), the becoming a member and the ending that the history
    does not hold, from the membership's own dates. An ORM union, compiled."""
    in_gemeente = Q() if gemeente is None else Q(lidmaatschap__buurt__wijk__gemeente=gemeente)
    own = Q() if gemeente is None else Q(buurt__wijk__gemeente=gemeente)
    history = (
        LidmaatschapHistorie.objects.filter(in_gemeente)
        .annotate(
            lid=F("lidmaatschap_id"),
            persoon=F("lidmaatschap__user_id"),
            in_buurt=F("lidmaatschap__buurt_id"),
            in_wijk=F("lidmaatschap__buurt__wijk_id"),
            in_gemeente=F("lidmaatschap__buurt__wijk__gemeente_id"),
            moment=F("created_at"),
            dag=TruncDate("created_at"),
            wordt=F("naar"),
            volgorde=F("pk"),
        )
        .values(*EVENT)
        .order_by()
    )

    def without_history(naar, moment, *statuses):
        recorded = LidmaatschapHistorie.objects.filter(lidmaatschap=OuterRef("pk"), naar=naar)
        return (
            Lidmaatschap.objects.filter(own, status__in=statuses)
            .exclude(Exists(recorded))
            .annotate(
                lid=F("pk"),
                persoon=F("user_id"),
                in_buurt=F("buurt_id"),
                in_wijk=F("buurt__wijk_id"),
                in_gemeente=F("buurt__wijk__gemeente_id"),
                moment=moment,
                dag=TruncDate(moment),
                wordt=Value(naar),
                volgorde=Value(0),
            )
            .values(*EVENT)
            .order_by()
        )

    # Verified: ``decided_at`` while still a member (an ending overwrites it), else the welcome
    # e-mail (queued on verification), else the aanvraag itself.
    became = Case(
        When(status=LID, then=Coalesce("decided_at", "welcome_sent_at", "created_at")),
        default=Coalesce("welcome_sent_at", "created_at"),
    )
    ended = Coalesce("decided_at", "created_at")
    return history.union(
        without_history(LID, became, LID, BEEINDIGD),
        without_history(BEEINDIGD, ended, BEEINDIGD),
        all=True,
    ).query.sql_with_params()


def resident_buurt_sql(
    gemeente: Gemeente | None, parts, *, per_month: bool = False, name: str = "pr"
):
    """Common table expressions ending in ``name``: per resident and buurt of the membership on
    the day of the activity (``per_month``: and month), the activities (``keer``), first and
    last month, whether active and the hours in tenths, of the rows of ``parts`` (see
    ``_activity_rows_sql``). Shared by the period's statement and the building of
    ``DeelnameMaand``, so that both count alike. With parts for listed residents only, only
    their membership changes are read."""
    rows_sql, rows_params = _activity_rows_sql(parts)
    events_sql, events_params = _membership_events_sql(gemeente)
    # Parts of listed residents only: only their membership changes are read (as
    # ``= ANY(array)``, which Postgres pushes into each branch of the union).
    listed = [part.persons for part in parts if isinstance(part.persons, list | tuple)]
    if listed and len(listed) == len(parts):
        whose, whose_params = persons_sql(
            "e.persoon", sorted({p for ids in listed for p in ids}), index=True
        )
        events_sql = f"SELECT * FROM ({events_sql}) e WHERE {whose}"  # noqa: S608
        events_params = (*events_params, *whose_params)
    month = ", rij.maand" if per_month else ""
    sql = f"""
        {rows_sql},
        ev AS ({events_sql}),
        st AS (
            -- Each change of a membership, and whether it makes its holder a verified member
            -- who counts: became one, and not undone after vouching (then it never counts).
            SELECT persoon, dag, moment, volgorde, in_buurt, in_wijk, in_gemeente,
                   CASE WHEN wordt = %s AND COALESCE(LEAD(wordt) OVER (
                       PARTITION BY lid ORDER BY moment, volgorde), '') <> %s
                   THEN 1 ELSE 0 END AS telt
            FROM ev
        ),
        iv AS (
            -- A resident holds one membership at a time, so the latest change of any of their
            -- memberships up to the end of a day says where they lived that day: each change
            -- holds from its day until the day of the next one (of two on one day, the later).
            -- Per gemeente, as each gemeente's statement reads only its own memberships: the
            -- months of every gemeente, built in one statement, then agree with each of them.
            SELECT persoon, in_buurt, in_wijk, telt, dag AS van, LEAD(dag) OVER (
                PARTITION BY persoon, in_gemeente ORDER BY dag, moment, telt, volgorde) AS tot
            FROM st
        ),
        {name} AS (
            -- Per resident and buurt. Every activity is one row, except the one an organiser
            -- also signed up for (``dubbel``): so no distinct count, and the grouping needs no
            -- sort.
            SELECT rij.persoon, iv.in_buurt AS buurt_id, iv.in_wijk AS wijk_id{month},
                   COUNT(*) - SUM(rij.dubbel) AS keer, MIN(rij.maand) AS m1,
                   MAX(rij.maand) AS m2, MAX(rij.actief) AS actief, SUM(rij.u) AS uren
            FROM rij JOIN iv ON iv.persoon = rij.persoon AND iv.telt = 1
                AND iv.van <= rij.dag AND (iv.tot IS NULL OR rij.dag < iv.tot)
            GROUP BY rij.persoon, iv.in_buurt, iv.in_wijk{month}
        )"""  # noqa: S608 (fixed fragments and table names; values are parameters)
    return sql, (*rows_params, *events_params, LID, AFGEWEZEN)


def held_months(start: date, eind: date, now: datetime) -> tuple[int, int] | None:
    """The months [first, last) of the period that ``DeelnameMaand`` holds: whole months within
    the period, before the stand's ``tot`` and ended by ``now``. None when there are none."""
    stand = DeelnameMaandStand.objects.first()
    if stand is None:
        return None
    first = month_number(start) + (start.day != 1)
    last = month_number(eind + timedelta(days=1))  # the month after the last whole one
    last = min(last, stand.tot, month_number(timezone.localtime(now).date()))
    return (first, last) if first < last else None


def period_sql(gemeente: Gemeente, start: date, eind: date, now: datetime):
    """``pr`` for the period up to ``now``: from ``DeelnameMaand`` for the months it holds,
    except for the residents marked as changed, and from the participations themselves for the
    rest (the days before and after those months, and every day of the marked residents)."""
    lo, hi = bounds(start, eind)
    hi = min(hi, now)
    held = held_months(start, eind, now)
    if held is None:
        return resident_buurt_sql(gemeente, [Deel(((lo, hi),))])
    held_lo, held_hi = month_start(held[0]), month_start(held[1])
    parts = [
        Deel(((lo, held_lo), (held_hi, hi)), EVERYONE, narrow=True),
        Deel(((held_lo, held_hi),), MARKED),
    ]
    raw_sql, raw_params = resident_buurt_sql(gemeente, parts, name="pm")
    marked, marked_params = persons_sql("dm.persoon_id", MARKED)
    sql = f"""{raw_sql},
        pr AS (
            SELECT persoon, buurt_id, wijk_id, SUM(keer) AS keer, MIN(m1) AS m1,
                   MAX(m2) AS m2, MAX(actief) AS actief, SUM(uren) AS uren
            FROM (
                SELECT * FROM pm
                UNION ALL
                SELECT dm.persoon_id, dm.buurt_id, b.wijk_id, dm.keer, dm.maand, dm.maand,
                       dm.actief, dm.uren_tienden
                FROM {DeelnameMaand._meta.db_table} dm
                JOIN {Buurt._meta.db_table} b ON b.id = dm.buurt_id
                JOIN {Wijk._meta.db_table} w ON w.id = b.wijk_id
                WHERE w.gemeente_id = %s AND dm.maand >= %s AND dm.maand < %s
                    AND NOT ({marked})
            ) x
            GROUP BY persoon, buurt_id, wijk_id
        )"""  # noqa: S608 (fixed fragments and table names; values are parameters)
    return sql, (*raw_params, gemeente.pk, *held, *marked_params)
