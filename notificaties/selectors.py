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
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min, QuerySet
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


# The menu shows the count on every page, so it is kept in the shared cache once counted, with
# the moment its oldest unread notice grows too old to show, and forgotten when the person's
# notices change (``ongelezen_veranderd``: a new notice, one read, one lapsed). A change made
# while the cache could not be reached counts after at most this many seconds.
ONGELEZEN_KEY = "berichten:ongelezen:{}"
ONGELEZEN_SECONDS = 300


def ongelezen(user) -> int:
    """How many of them ``user`` has not read: one query, or none while kept."""
    key = ONGELEZEN_KEY.format(user.pk)
    now = timezone.now()
    kept = cache.get(key)
    if kept is not None and (kept[1] is None or now < kept[1]):
        return kept[0]
    found = (
        berichten(user).filter(gelezen_at=None).aggregate(n=Count("pk"), oldest=Min("created_at"))
    )
    until = None
    if found["oldest"] is not None:
        until = found["oldest"] + timedelta(days=settings.WIJKAANPAK_BERICHTEN_KEEP_DAYS)
    cache.set(key, (found["n"], until), ONGELEZEN_SECONDS)
    return found["n"]


def ongelezen_veranderd(user_ids) -> None:
    """The notices of these persons changed: their kept counts are forgotten at once, for what
    follows in this transaction, and again when it commits, in case another request counted
    meanwhile what was committed before."""
    keys = [ONGELEZEN_KEY.format(pk) for pk in set(user_ids) if pk is not None]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
