"""Allauth's forms as the site shows them."""

from django import template

register = template.Library()


@register.filter
def without_placeholders(form):
    """The form without allauth's placeholders: each repeats a label that is shown anyway, and
    grey text in an empty field reads as an answer already given."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
    return form
