"""The participation figures of a period, from counts per area (issue 15, ADR 0006).

Every participation figure of an area follows from how many residents counted there with each
combination of age band, repeater, active core and volunteer hours (in tenths): participants,
repeaters, active core, hours, volunteers and age bands are sums over those counts, and the
top-10% share of hours is the sum of the highest hours among the volunteers, read from the
counts per number of hours. One statement makes the counts for a period (``period_counts``);
the nightly maintenance keeps them for the live period, with each resident's part
(``DeelnameKubus``, ``DeelnamePeriode``), and a computation of a window close to theirs takes
the kept counts and reads again only the residents whose part may differ: those marked as
changed, and those with an activity between the two windows' starts or ends."""

from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit
from buurten.models import Gemeente

from ..figures import BUURT, GEMEENTE, WIJK
from ..models import (
    DeelnameGewijzigd,
    DeelnameKubus,
    DeelnamePeriode,
    DeelnamePeriodeStand,
)
from ..services import default_periode
from .activity import LEEFTIJDSGROEPEN, Deel, period_sql, persons_sql, resident_buurt_sql
from .sql import bounds, fetch_large, large_statement

# (level, area, age band, repeater, active core, hours in tenths): one combination.
KEY = ("niveau", "gebied", "leeftijdsgroep", "herhaler", "kern", "uren_tienden")
NAMES = (
    "deelnemers",
    "herhalers",
    "kern",
    "uren",
    "vrijwilligers",
    *(f"l_{band}" for band in LEEFTIJDSGROEPEN),
)
# Windows further apart than this (both ends together) are computed by the full statement:
# reading again everyone with an activity in between would cost more than it saves.
CLOSE = timedelta(days=14)


def _levels_sql(gemeente: Gemeente) -> str:
    """Common table expressions after ``pr``: per resident and area, ``fl``, the combination
    the resident counts in: per buurt (of the membership on the day of each activity), per
    wijk and for the gemeente over distinct residents (a resident who moved within the wijk is
    one participant of the wijk, with all their activities in it)."""
    user = Aanmelding._meta.get_field("user").related_model._meta.db_table
    return f"""
        pb AS (
            -- The age band joined once per resident and buurt, after grouping.
            SELECT pr.*, COALESCE(usr.leeftijdsgroep, '') AS leeftijdsgroep
            FROM pr JOIN {user} usr ON usr.id = pr.persoon
        ),
        pw AS (
            -- Per resident and wijk: activities on different days are in one buurt each, so
            -- they add up; "two different months" is first month <> last month.
            SELECT persoon, wijk_id, leeftijdsgroep, SUM(keer) AS keer, MIN(m1) AS m1,
                   MAX(m2) AS m2, MAX(actief) AS actief, SUM(uren) AS uren
            FROM pb GROUP BY persoon, wijk_id, leeftijdsgroep
        ),
        pg AS (
            SELECT persoon, leeftijdsgroep, SUM(keer) AS keer, MIN(m1) AS m1,
                   MAX(m2) AS m2, MAX(actief) AS actief, SUM(uren) AS uren
            FROM pw GROUP BY persoon, leeftijdsgroep
        ),
        lv AS (
            SELECT persoon, '{BUURT}' AS niveau, buurt_id AS gebied, leeftijdsgroep, keer, m1,
                   m2, actief, uren FROM pb
            UNION ALL SELECT persoon, '{WIJK}', wijk_id, leeftijdsgroep, keer, m1, m2, actief,
                   uren FROM pw
            UNION ALL SELECT persoon, '{GEMEENTE}', {int(gemeente.pk)}, leeftijdsgroep, keer,
                   m1, m2, actief, uren FROM pg
        ),
        fl AS (
            SELECT persoon, niveau, gebied, leeftijdsgroep,
                   CASE WHEN keer >= 2 THEN 1 ELSE 0 END AS herhaler,
                   CASE WHEN actief = 1 OR (keer >= 3 AND m1 <> m2) THEN 1 ELSE 0 END AS kern,
                   CAST(uren AS integer) AS uren_tienden
            FROM lv
        )"""  # noqa: S608 (fixed fragments and table names)


def _counts_of(source: str) -> str:
    columns = ", ".join(KEY)
    return f"SELECT {columns}, COUNT(*) AS aantal FROM {source} GROUP BY {columns}"  # noqa: S608


def period_counts(gemeente: Gemeente, start: date, eind: date, *, months: bool = True):
    """The counts per area and combination for the period, as rows (``KEY`` and the count):
    from the kept counts when the live period's are close, else from one statement that takes
    the whole months ``DeelnameMaand`` holds (not with ``months=False``: the full
    recomputation, which the others must equal)."""
    now = timezone.now()
    lo, hi = bounds(start, eind)
    cut = min(hi, now)
    if months:
        kept = _kept_counts(gemeente, lo, cut)
        if kept is not None:
            return kept
        pr_sql, params = period_sql(gemeente, start, eind, now)
    else:
        pr_sql, params = resident_buurt_sql(gemeente, [Deel(((lo, cut),))])
    sql = f"WITH {pr_sql}, {_levels_sql(gemeente)} {_counts_of('fl')}"
    return fetch_large(sql, params, hash_joins=True)


def figures_of(rows):
    """({buurt_id: sums}, {(level, id): (top-10% hours, volunteers)}, {(level, id): sums} for
    the wijken and the gemeente) from the counts."""
    totals: dict[tuple, Counter] = defaultdict(Counter)
    hours: dict[tuple, Counter] = defaultdict(Counter)
    for niveau, gebied, band, herhaler, kern, tienden, aantal in rows:
        where = (niveau, gebied)
        counter = totals[where]
        counter["deelnemers"] += aantal
        counter["herhalers"] += aantal * int(herhaler)
        counter["kern"] += aantal * int(kern)
        counter["uren"] += aantal * tienden
        if tienden > 0:
            counter["vrijwilligers"] += aantal
            hours[where][tienden] += aantal
        if band in LEEFTIJDSGROEPEN:
            counter[f"l_{band}"] += aantal
    sums, top, levels = {}, {}, {}
    for where, counter in totals.items():
        counter = Counter({name: counter[name] for name in NAMES})
        # Summed in tenths: exact, whatever the order.
        counter["uren"] = counter["uren"] / 10
        volunteers = counter["vrijwilligers"]
        # The hours of the top tenth of the volunteers (rounded up): the highest first.
        left, top_tienden = (volunteers + 9) // 10, 0
        for tienden in sorted(hours[where], reverse=True):
            taken = min(left, hours[where][tienden])
            top_tienden += taken * tienden
            left -= taken
            if not left:
                break
        top[where] = (top_tienden / 10, volunteers)
        if where[0] == BUURT:
            sums[where[1]] = counter
        else:
            levels[where] = counter
    return sums, top, levels


def activity_sums(gemeente: Gemeente, start: date, eind: date, *, months: bool = True):
    """Participants, repeaters, active core, volunteer hours and volunteers, participants per age
    band, and the top-10% hour share: per buurt (of the membership on the day of the activity),
    and per wijk and for the gemeente counted over distinct residents; plus, per buurt of the
    activity, the headcounts of neighbours without an account. Returns ({buurt_id: sums},
    {(level, id): top}, {(level, id): sums} for the wijken and the gemeente, which replace the
    sums of their buurten for these counts)."""
    sums, top, levels = figures_of(period_counts(gemeente, start, eind, months=months))
    for buurt_id, count in zonder_account(gemeente, start, eind).items():
        sums.setdefault(buurt_id, Counter())["zonder_account"] = count
    return sums, top, levels


def zonder_account(gemeente: Gemeente, start: date, eind: date) -> dict[int, int]:
    """Per buurt where the activities took place: the organisers' headcounts of neighbours who
    came without an account (``Activiteit.extra_bezoekers``, filled in after the activity; 0
    when not filled in). Visits, not people: who came twice counts twice. Never part of the
    figures about residents."""
    lo, hi = bounds(start, eind)
    rows = (
        Activiteit.objects.filter(
            buurt__wijk__gemeente=gemeente,
            start__gte=lo,
            start__lt=min(hi, timezone.now()),
            geannuleerd_at__isnull=True,
            extra_bezoekers__gt=0,
        )
        .values("buurt_id")
        .annotate(n=Sum("extra_bezoekers"))
        .order_by()
    )
    return {row["buurt_id"]: row["n"] for row in rows}


# --- The kept counts of the live period ----------------------------------------------------------
def _between(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> list[tuple]:
    """The stretches of time in one window and not in the other: between the starts and
    between the ends."""
    return [(min(x, y), max(x, y)) for x, y in ((a[0], b[0]), (a[1], b[1])) if x != y]


def _close(stretches: list[tuple]) -> bool:
    return sum((end - begin for begin, end in stretches), timedelta()) <= CLOSE


def _kept(gemeente: Gemeente) -> Counter:
    rows = DeelnameKubus.objects.filter(gemeente=gemeente).values_list(*KEY, "aantal")
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def _changed(stretches: list[tuple]) -> list[int]:
    """The residents whose part may differ between two windows: marked as changed, or with an
    activity (taken part in, in any state, or organised) starting in one of the stretches."""
    ids = set(DeelnameGewijzigd.objects.values_list("persoon_id", flat=True))
    for lo, hi in stretches:
        activities = Activiteit.objects.filter(start__gte=lo, start__lt=hi)
        ids.update(activities.values_list("organisator_id", flat=True))
        ids.update(
            Aanmelding.objects.filter(activiteit__in=activities).values_list("user_id", flat=True)
        )
    return sorted(ids)


@contextmanager
def _one_snapshot():
    """A transaction in which every statement sees the same data: on Postgres, when this is
    the outermost transaction, repeatable read (the marks, the kept counts and the
    participations read together). Inside a caller's transaction the caller decides."""
    outermost = not connection.in_atomic_block
    with transaction.atomic(savepoint=False):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _kept_counts(gemeente: Gemeente, lo: datetime, cut: datetime):
    """The counts of the window [lo, cut) from the kept counts, or None when none are kept
    for the gemeente or their window is not close to this one."""
    with _one_snapshot():
        stand = DeelnamePeriodeStand.objects.filter(gemeente=gemeente).first()
        if stand is None:
            return None
        stretches = _between((stand.van, stand.tot), (lo, cut))
        if not _close(stretches):
            return None
        persons = _changed(stretches)
        counts = _kept(gemeente)
        if persons:
            counts.subtract(_parts_kept(gemeente, persons))
            counts.update(_parts_now(gemeente, lo, cut, persons))
        return [(*key, n) for key, n in counts.items() if n]


def _parts_kept(gemeente: Gemeente, persons: list[int] | None = None) -> Counter:
    """The combinations the kept parts of ``persons`` (None: everyone) count in, with how
    many. The residents as a hashed ``IN``: as ``= ANY`` a sequential scan compares every row
    with every resident."""
    only, params = ("1 = 1", ()) if persons is None else persons_sql("persoon_id", persons)
    table = DeelnamePeriode._meta.db_table
    sql = _counts_of(f"(SELECT * FROM {table} WHERE gemeente_id = %s AND {only}) p")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, (gemeente.pk, *params))
        return Counter({tuple(row[:-1]): row[-1] for row in cursor.fetchall()})


def _parts_now_sql(gemeente: Gemeente, lo: datetime, cut: datetime, persons: list[int]):
    pr_sql, params = resident_buurt_sql(gemeente, [Deel(((lo, cut),), persons)])
    return f"WITH {pr_sql}, {_levels_sql(gemeente)}", params


def _parts_now(gemeente: Gemeente, lo: datetime, cut: datetime, persons: list[int]) -> Counter:
    """The combinations ``persons`` count in now, from their participations themselves."""
    with_sql, params = _parts_now_sql(gemeente, lo, cut, persons)
    with large_statement() as cursor:
        cursor.execute(f"{with_sql} {_counts_of('fl')}", params)
        return Counter({tuple(row[:-1]): row[-1] for row in cursor.fetchall()})


def keep_live_period(gemeente: Gemeente, now: datetime) -> dict[str, int]:
    """The nightly maintenance of the kept counts of the live period up to ``now`` (the last
    12 months, ``default_periode``): the parts of the residents whose part may have changed
    read again and the counts corrected, or, the first time or after a long pause, everything
    built again. In the caller's transaction, before the marks are removed."""
    lo, _hi = bounds(*default_periode(timezone.localtime(now).date()))
    stand = DeelnamePeriodeStand.objects.select_for_update().filter(gemeente=gemeente).first()
    if stand is not None:
        stretches = _between((stand.van, stand.tot), (lo, now))
        if _close(stretches):
            persons = _changed(stretches)
            _replace_parts(gemeente, lo, now, persons)
            stand.van, stand.tot, stand.bijgewerkt_at = lo, now, now
            stand.save()
            return {"bewoners": len(persons)}
    return {"bewoners": _build_live_period(gemeente, lo, now, stand)}


def _replace_parts(gemeente: Gemeente, lo: datetime, now: datetime, persons: list[int]) -> None:
    if not persons:
        return
    counts = _kept(gemeente)
    counts.subtract(_parts_kept(gemeente, persons))
    for begin in range(0, len(persons), 10_000):
        chunk = persons[begin : begin + 10_000]
        DeelnamePeriode.objects.filter(gemeente=gemeente, persoon_id__in=chunk).delete()
    with_sql, params = _parts_now_sql(gemeente, lo, now, persons)
    _insert_parts(gemeente, with_sql, params)
    counts.update(_parts_kept(gemeente, persons))
    _write_counts(gemeente, counts)


def _insert_parts(gemeente: Gemeente, with_sql: str, params, *, hash_joins: bool = False):
    table = DeelnamePeriode._meta.db_table
    columns = ", ".join(("persoon_id", *KEY))
    sql = f"""INSERT INTO {table} (gemeente_id, {columns})
        {with_sql} SELECT %s, persoon, {", ".join(KEY[:-1])}, uren_tienden FROM fl"""  # noqa: S608
    with large_statement(hash_joins=hash_joins) as cursor:
        cursor.execute(sql, (*params, gemeente.pk))


def _write_counts(gemeente: Gemeente, counts: Counter) -> None:
    DeelnameKubus.objects.filter(gemeente=gemeente).delete()
    DeelnameKubus.objects.bulk_create(
        DeelnameKubus(gemeente=gemeente, aantal=n, **dict(zip(KEY, key, strict=True)))
        for key, n in counts.items()
        if n
    )


def _build_live_period(gemeente: Gemeente, lo: datetime, now: datetime, stand) -> int:
    """Every resident's part of the live period and the counts, from scratch."""
    DeelnamePeriode.objects.filter(gemeente=gemeente).delete()
    start, eind = default_periode(timezone.localtime(now).date())
    pr_sql, params = period_sql(gemeente, start, eind, now)
    _insert_parts(gemeente, f"WITH {pr_sql}, {_levels_sql(gemeente)}", params, hash_joins=True)
    _write_counts(gemeente, _parts_kept(gemeente))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DeelnamePeriode._meta.db_table}")
    stand = stand or DeelnamePeriodeStand(gemeente=gemeente)
    stand.van, stand.tot, stand.bijgewerkt_at = lo, now, now
    stand.save()
    return DeelnamePeriode.objects.filter(gemeente=gemeente, niveau=GEMEENTE).count()
