"""Dates in lists, and links in what residents write."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(expects_localtime=True)
def short_date(value, arg="D j b"):
    """A date for lists, "za 5 dec", with the year after the month when it is not this year
    ("za 5 dec 2099"), so that a far date never passes for a near one. The month is written
    in lower case, Dutch style ("b"; Django's "M" would capitalise it)."""
    if not value:
        return ""
    arg = arg.replace("M", "b")
    if value.year != timezone.localdate().year:
        arg = arg.replace("b", "b Y", 1)
    return date_format(value, arg)


@register.filter(is_safe=True, needs_autoescape=True)
def links(value, autoescape=True):
    """Django's ``urlize`` (everything else stays escaped), with ``noopener`` beside its
    ``nofollow``: a resident's link earns no search ranking and gets no handle on our page.
    Text cannot forge the attribute: quotes in it are escaped before links are made."""
    html = urlize(value, nofollow=True, autoescape=autoescape)
    # urlize escaped the text (as Django's own urlize filter does); we only widen its rel.
    return mark_safe(html.replace('rel="nofollow"', 'rel="nofollow noopener"'))  # noqa: S308
