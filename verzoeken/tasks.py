"""Periodic work about faciliteringsverzoeken: silent consent, and escalating a decision that
is overdue.

An escalation is queued in the notification outbox in the same transaction as the guard it sets
(``escalated_at`` under a row lock), so it is queued once even when beat fires twice; the
outbox's relay delivers it. Rows are done one by one (``wijkaanpak.batch.each``): one that fails
is left for the next run and the others still go out.
"""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from buurten.selectors import coordinator_recipients
from notificaties.models import Notificatie
from notificaties.services import kick, notify
from wijkaanpak import batch

from .models import Verzoek
from .services import apply_silent_consent
from .workflow import Status


@shared_task
def silent_consent_and_escalation() -> dict:
    """Periodic (beat): approve by silent consent, and escalate overdue decisions once."""
    approved = apply_silent_consent()
    overdue = Verzoek.objects.filter(
        status=Status.INGEDIEND,
        stilzwijgend=False,
        deadline__lt=timezone.localdate(),
        escalated_at=None,
    ).values_list("pk", flat=True)
    escalated = batch.each(list(overdue), _escalate, what="escalation").done
    if escalated:
        kick()
    return {"approved": approved, "escalated": escalated}


@transaction.atomic
def _escalate(verzoek_id: int) -> bool:
    verzoek = (
        Verzoek.objects.select_for_update(of=("self",))
        .select_related("buurt__wijk")
        .filter(pk=verzoek_id, escalated_at=None)
        .first()
    )
    if verzoek is None:
        return False
    coordinators, teams = coordinator_recipients(verzoek.buurt)
    notify(
        soort=Notificatie.Soort.VERZOEK_ESCALATIE,
        object_id=verzoek.pk,
        ontvangers=coordinators,
        teams=teams,
        relay=False,
    )
    verzoek.escalated_at = timezone.now()
    verzoek.save(update_fields=["escalated_at"])
    return True
