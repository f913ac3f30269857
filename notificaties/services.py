"""Writing, delivering and retrying notifications.

``notify`` writes the rows inside the caller's transaction; after commit one relay task is
asked to deliver. The relay claims due rows for a lease (``select_for_update(skip_locked)``),
then sends each under its row lock and marks it sent in the same transaction: see
docs/adr/0010-notification-outbox.md for what "exactly once" means with SMTP.
"""

import logging
import secrets
import smtplib
import uuid
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from wijkaanpak import batch
from wijkaanpak.celery import enqueue
from wijkaanpak.singleline import single_line

from . import push, selectors, soorten, voorkeuren
from .models import Berichtinstelling, Notificatie

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # with the default 60 s backoff, doubling: about two hours before giving up
BATCH = 20
MAX_BATCHES = 50  # one relay run sends at most 1,000; beat's next run takes the rest

Status = Notificatie.Status


def notify(
    *, soort: str, object_id: int, ontvangers=(), teams=(), params=None, relay: bool = True
) -> int:
    """Queue one message per recipient about an event; the same event again adds nothing.

    Call it inside the transaction that makes the change: the message exists if and only if
    the change does. After commit the relay is asked to deliver; a batch (a beat task) passes
    ``relay=False`` and calls ``kick()`` once when it is done.
    """
    rows = [
        Notificatie(soort=soort, object_id=object_id, ontvanger=user, params=params or {})
        for user in ontvangers
    ]
    rows += [
        Notificatie(soort=soort, object_id=object_id, team=team, params=params or {})
        for team in teams
    ]
    return _queue(rows, relay=relay)


def notify_each(*, soort: str, events, relay: bool = True) -> int:
    """``notify`` for many events of one kind with one recipient each, ``events`` as
    (object_id, user) pairs, in one insert: a batch of routed meldingen, say."""
    rows = [Notificatie(soort=soort, object_id=pk, ontvanger=user) for pk, user in events]
    return _queue(rows, relay=relay)


def _queue(rows: list[Notificatie], *, relay: bool) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify() belongs inside the transaction of the change it reports")
    _plan(rows)
    if rows:
        Notificatie.objects.bulk_create(rows, ignore_conflicts=True)
        selectors.ongelezen_veranderd(row.ontvanger_id for row in rows)
        if relay:
            transaction.on_commit(kick)
    return len(rows)


@transaction.atomic
def berichtinstelling_save(
    *, user, keuzes: dict[str, str], stille_uren: bool, stil_van, stil_tot
) -> Berichtinstelling:
    """Keep a person's choices. A kind that cannot be switched off, or a choice a kind does
    not offer, is refused: nothing is saved."""
    for onderwerp, gekozen in keuzes.items():
        if onderwerp in voorkeuren.VAST or gekozen not in voorkeuren.keuzes(onderwerp):
            raise ValueError(f"{onderwerp!r} cannot be {gekozen!r}")
    instelling, _created = Berichtinstelling.objects.select_for_update().get_or_create(user=user)
    instelling.keuzes = {**instelling.keuzes, **keuzes}
    instelling.stille_uren = stille_uren
    instelling.stil_van, instelling.stil_tot = stil_van, stil_tot
    instelling.save()
    return instelling


def _plan(rows: list[Notificatie]) -> None:
    """Each person's choice for each row (at once after quiet hours, a digest, not at all),
    read in one query; a team's shared address hears everything at once."""
    now = timezone.now()
    saved = voorkeuren.instellingen(row.ontvanger_id for row in rows if row.ontvanger_id)
    for row in rows:
        if row.ontvanger_id:
            voorkeuren.plan(row, saved.get(row.ontvanger_id), now)


def queue_account_mail(message: EmailMessage) -> None:
    """Queue one of allauth's account mails (verification, password reset, login code, security
    notice), rendered in the request: its one-time link cannot be rebuilt at send time.

    Each call is a new message (a resent verification too): the event is a random 63-bit id.
    Address and text stay on the row only until it is sent or fails for good.
    """
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if "html" in mimetype
        ),
        "",
    )
    tekst = message.body
    if message.content_subtype == "html":  # allauth found an HTML template only
        tekst, html = "", message.body
    with transaction.atomic():
        rows = [
            Notificatie(
                soort=Notificatie.Soort.ACCOUNT,
                object_id=secrets.randbits(63),
                adres=address,
                onderwerp=message.subject,
                tekst=tekst,
                html=html,
            )
            for address in message.to
        ]
        Notificatie.objects.bulk_create(rows)
        transaction.on_commit(kick)


def kick() -> None:
    """Ask a worker to deliver now; with the broker down beat's run every minute will."""
    from . import tasks

    enqueue(tasks.relay_notificaties)


def notificaties_relay() -> Counter:
    """Deliver what is due, batch by batch; returns how many were sent, lapsed, failed…"""
    outcome = Counter()
    for _ in range(MAX_BATCHES):
        token, ids = claim_due(Notificatie)
        if not ids:
            break
        for pk in ids:
            outcome[_deliver(pk, token)] += 1
    # Then the pushes, among them those the deliveries above just queued (docs/adr/0015).
    outcome.update(push.push_relay())
    return outcome


def claim_due(model) -> tuple[uuid.UUID, list[int]]:
    """Take a batch of due rows of ``model`` (``Notificatie`` or ``PushBericht``: the same
    columns) for one lease. Rows another worker holds are skipped; a row whose lease ran out
    (its worker died) is due again."""
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(status=Status.WACHTEND, next_attempt_at__lte=now)
            .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        model.objects.filter(pk__in=ids).update(
            claim=token,
            claimed_until=now + timedelta(seconds=settings.WIJKAANPAK_NOTIFICATIE_LEASE),
            attempts=F("attempts") + 1,
        )
    return token, ids


def _deliver(pk: int, token: uuid.UUID) -> str:
    with transaction.atomic():
        # The row lock is held while sending: no one can claim it meanwhile, and if this
        # process dies the lock goes with its connection while the claim stays until the lease
        # runs out.
        row = (
            Notificatie.objects.select_for_update(of=("self",))
            .select_related("ontvanger", "team")
            .filter(pk=pk, claim=token, status=Status.WACHTEND)
            .filter(claimed_until__gt=timezone.now())
            .first()
        )
        if row is None:
            return "lease_lost"  # taken over after the lease ran out; leave it to that worker
        try:
            with transaction.atomic():  # a failing query while rendering spoils no more
                message = _message(row)
                if message is not None:
                    message.send()
        except Exception as exc:
            return _attempt_failed(row, exc)
        row.status = Status.VERZONDEN if message is not None else Status.VERVALLEN
        row.finished_at = timezone.now()
        if message is not None:
            push.queue_pushes(row)  # with "sent", in this transaction: once per device
        else:
            selectors.ongelezen_veranderd([row.ontvanger_id])  # lapsed: out of the inbox
        row.claim = row.claimed_until = None
        row.last_error = ""
        row.save(
            update_fields=[
                "status",
                "finished_at",
                "claim",
                "claimed_until",
                "last_error",
                *_erase(row),
            ]
        )
    return row.status


def _erase(row: Notificatie) -> list[str]:
    """Handled: an account message's address and text (its one-time link) are not kept."""
    if row.soort != Notificatie.Soort.ACCOUNT:
        return []
    row.adres = ""
    row.onderwerp = row.tekst = row.html = ""
    return ["adres", "onderwerp", "tekst", "html"]


def _message(row: Notificatie) -> EmailMessage | None:
    if row.soort == Notificatie.Soort.ACCOUNT:
        return _stored_message(row)
    address = _address(row)
    if not address:
        return None
    with translation.override(language_of(row)):
        rendered = soorten.render(row)
        if rendered is None:
            return None
        template, context = rendered
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    # A subject is one line, whatever a title typed into a form held.
    return EmailMessage(subject=single_line(subject), body=body, to=[address])


def _stored_message(row: Notificatie) -> EmailMessage | None:
    """An account message as allauth rendered it in the request; None once erased."""
    if not row.adres or not (row.tekst or row.html):
        return None
    if not row.tekst:
        message = EmailMessage(subject=row.onderwerp, body=row.html, to=[row.adres])
        message.content_subtype = "html"
        return message
    message = EmailMultiAlternatives(subject=row.onderwerp, body=row.tekst, to=[row.adres])
    if row.html:
        message.attach_alternative(row.html, "text/html")
    return message


def _address(row: Notificatie) -> str:
    if row.ontvanger_id:
        return row.ontvanger.email if row.ontvanger.is_active else ""
    return row.team.email


def language_of(row: Notificatie) -> str:
    """The language of a message: the one its recipient uses the site in (``User.taal``), read
    now, when it is sent. Not stored on the row: a switch between the event and the sending
    counts, a retry hours later follows a switch made meanwhile, and the row already reads its
    recipient (``select_related``), so this costs no query. A team's shared address has no one
    who chose: it gets the site's language, as does anything the site no longer offers."""
    taal = getattr(row.ontvanger, "taal", None) if row.ontvanger_id else None
    return taal if taal in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def settle_failed_attempt(row, error: str, *, erase=lambda row: []) -> str:
    """After a failed attempt on an outbox row (an e-mail, or a push: the same columns), with
    ``error`` as the row keeps it: the claim let go, and the next attempt after the backoff, or
    after ``MAX_ATTEMPTS`` failed for good, when ``erase(row)`` wipes what must not outlive it
    (the names of the fields it cleared). "failed" or "retry"."""
    row.last_error = error
    row.claim = row.claimed_until = None
    erased = []
    if row.attempts >= MAX_ATTEMPTS:
        row.status = Status.MISLUKT
        row.finished_at = timezone.now()
        erased = erase(row)
    else:
        row.next_attempt_at = timezone.now() + backoff(row.attempts)
    row.save(
        update_fields=[
            "last_error",
            "claim",
            "claimed_until",
            "status",
            "finished_at",
            "next_attempt_at",
            *erased,
        ]
    )
    return "failed" if row.status == Status.MISLUKT else "retry"


def _attempt_failed(row: Notificatie, exc: Exception) -> str:
    outcome = settle_failed_attempt(row, describe(exc), erase=_erase)
    logger.warning(
        "notification not sent",
        extra={"notificatie": row.pk, "attempt": row.attempts, "error": row.last_error},
    )
    return outcome


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: the base after the first failure, doubling, at most 6 hours."""
    base = settings.WIJKAANPAK_NOTIFICATIE_BACKOFF
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def describe(exc: Exception) -> str:
    """The error for the admin: its kind and SMTP code, never the address or the message."""
    codes = []
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _reply in exc.recipients.values()})
    elif isinstance(exc, smtplib.SMTPResponseException):
        codes = [exc.smtp_code]
    return " ".join([type(exc).__name__, *map(str, codes)])[:200]


@transaction.atomic
def notificaties_retry(*, ids) -> int:
    """Send failed (or waiting) notifications again now, with a fresh count of attempts. A
    failed account message is not among them: its text is erased, whoever needs it asks anew."""
    now = timezone.now()
    count = (
        Notificatie.objects.filter(pk__in=ids, status__in=[Status.MISLUKT, Status.WACHTEND])
        .exclude(claimed_until__gt=now)
        .exclude(soort=Notificatie.Soort.ACCOUNT, status=Status.MISLUKT)
        .update(
            status=Status.WACHTEND,
            attempts=0,
            next_attempt_at=now,
            finished_at=None,
            claim=None,
            claimed_until=None,
        )
    )
    if count:
        transaction.on_commit(kick)
    return count


def overzichten_versturen(*, bundel: str, extra: dict[int, dict] | None = None) -> int:
    """Write this period's digest (the day, or the ISO week) for everyone with notices waiting
    for it, and for the people in ``extra`` even without (the weekly buurt news:
    ``{user_id: params}``, what the digest says beside the notices). Returns how many.

    Exactly once per person and period: the rows gathered are locked and marked as sent in
    the digest in the transaction that writes it, and the digest's event is the period
    (``voorkeuren.period_key``), unique per person in the outbox. A second run, or one after
    a crash, finds the digest written and leaves what came in since for the next period."""
    from django.contrib.auth import get_user_model

    now = timezone.now()
    key = voorkeuren.period_key(bundel, timezone.localdate(now))
    soort = DIGEST_SOORT[bundel]
    extra = extra or {}
    waiting = Notificatie.objects.filter(
        status=Status.GEBUNDELD, bundel=bundel, created_at__lte=now
    )
    people = set(waiting.values_list("ontvanger_id", flat=True).distinct()) | set(extra)
    users = get_user_model().objects

    @transaction.atomic
    def digest(user_id: int) -> bool:
        ids = list(
            waiting.filter(ontvanger_id=user_id)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if Notificatie.objects.filter(soort=soort, object_id=key, ontvanger_id=user_id).exists():
            return False
        if not ids and user_id not in extra:
            return False
        notify(
            soort=soort,
            object_id=key,
            ontvangers=[users.get(pk=user_id)],
            params={"notificaties": ids, **extra.get(user_id, {})},
            relay=False,
        )
        Notificatie.objects.filter(pk__in=ids).update(status=Status.IN_OVERZICHT, finished_at=now)
        return True

    written = batch.each(sorted(people), digest, what="digest").done
    if written:
        kick()
    return written


DIGEST_SOORT = {
    voorkeuren.Keuze.DAG: Notificatie.Soort.OVERZICHT_DAG,
    voorkeuren.Keuze.WEEK: Notificatie.Soort.OVERZICHT_WEEK,
}


def notificaties_purge() -> int:
    """Forget handled notifications after the retention period: a row says who was told about
    what (a reporter about their melding), so it is kept no longer than it helps. What shows in
    a person's inbox (``selectors.berichten``) stays there ``WIJKAANPAK_BERICHTEN_KEEP_DAYS``
    after it was written; everything else (a team's copy, a lapsed row, account mail) goes
    ``WIJKAANPAK_NOTIFICATIE_KEEP_DAYS`` after it was handled, unless its kind keeps it while
    what it is about is current (``soorten.register_bewaren``)."""
    now = timezone.now()
    handled = Notificatie.objects.exclude(status=Status.WACHTEND).filter(
        finished_at__lt=now - timedelta(days=settings.WIJKAANPAK_NOTIFICATIE_KEEP_DAYS)
    )
    in_inbox = Q(
        ontvanger__isnull=False,
        soort__in=soorten.in_site(),
        created_at__gte=now - timedelta(days=settings.WIJKAANPAK_BERICHTEN_KEEP_DAYS),
    ) & ~Q(status=Status.VERVALLEN)
    gone = handled.exclude(in_inbox)
    # Rows that keep a notice from going out twice stay while their object is current
    # (``soorten.register_bewaren``): an invitation to an activity still to come.
    for soort, keeper in soorten.keepers().items():
        about = set(gone.filter(soort=soort).values_list("object_id", flat=True))
        kept = keeper(about) if about else set()
        if kept:
            gone = gone.exclude(soort=soort, object_id__in=kept)
    deleted, _ = gone.delete()
    return deleted


# --- The inbox in the site -------------------------------------------------------------------


def berichten_gelezen(*, user, ids=None, tot: int | None = None) -> int:
    """Mark ``user``'s own unread notices read: those with the given ``ids``, or (``tot``) every
    one up to that id, the newest the page showed, so that "alles gelezen" does not take
    along a notice that arrived after the page was drawn. Returns how many."""
    rows = selectors.berichten(user).filter(gelezen_at=None)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    if tot is not None:
        rows = rows.filter(pk__lte=tot)
    count = rows.update(gelezen_at=timezone.now())
    selectors.ongelezen_veranderd([user.pk])
    return count


def berichten_gelezen_over(*, user, events: dict) -> int:
    """Opening a page marks the notices about it read, as opening them in the inbox does (a
    reporter who opens their melding has read the news about it). ``events`` maps a kind to
    the ids of its events (a list or a queryset of ids); one update."""
    about = Q()
    for soort, object_ids in events.items():
        about |= Q(soort=soort, object_id__in=object_ids)
    count = Notificatie.objects.filter(about, ontvanger=user, gelezen_at=None).update(
        gelezen_at=timezone.now()
    )
    selectors.ongelezen_veranderd([user.pk])
    return count
