"""Periodic work about activities: reminders.

Each queues its e-mails in the notification outbox in the same transaction as the guard it sets
(a timestamp under a row lock), so a message is queued once even when beat fires twice; the
outbox's relay delivers it. Rows are done one by one (``wijkaanpak.batch.each``): one that
fails is left for the next run and the others still go out.
"""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from notificaties.models import Notificatie
from notificaties.services import kick, notify
from wijkaanpak import batch

from .models import Aanmelding

REMINDER_AHEAD = timedelta(hours=24)


def _due_reminders(now):
    return Aanmelding.objects.filter(
        status=Aanmelding.Status.AANGEMELD,
        herinnerd_at=None,
        activiteit__geannuleerd_at=None,
        activiteit__start__gt=now,
        activiteit__start__lte=now + REMINDER_AHEAD,
    )


@shared_task
def send_reminders() -> int:
    """Periodic (beat): remind everyone signed up for an activity starting within 24 hours,
    each as they chose (``notificaties.voorkeuren``): at once, in their digest, or only on the
    site."""
    now = timezone.now()
    due = _due_reminders(now).values_list("pk", flat=True)
    queued = batch.each(list(due), _remind, what="reminder").done
    if queued:
        kick()
    return queued


@transaction.atomic
def _remind(aanmelding_id: int) -> bool:
    aanmelding = (
        Aanmelding.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=aanmelding_id, herinnerd_at=None)
        .first()
    )
    if aanmelding is None:
        return False
    notify(
        soort=Notificatie.Soort.HERINNERING,
        object_id=aanmelding.pk,
        ontvangers=[aanmelding.user],
        relay=False,
    )
    aanmelding.herinnerd_at = timezone.now()
    aanmelding.save(update_fields=["herinnerd_at"])
    return True
