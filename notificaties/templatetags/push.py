"""``{% push_apparaat %}``: the control "Meldingen op dit apparaat" (voorkeuren page). Nothing
when push is off on this site; hidden until the script finds a browser that can receive."""

from django import template
from django.urls import reverse

from notificaties import webpush

register = template.Library()


@register.inclusion_tag("notificaties/push_apparaat.html", takes_context=True)
def push_apparaat(context):
    if not webpush.enabled():
        return {"enabled": False}
    return {
        "enabled": True,
        "sleutel": webpush.public_key(),
        "url": reverse("push_abonnement"),
        "csrf_token": context.get("csrf_token"),
    }
