"""Celery work for meldingen: the outbox relay and sweep, routing, and reporters' e-mails.

Tasks take ids, fetch again and let a unique constraint or a state check guard each side effect,
so a redelivered, retried or swept task changes nothing twice.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.mail import send_templated_mail
from buurten.selectors import coordinator_emails
from wijkaanpak import batch
from wijkaanpak.celery import enqueue

from .models import Doorzetting, Kennisgeving, Melder, Outbox, StatusWijziging

logger = logging.getLogger(__name__)


def relay(outbox_id: int) -> bool:
    """Hand an outbox row to the broker (after commit, and from the sweep)."""
    handed_over = enqueue(route_melding, outbox_id)
    if handed_over:
        Outbox.objects.filter(pk=outbox_id).update(
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
    the melding to the sweep, minutes later."""
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


@shared_task(autoretry_for=(OSError,), max_retries=5, retry_backoff=30)
def notify_reporters(wijziging_id: int) -> int:
    """E-mail the reporters who can be reached about a status change with a message."""
    wijziging = (
        StatusWijziging.objects.select_related("melding__categorie", "melding__buurt")
        .filter(pk=wijziging_id)
        .first()
    )
    if wijziging is None or not wijziging.terugkoppeling:
        return 0
    melders = {
        melder.pk: melder
        for melder in Melder.objects.filter(
            melding=wijziging.melding, user__isnull=False
        ).select_related("user")
    }

    def notify(melder_id: int) -> bool:
        melder = melders[melder_id]
        try:
            with transaction.atomic():
                Kennisgeving.objects.create(wijziging=wijziging, melder=melder)
                context = {
                    "melding": wijziging.melding,
                    "wijziging": wijziging,
                    "url": settings.WIJKAANPAK_SITE_URL.rstrip("/")
                    + f"/meldingen/mijn/{wijziging.melding_id}/",
                }
                send_templated_mail("meldingen/email/update", context, [melder.user.email])
        except IntegrityError:
            return False  # sent before
        return True

    outcome = batch.each(list(melders), notify, what="reporter notification")
    outcome.raise_transient()  # SMTP down: retried, and the ones sent are not sent again
    return outcome.done


@shared_task
def anonymise_closed() -> int:
    """Daily (beat): erase reporters' identities and photos of long-closed meldingen."""
    from .services import meldingen_anonymise

    return meldingen_anonymise(dry_run=False).meldingen


@shared_task(autoretry_for=(OSError,), max_retries=5, retry_backoff=30)
def notify_coordinators_of_intimidation(doorzetting_id: int) -> int:
    """Tell the coordinators of the area that a resident asks for support against intimidation.

    The e-mail names the category and the buurt only; the case is in the coordinator's feed.
    """
    with transaction.atomic():
        doorzetting = (
            Doorzetting.objects.select_for_update(of=("self",))
            .select_related("melding__buurt")
            .filter(pk=doorzetting_id, notified_at=None)
            .first()
        )
        if doorzetting is None:
            return 0
        buurt = doorzetting.melding.buurt
        recipients = coordinator_emails(buurt)
        if recipients:
            context = {
                "buurt": buurt,
                "url": settings.WIJKAANPAK_SITE_URL.rstrip("/")
                + f"/meldingen/{doorzetting.melding_id}/",
            }
            send_templated_mail("meldingen/email/intimidatie", context, recipients)
        doorzetting.notified_at = timezone.now()
        doorzetting.save(update_fields=["notified_at"])
    return len(recipients)
