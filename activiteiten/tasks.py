"""E-mails about activities: moving up from the waiting list, and the reminder a day before.

Each is guarded (a state check or a timestamp under a row lock), so it is sent once even when a
task runs twice or beat restarts.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from wijkaanpak.celery import enqueue

from .models import Aanmelding

__all__ = ["enqueue", "send_promoted", "send_reminders"]

REMINDER_AHEAD = timedelta(hours=24)


def _url(aanmelding) -> str:
    return settings.WIJKAANPAK_SITE_URL.rstrip("/") + aanmelding.activiteit.get_absolute_url()


def _send(template: str, aanmelding) -> None:
    context = {"activiteit": aanmelding.activiteit, "url": _url(aanmelding)}
    send_mail(
        subject=render_to_string(f"activiteiten/email/{template}_subject.txt", context).strip(),
        message=render_to_string(f"activiteiten/email/{template}.txt", context),
        from_email=None,
        recipient_list=[aanmelding.user.email],
    )


@shared_task(autoretry_for=(OSError,), max_retries=5, retry_backoff=30)
def send_promoted(aanmelding_id: int) -> bool:
    """Tell someone who moved up from the waiting list; once."""
    with transaction.atomic():
        aanmelding = (
            Aanmelding.objects.select_for_update(of=("self",))
            .select_related("user", "activiteit")
            .filter(pk=aanmelding_id, status=Aanmelding.Status.AANGEMELD, doorgeschoven_at=None)
            .first()
        )
        if aanmelding is None:
            return False
        _send("promoted", aanmelding)
        aanmelding.doorgeschoven_at = timezone.now()
        aanmelding.save(update_fields=["doorgeschoven_at"])
    return True


@shared_task
def send_reminders() -> int:
    """Periodic (beat): remind everyone signed up for an activity starting within 24 hours."""
    now = timezone.now()
    due = Aanmelding.objects.filter(
        status=Aanmelding.Status.AANGEMELD,
        herinnerd_at=None,
        activiteit__geannuleerd_at=None,
        activiteit__start__gt=now,
        activiteit__start__lte=now + REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in due:
        with transaction.atomic():
            aanmelding = (
                Aanmelding.objects.select_for_update(of=("self",))
                .select_related("user", "activiteit")
                .filter(pk=pk, herinnerd_at=None)
                .first()
            )
            if aanmelding is None:
                continue
            _send("reminder", aanmelding)
            aanmelding.herinnerd_at = timezone.now()
            aanmelding.save(update_fields=["herinnerd_at"])
            sent += 1
    return sent
