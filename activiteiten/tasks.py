"""E-mails about activities: moving up from the waiting list, and the reminder a day before.

Each is guarded (a state check or a timestamp under a row lock), so it is sent once even when a
task runs twice or beat restarts.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.mail import send_templated_mail
from accounts.models import Berichtvoorkeur
from buurten.selectors import coordinator_emails
from wijkaanpak import batch

from .models import Aanmelding

REMINDER_AHEAD = timedelta(hours=24)


def _url(aanmelding) -> str:
    return settings.WIJKAANPAK_SITE_URL.rstrip("/") + aanmelding.activiteit.get_absolute_url()


def _send(template: str, aanmelding) -> None:
    context = {"activiteit": aanmelding.activiteit, "url": _url(aanmelding)}
    send_templated_mail(f"activiteiten/email/{template}", context, [aanmelding.user.email])


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
        if aanmelding.user.berichtvoorkeur != Berichtvoorkeur.GEEN:
            _send("promoted", aanmelding)
        aanmelding.doorgeschoven_at = timezone.now()
        aanmelding.save(update_fields=["doorgeschoven_at"])
    return True


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
    return batch.each(list(due), _remind, what="reminder").done


@transaction.atomic
def _remind(aanmelding_id: int) -> bool:
    aanmelding = (
        Aanmelding.objects.select_for_update(of=("self",))
        .select_related("user", "activiteit")
        .filter(pk=aanmelding_id, herinnerd_at=None)
        .first()
    )
    if aanmelding is None:
        return False
    _send("reminder", aanmelding)
    aanmelding.herinnerd_at = timezone.now()
    aanmelding.save(update_fields=["herinnerd_at"])
    return True


@shared_task(autoretry_for=(OSError,), max_retries=5, retry_backoff=30)
def notify_aanvrager(historie_id: int) -> bool:
    """Tell the resident about a decision on their request; once per history entry."""
    from .models import VerzoekHistorie

    with transaction.atomic():
        historie = (
            VerzoekHistorie.objects.select_for_update(of=("self",))
            .select_related("verzoek__aanvrager")
            .filter(pk=historie_id, notified_at=None)
            .first()
        )
        if historie is None:
            return False
        verzoek = historie.verzoek
        context = {
            "verzoek": verzoek,
            "historie": historie,
            "url": settings.WIJKAANPAK_SITE_URL.rstrip("/") + verzoek.get_absolute_url(),
        }
        send_templated_mail("activiteiten/email/verzoek", context, [verzoek.aanvrager.email])
        historie.notified_at = timezone.now()
        historie.save(update_fields=["notified_at"])
    return True


@shared_task
def silent_consent_and_escalation() -> dict:
    """Periodic (beat): approve by silent consent, and escalate overdue decisions once."""
    from .models import Verzoek
    from .verzoeken import apply_silent_consent
    from .workflow import Status

    approved = apply_silent_consent()
    overdue = Verzoek.objects.filter(
        status=Status.INGEDIEND,
        stilzwijgend=False,
        deadline__lt=timezone.localdate(),
        escalated_at=None,
    ).values_list("pk", flat=True)
    escalated = batch.each(list(overdue), _escalate, what="escalation").done
    return {"approved": approved, "escalated": escalated}


@transaction.atomic
def _escalate(verzoek_id: int) -> bool:
    from .models import Verzoek

    verzoek = (
        Verzoek.objects.select_for_update(of=("self",))
        .select_related("buurt__wijk")
        .filter(pk=verzoek_id, escalated_at=None)
        .first()
    )
    if verzoek is None:
        return False
    recipients = coordinator_emails(verzoek.buurt)
    if recipients:
        context = {
            "verzoek": verzoek,
            "url": settings.WIJKAANPAK_SITE_URL.rstrip("/") + verzoek.get_absolute_url(),
        }
        send_templated_mail("activiteiten/email/escalatie", context, recipients)
    verzoek.escalated_at = timezone.now()
    verzoek.save(update_fields=["escalated_at"])
    return True


@shared_task
def send_daily_digest() -> int:
    """Daily (beat, 07:00): one e-mail per person who prefers a digest, listing what they
    signed up for in the coming 24 hours. Each sign-up is in one digest only."""
    from accounts.models import User

    from .models import Bericht

    now = timezone.now()
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
            due.filter(user_id=user_id)
            .select_for_update(of=("self",))
            .select_related("activiteit")
            .order_by("activiteit__start")
        )
        berichten = list(
            recent.filter(
                activiteit__aanmeldingen__user_id=user_id,
                activiteit__aanmeldingen__status__in=Aanmelding.ACTIVE,
            ).select_related("activiteit")
        )
        if not rows and not berichten:
            return False
        user = User.objects.get(pk=user_id)
        context = {
            "aanmeldingen": rows,
            "berichten": berichten,
            "site": settings.WIJKAANPAK_SITE_URL.rstrip("/"),
        }
        send_templated_mail("activiteiten/email/digest", context, [user.email])
        Aanmelding.objects.filter(pk__in=[a.pk for a in rows]).update(herinnerd_at=now)
        return True

    return batch.each(sorted(user_ids), digest, what="daily digest").done


@shared_task(autoretry_for=(OSError,), max_retries=5, retry_backoff=30)
def send_bericht(bericht_id: int) -> int:
    """Deliver an organiser's message, one e-mail per participant (no shared address list)."""
    from .models import Bericht

    with transaction.atomic():
        bericht = (
            Bericht.objects.select_for_update(of=("self",))
            .select_related("activiteit", "afzender")
            .filter(pk=bericht_id, verzonden_at=None)
            .first()
        )
        if bericht is None:
            return 0
        recipients = (
            Aanmelding.objects.filter(activiteit=bericht.activiteit, status__in=Aanmelding.ACTIVE)
            .filter(user__berichtvoorkeur=Berichtvoorkeur.DIRECT)
            .select_related("user")
        )
        context = {
            "bericht": bericht,
            "url": settings.WIJKAANPAK_SITE_URL.rstrip("/") + bericht.activiteit.get_absolute_url(),
        }
        sent = 0
        for aanmelding in recipients:
            send_templated_mail("activiteiten/email/bericht", context, [aanmelding.user.email])
            sent += 1
        bericht.verzonden_at = timezone.now()
        bericht.save(update_fields=["verzonden_at"])
    return sent
