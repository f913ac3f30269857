"""Calendar quarters, the published periods (ADR 0006, "Published periods"): Q1 is January to
March, and so on. A quarter has ended when the local date (Europe/Amsterdam) is past its last
day. Published quarters do not overlap, so no two of them differ by a month."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format


def quarter_of(day: date) -> tuple[date, date]:
    """(first day, last day) of the quarter that holds ``day``."""
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return start, following - timedelta(days=1)


def last_ended(today: date | None = None) -> tuple[date, date]:
    """The latest quarter whose last day is over (local date): on 31 March still Q4 of the year
    before, on 1 April Q1."""
    today = today or timezone.localdate()
    start, _eind = quarter_of(today)
    return quarter_of(start - timedelta(days=1))


def ended_quarters(since: date, today: date | None = None) -> list[tuple[date, date]]:
    """Every ended quarter that starts on or after ``since``, oldest first."""
    quarters = []
    start, eind = last_ended(today)
    while start >= since:
        quarters.append((start, eind))
        start, eind = quarter_of(start - timedelta(days=1))
    return quarters[::-1]


def is_quarter(start: date, eind: date) -> bool:
    return quarter_of(start) == (start, eind)


def code(start: date) -> str:
    """ "2026-Q3": how files and the API name a quarter."""
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def label(start: date, eind: date) -> str:
    """ "jul-sep 2026" (with an en dash) in the active language."""
    return f"{date_format(start, 'b')}–{date_format(eind, 'b')} {eind.year}"
