"""Working days for decision deadlines: weekends and Dutch public holidays do not count. And how
far ahead residents may plan."""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Activities and requests are planned for the coming months; a date more than a year ahead is a
# typing error (2099) far more often than a plan, and would sit in every list for years.
PLANNING_HORIZON = relativedelta(years=1)


def check_planning_horizon(day: date, *, field: str) -> None:
    """Refuse a date more than a year ahead, naming the last date that is allowed."""
    latest = timezone.localdate() + PLANNING_HORIZON
    if day > latest:
        raise ValidationError(
            {
                field: _("Dat is meer dan een jaar vooruit. Kies een datum tot en met %(datum)s.")
                % {"datum": date_format(latest, "j F Y")}
            }
        )


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (the start day itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
