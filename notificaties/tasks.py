"""The one relay for messages to people, and the daily clean-up; both safe to run twice."""

from celery import shared_task

from . import services


@shared_task
def relay_notificaties() -> dict:
    """After each change that wrote notifications, and every minute from beat (the sweep):
    deliver what is due. Rows claimed by a worker that died are due again after the lease."""
    return dict(services.notificaties_relay())


@shared_task
def purge_notificaties() -> int:
    """Daily (beat): forget notifications handled longer ago than the retention period."""
    return services.notificaties_purge()


@shared_task
def send_daily_overzichten() -> int:
    """Daily (beat, 07:00 Amsterdam): one digest per person of the notices they chose to get
    once a day. Safe to run twice (``services.overzichten_versturen``)."""
    return services.overzichten_versturen(bundel="dag")
