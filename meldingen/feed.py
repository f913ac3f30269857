"""Keyset pagination of the feed: newest high priority first, no OFFSET at any depth."""

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import F, Func, QuerySet, Value
from django.db.models.lookups import LessThan

PAGE_SIZE = 25


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
        return int(prioriteit), datetime.fromisoformat(created_at), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


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


def page(queryset: QuerySet, size: int = PAGE_SIZE) -> Page:
    """The first ``size`` rows in (prioriteit desc, created_at desc, id desc) order: the rows
    after a cursor when ``queryset`` went through ``after`` (``filters.FeedFilter`` does)."""
    rows = list(queryset.order_by("-prioriteit", "-created_at", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=encode(rows[-1]) if more else None)
