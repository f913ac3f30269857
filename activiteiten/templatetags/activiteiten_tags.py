"""Dates in lists."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter(expects_localtime=True)
def short_date(value, arg="D j M"):
    """A date for lists, "za 5 dec", with the year after the month when it is not this year
    ("za 5 dec 2099"), so that a far date never passes for a near one."""
    if not value:
        return ""
    if value.year != timezone.localdate().year:
        arg = arg.replace("M", "M Y", 1)
    return date_format(value, arg)
