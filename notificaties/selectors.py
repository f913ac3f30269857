"""Reading the inbox in the site (*Berichten*): a person's own notices, as the site shows them.

One rule decides what shows (``berichten``), for the page and for the menu's count alike:
- a person's own rows only. A team's row is the copy for its shared address: every member
  who is told was told in a row of their own (``coordinator_recipients``), and a member who
  joined later was not told. So no one reads another's notice, and a notice that names a
  reporter (``Notificatie.NAMES_A_REPORTER``) reaches that reporter alone;
- kinds with an inbox line (``soorten.in_site``): account mail has none;
- not lapsed: a row whose cause was gone when it was to be sent told no one anything;
- from the last ``WIJKAANPAK_BERICHTEN_KEEP_DAYS``: older rows are deleted by the daily purge.
Whether its cause is still there is asked when a page shows it (``soorten.summarise``).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from . import soorten
from .models import Notificatie


def berichten(user) -> QuerySet[Notificatie]:
    """The notices ``user`` may read in the site, newest first."""
    if not user.is_authenticated:
        return Notificatie.objects.none()
    since = timezone.now() - timedelta(days=settings.WIJKAANPAK_BERICHTEN_KEEP_DAYS)
    return (
        Notificatie.objects.filter(
            ontvanger=user, soort__in=soorten.in_site(), created_at__gte=since
        )
        .exclude(status=Notificatie.Status.VERVALLEN)
        .order_by("-created_at", "-pk")
    )


def ongelezen(user) -> int:
    """How many of them ``user`` has not read: one query."""
    return berichten(user).filter(gelezen_at=None).count()
