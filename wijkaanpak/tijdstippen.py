"""Dates and moments read from outside (a form, a cursor, an API parameter), held to what
Python and the database can work with.

Python reads years 1 to 9999 and offsets up to ±23:59, but moving such a moment to UTC can
overflow (``0001-01-01T00:00+01:00``), and Postgres refuses offsets beyond ±15:59. A value
outside these bounds is bad input, answered like any other, never a 500.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils.translation import gettext as _

# Dates people type: a birthday or an activity is in this range; a year 1 or 9999 is a typo.
MIN_YEAR, MAX_YEAR = 1900, 2100
# The widest offset in use anywhere (Kiribati, UTC+14; the farthest west is UTC-12).
MAX_OFFSET = timedelta(hours=14)


def year_in_range(day: date) -> bool:
    """Whether a typed date (or moment) falls in the years people mean."""
    return MIN_YEAR <= day.year <= MAX_YEAR


def years_message() -> str:
    """What a form says about a date outside ``year_in_range``."""
    return _("Kies een datum tussen %(min)s en %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


def aware_from_iso(raw: str) -> datetime | None:
    """An ISO 8601 moment with a time zone, in UTC; None when it is no such moment: not ISO,
    without a zone, an offset beyond ±14:00, or outside the calendar once in UTC."""
    try:
        value = datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return None
    offset = value.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        return None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return None
