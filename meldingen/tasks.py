"""Celery work for meldingen: the routing outbox's relay and sweep, routing, retention.

E-mails to people go through ``notificaties`` (written by the services that cause them).

Tasks take ids, fetch again and let a unique constraint or a state check guard each side effect,
so a redelivered, retried or swept task changes nothing twice.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from wijkaanpak import batch
from wijkaanpak.celery import enqueue

from .models import Outbox

logger = logging.getLogger(__name__)


def relay(outbox_id: int) -> bool:
    """Hand an outbox row to the broker (after commit, and from the sweep).

    The hand-over is noted only on a row no worker holds: a row in a worker's batch is being
    routed, and the resident's request that relays it must not wait for that batch to commit.
    """
    handed_over = enqueue(route_melding, outbox_id)
    if handed_over:
        with transaction.atomic():
            free = Outbox.objects.filter(pk=outbox_id).select_for_update(skip_locked=True)
            Outbox.objects.filter(pk__in=free.values("pk")).update(
                enqueued_at=timezone.now(), attempts=F("attempts") + 1
            )
    return handed_over


ROUTE_BATCH = 25  # a task routes its own melding plus up to 24 others still waiting


@shared_task(bind=True, max_retries=Outbox.MAX_ATTEMPTS, default_retry_delay=10)
def route_melding(self, outbox_id: int) -> bool:
    """Route this outbox row's melding, and with it the oldest others still waiting: after an
    outage the backlog drains in batches, and the tasks queued for those find nothing to do.

    The outbox rows are locked until the routing commits, so two workers never reach for the
    same batch: the others waiting are taken only if no one holds them, but this task waits
    for its own row. That row is held for milliseconds at most (the relay noting the hand-over
    just after the broker took the task, or another worker's batch); skipping it would leave
    the melding to the sweep, minutes later. The relay never waits for a worker (``relay``)."""
    try:
        return _route_batch(outbox_id)
    except Exception as exc:
        Outbox.objects.filter(pk=outbox_id).update(last_error=type(exc).__name__[:300])
        logger.exception("routing failed", extra={"outbox": outbox_id})
        raise self.retry(exc=exc) from exc


@transaction.atomic
def _route_batch(outbox_id: int) -> bool:
    from .services import meldingen_route

    pending = Outbox.objects.filter(soort=Outbox.Soort.ROUTE, done_at=None, failed_at=None)
    own = pending.select_for_update().filter(pk=outbox_id).first()
    if own is None:  # routed already (by another worker's batch, say)
        return False
    waiting = list(
        pending.select_for_update(skip_locked=True)
        .exclude(pk=outbox_id)
        .order_by("pk")
        .values_list("melding_id", flat=True)[: ROUTE_BATCH - 1]
    )
    try:
        routed = meldingen_route(melding_ids=[own.melding_id, *waiting])  # a savepoint
    except Exception:
        if not waiting:
            raise
        # One of the others may be what fails: this task's own melding alone, then.
        logger.exception("batch routing failed", extra={"outbox": outbox_id})
        routed = meldingen_route(melding_ids=[own.melding_id])
    return own.melding_id in routed


@shared_task
def sweep_outbox() -> dict:
    """Periodic (beat): hand over what never reached a worker or got lost with one; give up
    visibly after ``Outbox.MAX_ATTEMPTS`` hand-overs (the admin lists failed routings)."""
    now = timezone.now()
    retry_after = timedelta(seconds=settings.WIJKAANPAK_OUTBOX_RETRY_AFTER)
    stale = Outbox.objects.filter(done_at=None, failed_at=None).filter(
        Q(enqueued_at=None, created_at__lt=now - timedelta(seconds=30))
        | Q(enqueued_at__lt=now - retry_after)
    )
    failed = stale.filter(attempts__gte=Outbox.MAX_ATTEMPTS).update(
        failed_at=now, last_error="gave up after repeated hand-overs"
    )
    relayed = batch.each(list(stale.values_list("pk", flat=True)), relay, what="outbox relay").done
    return {"relayed": relayed, "failed": failed}


@shared_task
def anonymise_closed() -> int:
    """Daily (beat): erase what identifies reporters and described people from long-closed
    meldingen (``retention.plans()``); a melding that fails is logged and tried again tomorrow."""
    from .services import meldingen_anonymise

    return meldingen_anonymise(dry_run=False).meldingen


@shared_task
def alert_overdue() -> int:
    """Periodic (beat): tell the handling team, once, about high-priority meldingen past their
    deadline with no reaction (``services.meldingen_alert_overdue``)."""
    from .services import meldingen_alert_overdue

    return meldingen_alert_overdue()


@shared_task
def remind_nazorg() -> int:
    """Periodic (beat): tell the area's coordinators, once per planned date, that a nazorg
    contact is due today (``services.nazorg_remind``)."""
    from .services import nazorg_remind

    return nazorg_remind()


@shared_task
def send_gebiedsoverzicht() -> int:
    """Daily (beat, 07:00): the officers' summary of their area
    (``services.gebiedsoverzicht_queue``)."""
    from .services import gebiedsoverzicht_queue

    return gebiedsoverzicht_queue()
