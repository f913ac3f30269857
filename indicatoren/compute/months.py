"""Building ``DeelnameMaand``: the period's activity statement, per month (issue 15).

The rows are the statement's own per-resident-and-buurt sums (``activity.resident_buurt_sql``)
grouped by month as well, so that the period's computation can take whole months from here and
the rest from the participations and get what a full recomputation gets. Kept in step by
``indicatoren.deelname``."""

from datetime import datetime

from django.db import connection

from ..models import DeelnameMaand
from .activity import EVERYONE, Deel, resident_buurt_sql
from .sql import large_statement


def build_months(lo: datetime | None, hi: datetime, persons=EVERYONE) -> int:
    """Insert the rows of the months of the activities that started in [lo, hi) (lo None: any
    time before) for ``persons`` (EVERYONE or a list of ids), for every gemeente. The caller
    removes the rows being replaced first. Returns the number of rows written."""
    # A month of everyone's is a twelfth of a year: through the activity index.
    part = Deel(((lo, hi),), persons, narrow=persons is EVERYONE and lo is not None)
    pr_sql, params = resident_buurt_sql(None, [part], per_month=True)
    table = DeelnameMaand._meta.db_table
    sql = f"""
        INSERT INTO {table} (persoon_id, buurt_id, maand, keer, actief, uren_tienden)
        WITH {pr_sql}
        SELECT persoon, buurt_id, maand, keer, actief, uren FROM pr
    """  # noqa: S608 (fixed fragments and table names; values are parameters)
    # Everyone's months: the statement of a period, written for hash joins; a few residents:
    # index scans on the resident (``activity.persons_sql``), which need the planner's choice.
    with large_statement(hash_joins=persons is EVERYONE) as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount
    if connection.vendor == "postgresql" and persons is EVERYONE:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return written
