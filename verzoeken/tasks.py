"""Periodic work about faciliteringsverzoeken: silent consent, telling the coordinators on the
last day to decide, and escalating a decision that is overdue.

An escalation is queued in the notification outbox in the same transaction as the guard it sets
(``escalated_at`` under a row lock), so it is queued once even when beat fires twice; the
outbox's relay delivers it. Rows are done one by one (``wijkaanpak.batch.each``): one that fails
is left for the next run and the others still go out.
"""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from buurten.selectors import coordinator_recipients
from notificaties.models import Notificatie
from notificaties.services import kick, notify
from wijkaanpak import batch

from .models import Verzoek, VerzoekHistorie
from .services import apply_silent_consent
from .termijnen import last_day_to_decide
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


@shared_task
def warn_on_the_last_day() -> int:
    """Periodic (beat): on a request's last day to decide (``termijnen.last_day_to_decide``),
    tell the area's coordinators once per submission. Before silent consent grants it, this is
    the last chance to object; otherwise the day the applicant was promised a decision."""
    today = timezone.localdate()
    # A last day today means a deadline within the next working day: days, not weeks, ahead.
    waiting = Verzoek.objects.filter(
        status=Status.INGEDIEND, deadline__gte=today, deadline__lte=today + timedelta(days=14)
    ).values_list("pk", "deadline", "stilzwijgend")
    due = [
        pk
        for pk, deadline, stilzwijgend in waiting
        if last_day_to_decide(deadline, stilzwijgend=stilzwijgend) <= today
        and (deadline > today or not stilzwijgend)  # granted at the start of its deadline
    ]
    warned = batch.each(due, _warn, what="last day to decide").done
    if warned:
        kick()
    return warned


@transaction.atomic
def _warn(verzoek_id: int) -> bool:
    verzoek = (
        Verzoek.objects.select_for_update(of=("self",))
        .select_related("buurt__wijk")
        .filter(pk=verzoek_id, status=Status.INGEDIEND)
        .first()
    )
    if verzoek is None:
        return False
    stap = VerzoekHistorie.objects.filter(verzoek=verzoek, naar=Status.INGEDIEND).latest("pk")
    soort = Notificatie.Soort.VERZOEK_TERMIJN
    if Notificatie.objects.filter(soort=soort, object_id=stap.pk).exists():
        return False  # told on this submission's last day already
    coordinators, teams = coordinator_recipients(verzoek.buurt)
    return bool(
        notify(soort=soort, object_id=stap.pk, ontvangers=coordinators, teams=teams, relay=False)
    )
