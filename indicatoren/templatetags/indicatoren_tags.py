"""The survey invitation, shown wherever a resident lands (start page, their buurt)."""

from django import template

from accounts.access import offers

from .. import selectors

register = template.Library()


@register.inclusion_tag("indicatoren/_uitnodiging.html", takes_context=True)
def peiling_uitnodiging(context):
    """An invitation to the open round of the resident's wijk, until they have answered; then
    the question whether they would like an invitation for a first activity ("starter"), and
    for a starter the way to withdraw."""
    request = context["request"]
    user = request.user
    if not offers(user, "peiling"):
        return {}
    starter = selectors.starter_of(user)
    peiling = selectors.open_peiling_for(user)
    if peiling is None:
        return {"starter": starter, "next": request.get_full_path()}
    beantwoord = selectors.has_responded(user, peiling)
    return {
        "peiling": peiling,
        "beantwoord": beantwoord,
        "starter": starter,
        "aanbieden": selectors.starter_offered(request, peiling),
        "next": request.get_full_path(),
    }


@register.simple_tag(takes_context=True)
def ziet_indicatoren(context, buurt) -> bool:
    """Whether the user may open this buurt's indicator page (a coordinator of its wijk)."""
    user = context["request"].user
    return selectors.wijken_for(user).filter(pk=buurt.wijk_id).exists()
