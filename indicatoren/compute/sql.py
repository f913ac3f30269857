"""Shared by the computations: the period as bounds, hand-written SQL and medians per level."""

from datetime import date, datetime, time, timedelta

from django.db import connection
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


def between(later: str, earlier: str, unit_seconds: int) -> str:
    """SQL for the time between two timestamp columns in hours or days (vendor-specific)."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / {unit_seconds}"
    return f"(julianday({later}) - julianday({earlier})) * 86400.0 / {unit_seconds}"


def medians(values_sql: str, params) -> dict:
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
        for tag, key, median, count in fetch(sql, params)
        if median is not None
    }


def keyed(medians: dict, gemeente_id: int) -> dict:
    return {
        (tag, gemeente_id if tag == GEMEENTE else key): value
        for (tag, key), value in medians.items()
    }
