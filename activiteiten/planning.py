"""How far ahead residents may plan: activities and facilitation requests both use it."""

from datetime import date

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
