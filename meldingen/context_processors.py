"""The resident's menu shows how many messages about their meldingen they have not read."""

from django.utils.functional import SimpleLazyObject

from accounts.models import Role

from .selectors import mijn_meldingen


def nieuwe_berichten(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role != Role.BEWONER:
        return {}
    # Counted only when a page draws the menu (one query), not for redirects or JSON.
    return {
        "menu_nieuwe_berichten": SimpleLazyObject(
            lambda: mijn_meldingen(user).filter(nieuw=True).count()
        )
    }
