from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def referentie(value) -> str:
    """A melding's reference on one line wherever a page shows it: a browser may break
    "M-7K3Q-9PX2" at its dashes, and a code split over two lines is misread when quoted."""
    return format_html('<span class="text-nowrap">{}</span>', value) if value else ""
