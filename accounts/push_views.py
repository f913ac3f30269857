"""Turning pushes on and off for the device in hand (``/accounts/push/``): JSON from the
voorkeuren page's control (``static/js/push.js``). The rules are in ``notificaties.push``."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notificaties import push, webpush

from . import ratelimit

SESSION_KEY = "push_abonnement"  # the device turned on in this session: off again at logout
ACTIONS = ("aan", "uit", "status")


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"fout": message}, status=status)


def device_label(user_agent: str) -> str:
    """A short name for the device ("Chrome op Android") to recognise it by: the browser and
    the system, nothing else of the User-Agent."""
    browsers = (
        ("Edg/", "Edge"),
        ("SamsungBrowser", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    )
    systems = (
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    )
    browser = next((name for key, name in browsers if key in user_agent), _("Browser"))
    system = next((name for key, name in systems if key in user_agent), "")
    if not system:
        return browser
    return _("%(browser)s op %(system)s") % {"browser": browser, "system": system}


@require_POST
def push_abonnement(request):
    """``{"actie": "aan" | "uit" | "status", "endpoint": …, "keys": {"p256dh": …, "auth": …}}``,
    the browser's ``PushSubscription.toJSON()`` with the action; answers ``{"aan": bool}``."""
    if not request.user.is_authenticated:
        return _error(_("Log in om meldingen op dit apparaat aan te zetten."), 403)
    if not webpush.enabled():
        return _error(_("Meldingen op apparaten staan uit op deze site."), 404)
    try:
        data = json.loads(request.body)
        actie, endpoint = data["actie"], data["endpoint"]
        keys = data.get("keys") or {}
        if actie not in ACTIONS or not isinstance(endpoint, str) or not isinstance(keys, dict):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return _error(_("Dit verzoek begrijpen we niet."), 400)
    if actie == "status":
        return JsonResponse({"aan": push.push_subscribed(user=request.user, endpoint=endpoint)})
    if ratelimit.exceeded_unlinkable("push", str(request.user.pk), settings.WIJKAANPAK_PUSH_RATE):
        return _error(_("Even te vaak geprobeerd. Probeer het over een uur opnieuw."), 429)
    if actie == "uit":
        push.push_unsubscribe(user=request.user, endpoint=endpoint)
        return JsonResponse({"aan": False})
    try:
        abonnement = push.push_subscribe(
            user=request.user,
            endpoint=endpoint,
            p256dh=keys.get("p256dh"),
            auth=keys.get("auth"),
            apparaat=device_label(request.headers.get("User-Agent", "")),
        )
    except ValidationError as error:
        return _error(" ".join(error.messages), 400)
    request.session[SESSION_KEY] = abonnement.pk
    return JsonResponse({"aan": True})


def forget_device_on_logout(sender, request, user, **kwargs):
    """Signing out turns pushes off on the device that turned them on in this session: on a
    shared computer the next person must not see this one's notices. Connected to
    ``user_logged_out`` in ``AccountsConfig.ready``."""
    pk = request.session.get(SESSION_KEY) if request is not None else None
    if pk and user is not None:
        push.PushAbonnement.objects.filter(pk=pk, user=user).delete()
