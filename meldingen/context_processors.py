"""The resident's menu shows how many messages about their meldingen they have not read."""

import functools

from django.utils.functional import lazy

from accounts.access import offers

from .selectors import mijn_meldingen


def nieuwe_berichten(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not offers(user, "mijn_meldingen"):
        return {}

    @functools.cache
    def count() -> int:
        return mijn_meldingen(user).filter(nieuw=True).count()

    # Counted only when a page draws the menu, once however often it is shown there (one
    # query), and never for redirects or JSON.
    return {"menu_nieuwe_berichten": lazy(count, int)()}
