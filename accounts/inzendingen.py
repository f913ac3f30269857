"""Forms that make something (a melding, a request, an activity) are sent once: a double click
or a phone resending a post must not make it twice, with a second receipt, a second routing and
a second alert. Each such form carries a one-time token (``wijkaanpak.forms.EenmaligField``);
the view claims it in the transaction that makes the thing (``claim``). A second request with
the same token waits for the first to commit, then finds the token taken (``AlVerstuurd``); if
the first failed, its claim went with it and the form can be sent again."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import Inzending

KEEP = timedelta(days=1)


class AlVerstuurd(Exception):
    """This form was sent before, and what it made is there."""


def _sleutel(user, token: str) -> str:
    """Keyed (SECRET_KEY, as the rate limits' keys): without the secret, a row says nothing
    of whose form it was."""
    return salted_hmac("wijkaanpak.inzending", f"{user.pk}:{token}", algorithm="sha256").hexdigest()


def claim(user, token: str | None) -> None:
    """Mark the form as sent, in the caller's transaction (call it inside ``atomic`` with what
    the form makes). ``AlVerstuurd`` when it was sent already. Without a token (a page opened
    before tokens existed) there is nothing to claim. Claims older than a day are forgotten."""
    if not token:
        return
    now = timezone.now()
    forget(now)
    try:
        with transaction.atomic():
            Inzending.objects.create(sleutel=_sleutel(user, token), created_at=now)
    except IntegrityError:
        raise AlVerstuurd from None


def forget(now=None) -> int:
    """Forget claims older than a day: at each claim, and nightly (``tasks``), so none is kept
    longer when nobody sends a form."""
    now = now or timezone.now()
    deleted, _ = Inzending.objects.filter(created_at__lt=now - KEEP).delete()
    return deleted
