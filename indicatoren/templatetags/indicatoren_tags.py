"""The survey invitation, shown wherever a resident lands (start page, their buurt)."""

from django import template

from accounts.access import offers

from .. import selectors

register = template.Library()


@register.inclusion_tag("indicatoren/_uitnodiging.html", takes_context=True)
def peiling_uitnodiging(context):
    """An invitation to the open round of the resident's wijk, until they have answered."""
    user = context["request"].user
    if not offers(user, "peiling"):
        return {}
    peiling = selectors.open_peiling_for(user)
    if peiling is None or selectors.has_responded(user, peiling):
        return {}
    return {"peiling": peiling}


@register.simple_tag(takes_context=True)
def ziet_indicatoren(context, buurt) -> bool:
    """Whether the user may open this buurt's indicator page (a coordinator of its wijk)."""
    user = context["request"].user
    return selectors.wijken_for(user).filter(pk=buurt.wijk_id).exists()
