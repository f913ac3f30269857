"""Periodic work about activities: reminders and the day overview.

Each queues its e-mails in the notification outbox in the same transaction as the guard it sets
(a timestamp under a row lock), so a message is queued once even when beat fires twice; the
outbox's relay delivers it. Rows are done one by one (``wijkaanpak.batch.each``): one that
fails is left for the next run and the others still go out.
"""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.models import Berichtvoorkeur
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
    as they prefer: now, in tomorrow morning's digest, or not by e-mail at all."""
    now = timezone.now()
    _due_reminders(now).filter(user__berichtvoorkeur=Berichtvoorkeur.GEEN).update(herinnerd_at=now)
    due = (
        _due_reminders(now)
        .filter(user__berichtvoorkeur=Berichtvoorkeur.DIRECT)
        .values_list("pk", flat=True)
    )
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


@shared_task
def send_daily_digest() -> int:
    """Daily (beat, 07:00): one e-mail per person who prefers a digest, listing what they
    signed up for in the coming 24 hours. Each sign-up is in one digest only."""
    from accounts.models import User

    from .models import Bericht

    now = timezone.now()
    day = int(timezone.localdate(now).strftime("%Y%m%d"))  # the event: one overview a day
    due = _due_reminders(now).filter(user__berichtvoorkeur=Berichtvoorkeur.DAGELIJKS)
    since = now - timedelta(days=1)
    recent = Bericht.objects.filter(created_at__gte=since, created_at__lt=now)
    with_messages = Aanmelding.objects.filter(
        status__in=Aanmelding.ACTIVE,
        user__berichtvoorkeur=Berichtvoorkeur.DAGELIJKS,
        activiteit__berichten__in=recent,
    ).values_list("user_id", flat=True)
    user_ids = set(due.values_list("user_id", flat=True)) | set(with_messages)

    @transaction.atomic
    def digest(user_id: int) -> bool:
        rows = list(
            due.filter(user_id=user_id).select_for_update(of=("self",)).values_list("pk", flat=True)
        )
        berichten = list(
            recent.filter(
                activiteit__aanmeldingen__user_id=user_id,
                activiteit__aanmeldingen__status__in=Aanmelding.ACTIVE,
            ).values_list("pk", flat=True)
        )
        if not rows and not berichten:
            return False
        notify(
            soort=Notificatie.Soort.DAGOVERZICHT,
            object_id=day,
            ontvangers=[User.objects.get(pk=user_id)],
            params={"aanmeldingen": rows, "berichten": berichten},
            relay=False,
        )
        Aanmelding.objects.filter(pk__in=rows).update(herinnerd_at=now)
        return True

    queued = batch.each(sorted(user_ids), digest, what="daily digest").done
    if queued:
        kick()
    return queued
