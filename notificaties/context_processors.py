"""Every page's menu shows how many notices the person has not read (``selectors.ongelezen``):
news about their meldingen among them, so the menu shows one number."""

import functools

from django.utils.functional import lazy

from . import selectors


def ongelezen(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def count() -> int:
        return selectors.ongelezen(user)

    # Counted only when a page draws the menu, once however often it is shown there (one
    # query), and never for redirects or JSON. A view that counted already passes its figure.
    return {"menu_ongelezen": lazy(count, int)()}
