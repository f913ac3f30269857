"""Shared by the computations: the period as bounds, hand-written SQL and medians per level."""

from contextlib import contextmanager, suppress
from datetime import date, datetime, time, timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

from ..figures import BUURT, GEMEENTE, WIJK


def bounds(start: date, eind: date) -> tuple[datetime, datetime]:
    """The period as aware datetimes: from the start of ``start`` to the end of ``eind``."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(eind + timedelta(days=1), time.min, tzinfo=tz),
    )


def raw_bounds(start: date, eind: date) -> tuple:
    """The period bounds as parameters for hand-written SQL (SQLite stores UTC text)."""
    return tuple(connection.ops.adapt_datetimefield_value(dt) for dt in bounds(start, eind))


def fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The computation is a nightly batch job whose statements read every row of the year (ten million
# sign-ups at ten times Amsterdam's demo data, issue 15): enough memory for their sorts, joins and
# groupings to stay in memory, for these statements only, not for the server's other work.
LARGE_WORK_MEM = "256MB"


@contextmanager
def large_statement(*, hash_joins: bool = False):
    """A cursor for statements over a whole year's rows: on Postgres with more working memory,
    and with ``hash_joins`` with hash joins only. The activity statement is written for hash
    joins on the resident; the planner's row estimates after its windows and unions are off by
    orders of magnitude, and it chose a nested loop over every pair of rows (minutes, on tables
    without statistics) or a merge join that sorts ten million sign-ups. Set for the session
    and set back afterwards: two statements, whether or not a transaction is open (a
    transaction that fails takes the change back with it)."""
    settings = {"work_mem": LARGE_WORK_MEM}
    if hash_joins:
        settings |= {"enable_nestloop": "off", "enable_mergejoin": "off"}
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            yield cursor
            return
        # The current values first: Postgres evaluates a select list from left to right.
        cursor.execute(_set_config(settings, previous=True), _config_params(settings, True))
        before = dict(zip(settings, cursor.fetchone()[: len(settings)], strict=True))
        try:
            yield cursor
        except Exception:
            # In a failed transaction setting back fails too, and the rollback takes the
            # change back: the statement's own error is the one to raise.
            with suppress(DatabaseError):
                cursor.execute(_set_config(before), _config_params(before))
            raise
        cursor.execute(_set_config(before), _config_params(before))


def _set_config(settings: dict, *, previous: bool = False) -> str:
    current = ["current_setting(%s)" for _ in settings] if previous else []
    return "SELECT " + ", ".join([*current, *("set_config(%s, %s, false)" for _ in settings)])


def _config_params(settings: dict, previous: bool = False) -> list:
    return [*(settings if previous else ()), *(x for pair in settings.items() for x in pair)]


def fetch_large(sql: str, params, *, hash_joins: bool = False) -> list[tuple]:
    """``fetch`` in a ``large_statement``."""
    with large_statement(hash_joins=hash_joins) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def between(later: str, earlier: str, unit_seconds: int) -> str:
    """SQL for the time between two timestamp columns in hours or days (vendor-specific)."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / {unit_seconds}"
    return f"(julianday({later}) - julianday({earlier})) * 86400.0 / {unit_seconds}"


def medians(values_sql: str, params) -> dict:
    """{(level, id): (median, n)} from a query yielding (buurt_id, wijk_id, x), x never NULL:
    the middle value, or the mean of the two middle ones. On Postgres with ordered-set
    aggregates over grouping sets (``_medians_postgres``), elsewhere with window functions
    (``_medians_windows``); a test on Postgres compares both."""
    if connection.vendor == "postgresql":
        sql = _medians_postgres(values_sql)
    else:
        sql = _medians_windows(values_sql)
    return {
        (tag, key): (float(median), count)
        for tag, key, median, count in fetch(sql, params)
        if median is not None
    }


def _medians_postgres(values_sql: str) -> str:
    """Each level's median from the value at the middle counted from below and from above (the
    same value when n is odd), in the values' own type: exactly the mean the windows take, in
    one sort per level and group instead of six over every row (at ten times the demo data, 375,000
    meldingen with feedback: 3.2 s with the windows, issue 15)."""
    middle = (
        "(percentile_disc(0.5) WITHIN GROUP (ORDER BY x)"
        " + percentile_disc(0.5) WITHIN GROUP (ORDER BY x DESC)) / 2"
    )
    # GROUPING(buurt_id, wijk_id): 0 per buurt, 2 per wijk (the buurt left out), 3 overall.
    return f"""
        WITH f AS ({values_sql})
        SELECT CASE GROUPING(buurt_id, wijk_id) WHEN 0 THEN '{BUURT}' WHEN 2 THEN '{WIJK}'
                   ELSE '{GEMEENTE}' END,
               CASE GROUPING(buurt_id, wijk_id) WHEN 0 THEN buurt_id WHEN 2 THEN wijk_id
                   ELSE 0 END,
               {middle}, COUNT(*)
        FROM f GROUP BY GROUPING SETS ((buurt_id, wijk_id), (wijk_id), ())
    """  # noqa: S608 (fixed fragments; values are parameters)


def _medians_windows(values_sql: str) -> str:
    """The medians with window functions, which SQLite has too."""

    def level(tag, key, rank, size):
        return (
            f"SELECT '{tag}', {key}, AVG(x), MAX({size}) FROM r "  # noqa: S608 (fixed fragments and table names; values are parameters)
            f"WHERE {rank} IN (({size} + 1) / 2, ({size} + 2) / 2)"
            + ("" if key == "0" else f" GROUP BY {key}")
        )

    return f"""
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


def keyed(medians: dict, gemeente_id: int) -> dict:
    return {
        (tag, gemeente_id if tag == GEMEENTE else key): value
        for (tag, key), value in medians.items()
    }
