"""E-mails about membership, sent by Celery workers.

Tasks take ids, fetch again and check a guard column under a row lock, so running one twice (a
retry, the sweep, a redelivered message) sends nothing twice. When the broker is unreachable the
request still succeeds; the periodic sweep hands the work over once the broker is back.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.mail import send_templated_mail
from wijkaanpak import batch
from wijkaanpak.celery import enqueue

from .models import Lidmaatschap
from .selectors import coordinator_emails

logger = logging.getLogger(__name__)

SWEEP_GRACE = timedelta(minutes=2)


def _site_url(path: str) -> str:
    return settings.WIJKAANPAK_SITE_URL.rstrip("/") + path


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_welcome(self, lidmaatschap_id: int) -> bool:
    """Tell a resident that they are now a verified member of their buurt."""
    with transaction.atomic():
        lidmaatschap = (
            Lidmaatschap.objects.select_for_update()
            .select_related("user", "buurt")
            .filter(pk=lidmaatschap_id, status=Lidmaatschap.Status.LID, welcome_sent_at=None)
            .first()
        )
        if lidmaatschap is None:
            return False
        context = {
            "buurt": lidmaatschap.buurt,
            "url": _site_url(lidmaatschap.buurt.get_absolute_url()),
        }
        send_templated_mail("buurten/email/welkom", context, [lidmaatschap.user.email])
        lidmaatschap.welcome_sent_at = timezone.now()
        lidmaatschap.save(update_fields=["welcome_sent_at"])
    logger.info("welcome sent", extra={"lidmaatschap": lidmaatschap_id})
    return True


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notify_coordinators_of_request(self, lidmaatschap_id: int) -> int:
    """Tell the coordinators of the buurt's area that a resident asks to join.

    The e-mail names the buurt only: who asked is visible after signing in.
    """
    with transaction.atomic():
        lidmaatschap = (
            Lidmaatschap.objects.select_for_update()
            .select_related("buurt__wijk")
            .filter(
                pk=lidmaatschap_id,
                status=Lidmaatschap.Status.AANGEVRAAGD,
                coordinators_notified_at=None,
            )
            .first()
        )
        if lidmaatschap is None:
            return 0
        recipients = coordinator_emails(lidmaatschap.buurt)
        if recipients:
            context = {"buurt": lidmaatschap.buurt, "url": _site_url(reverse("buurten:aanvragen"))}
            send_templated_mail("buurten/email/aanvraag", context, recipients)
        lidmaatschap.coordinators_notified_at = timezone.now()
        lidmaatschap.save(update_fields=["coordinators_notified_at"])
    return len(recipients)


@shared_task
def sweep_membership_mail() -> int:
    """Periodic (beat): hand over e-mails whose task never reached a worker."""
    cutoff = timezone.now() - SWEEP_GRACE
    welcome = Lidmaatschap.objects.filter(
        status=Lidmaatschap.Status.LID, welcome_sent_at=None, decided_at__lt=cutoff
    ).values_list("pk", flat=True)
    requests = Lidmaatschap.objects.filter(
        status=Lidmaatschap.Status.AANGEVRAAGD,
        coordinators_notified_at=None,
        created_at__lt=cutoff,
    ).values_list("pk", flat=True)
    welcome, requests = list(welcome), list(requests)
    batch.each(welcome, lambda pk: enqueue(send_welcome, pk), what="welcome sweep")
    batch.each(
        requests,
        lambda pk: enqueue(notify_coordinators_of_request, pk),
        what="join request sweep",
    )
    return len(welcome) + len(requests)
