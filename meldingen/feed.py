"""Keyset pagination of the feed: newest high priority first, no OFFSET at any depth.

A small area is read buurt by buurt (``page``'s ``buurten``): on Postgres each buurt and
priority gives its own newest rows from the ``melding_feed_buurt`` index and the page is the
first of those merged, so a page reads rows in proportion to the page, however small the area's
share of the table (issue 15; ``bench/feed_plans.py``). A large area, a search or SQLite read
the rows in feed order from ``melding_feed`` (target first); a large area limited to a period
priority by priority (``per_priority``), each from the period's start.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, models
from django.db.models import F, Func, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import LessThan

from wijkaanpak.tijdstippen import aware_from_iso

from .models import Prioriteit

PAGE_SIZE = 25
ORDER = ("-prioriteit", "-created_at", "-pk")
# Up to this many buurten an area is read buurt by buurt: one index descent per buurt and
# priority. A wijk has 1 to 21 buurten in Amsterdam; a stadsdeel or the gemeente holds enough
# of the table that reading it in feed order finds a page at once.
PER_BUURT_MAX = 60


def _row(*expressions) -> Func:
    """A row value, ``(a, b, c)``: Postgres and SQLite both compare these element by element."""
    return Func(*expressions, template="(%(expressions)s)", output_field=models.Field())


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


def encode(melding) -> str:
    """The cursor of the page after ``melding``; ``decode`` reads it back."""
    raw = f"{melding.prioriteit}|{melding.created_at.isoformat()}|{melding.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[int, datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prioriteit, created_at, pk = raw.split("|")
        prioriteit, pk = int(prioriteit), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None
    # Only a moment the database takes: a mangled offset or year is no cursor either.
    moment = aware_from_iso(created_at)
    return None if moment is None else (prioriteit, moment, pk)


def after(queryset: QuerySet, position: tuple[int, datetime, int]) -> QuerySet:
    """Rows after a ``decode``d cursor in the feed's order."""
    prioriteit, created_at, pk = position
    # (prioriteit, created_at, id) < cursor as one row comparison: Postgres uses it as a bound
    # on the melding_feed index (all three keys descend there), so a page 1,000 rows deep reads
    # about as many index rows as page 1.
    return queryset.filter(
        LessThan(
            _row(F("prioriteit"), F("created_at"), F("pk")),
            _row(Value(prioriteit), Value(created_at), Value(pk)),
        )
    )


def page(
    queryset: QuerySet,
    size: int = PAGE_SIZE,
    *,
    buurten: Sequence[int] | None = None,
    statuses: Sequence[str] | None = None,
    per_buurt: QuerySet | None = None,
    per_priority: bool = False,
    priorities: Sequence[int] | None = None,
) -> Page:
    """The first ``size`` rows in (prioriteit desc, created_at desc, id desc) order: the rows
    after a cursor when ``queryset`` went through ``after`` (``filters.FeedFilter`` does).

    ``buurten``: the buurten of ``queryset``'s area, when they are few enough to read one by
    one (``FeedFilter.buurten_to_read``); ``statuses``: the statuses it is limited to, if any
    (``FeedFilter.statuses_to_read``), read one by one too; ``per_buurt``: ``queryset``'s
    conditions without the
    area, asked of each buurt in turn (an area's subquery repeated for every row read costs
    more than the rows); ``per_priority``: without ``buurten``, read each priority on its own
    (``FeedFilter.reads_per_priority``: a period's start bounds each priority's range, where in
    feed order a page near the end of the period's high-priority rows read every older one
    before the next priority's: 32 ms at 2M); ``priorities``: the ones to merge (every one
    if None; ``FeedFilter.priorities_to_read``). The page's own query keeps every condition of
    ``queryset``, so the list can only narrow what the page may show, never widen it."""
    ordered = queryset.order_by(*ORDER)
    if connection.vendor == "postgresql" and (buurten is not None or per_priority):
        conditions = queryset if per_buurt is None or buurten is None else per_buurt
        # The statuses one by one only with the buurten (``melding_feed`` does not hold them).
        statuses = statuses if buurten is not None else None
        keys = _merged(
            conditions, size + 1, buurten=buurten, statuses=statuses, priorities=priorities
        )
        ordered = ordered.filter(keys)
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=encode(rows[-1]) if more else None)


class _IdAmong(Func):
    """``id = ANY(ARRAY(subquery))``: the subquery runs once, and the rows are read by id."""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = models.BooleanField()


def _merged(
    queryset: QuerySet,
    size: int,
    *,
    buurten: Sequence[int] | None = None,
    statuses: Sequence[str] | None = None,
    priorities: Sequence[int] | None = None,
) -> _IdAmong:
    """Whether a row is one of the first ``size`` rows of ``queryset``, merged from the first
    ``size`` of each priority and, where they are listed, of each buurt and status, a LATERAL
    join over the lists: each is one index range (``melding_feed_buurt_status``, or
    ``melding_feed_buurt`` for every status, ``melding_feed`` without buurten) bounded by the
    cursor and a period where the filters set them, however rare the status. An array, worked
    out once, so the page's query fetches its rows by id."""
    per_list = queryset.filter(prioriteit=RawSQL('"p"."p"', ()))
    lists, sources = [], []
    if buurten is not None:
        per_list = per_list.filter(buurt_id=RawSQL('"b"."id"', ()))
        lists.append(list(buurten))
        sources.append('unnest(%s::bigint[]) AS "b"("id")')
    lists.append(list(Prioriteit.values if priorities is None else priorities))
    sources.append('unnest(%s::smallint[]) AS "p"("p")')
    if statuses is not None:
        per_list = per_list.filter(status=RawSQL('"s"."s"', ()))
        lists.append(list(statuses))
        sources.append('unnest(%s::varchar[]) AS "s"("s")')
    per_list = per_list.order_by(*ORDER).values("id", "prioriteit", "created_at")[:size]
    # Django compiled ``sql``; every value, in it and around it, is a parameter.
    sql, params = per_list.query.sql_with_params()
    merged = (
        f'SELECT "m"."id" FROM {" CROSS JOIN ".join(sources)}'  # noqa: S608
        f' CROSS JOIN LATERAL ({sql}) AS "m"'
        ' ORDER BY "m"."prioriteit" DESC, "m"."created_at" DESC, "m"."id" DESC LIMIT %s'
    )
    return _IdAmong(F("pk"), RawSQL(merged, (*lists, *params, size)))  # noqa: S611
