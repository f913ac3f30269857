"""Working days for decision deadlines: weekends and Dutch public holidays do not count."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def previous_working_day(day: date) -> date:
    """The last working day before ``day``."""
    current = day - timedelta(days=1)
    while not is_working_day(current):
        current -= timedelta(days=1)
    return current


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (the start day itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def last_day_to_decide(deadline: date, *, stilzwijgend: bool) -> date:
    """The last working day a coordinator can act on a request: under silent consent the
    working day before it is granted (at the start of its deadline,
    ``services.apply_silent_consent``); otherwise the deadline itself."""
    return previous_working_day(deadline) if stilzwijgend else deadline


def answer_too_late(deadline: date, nodig_op: date) -> bool:
    """Whether the answer may come only on or after the day the help is needed: approved by
    silent consent at the start of its deadline, or decided by its end, it is too late then
    either way. A warning for the resident and the coordinator, never a refusal."""
    return deadline >= nodig_op
