"""The base map's settings on a map element: ``<div data-kaart {% kaart_tegels %}>``."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def kaart_tegels():
    """The tile URL and its attribution, when a base map is configured (nothing otherwise: the
    map then draws the buurt shapes alone, and the CSP allows no tile host)."""
    if not settings.KAART_TEGELS_URL:
        return mark_safe("")
    return format_html(
        'data-tegels-url="{}" data-tegels-attributie="{}"',
        settings.KAART_TEGELS_URL,
        settings.KAART_TEGELS_ATTRIBUTIE,
    )
