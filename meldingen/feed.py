"""Keyset pagination of the feed: newest high priority first, no OFFSET at any depth."""

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

PAGE_SIZE = 25


@dataclass(frozen=True)
class Page:
    rows: list
    next_cursor: str | None


def encode(melding) -> str:
    raw = f"{melding.prioriteit}|{melding.created_at.isoformat()}|{melding.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[int, datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prioriteit, created_at, pk = raw.split("|")
        return int(prioriteit), datetime.fromisoformat(created_at), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def page(queryset: QuerySet, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """Rows after ``cursor`` in (prioriteit desc, created_at desc, id desc) order.

    An unreadable cursor starts at the top rather than failing.
    """
    position = decode(cursor) if cursor else None
    if position:
        prioriteit, created_at, pk = position
        queryset = queryset.filter(
            Q(prioriteit__lt=prioriteit)
            | Q(prioriteit=prioriteit, created_at__lt=created_at)
            | Q(prioriteit=prioriteit, created_at=created_at, pk__lt=pk)
        )
    rows = list(queryset.order_by("-prioriteit", "-created_at", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=encode(rows[-1]) if more else None)
