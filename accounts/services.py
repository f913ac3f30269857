"""Writes to an account that carry a rule."""

from django.conf import settings
from django.db import transaction

from .models import User


def known_language(code: str | None) -> str | None:
    """``code`` if the site speaks it (``settings.LANGUAGES``), else None: Django's own switch
    accepts any language it has a catalogue for ("de"), which this site does not offer."""
    return code if code in dict(settings.LANGUAGES) else None


@transaction.atomic
def user_set_taal(*, user: User, taal: str | None) -> bool:
    """Remember the language ``user`` uses the site in, for the e-mails they get; returns
    whether it changed. A language the site does not offer changes nothing."""
    if known_language(taal) is None or user.taal == taal:
        return False
    User.objects.filter(pk=user.pk).update(taal=taal)
    user.taal = taal
    return True


def sync_taal_on_login(sender, request, user, **kwargs):
    """A visitor who switched language before signing in uses the site in it: their e-mails
    follow. Without a choice (no cookie) the stored language stays as it is."""
    if request is None:
        return
    chosen = known_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        user_set_taal(user=user, taal=chosen)
