"""Web push through the outbox (docs/adr/0015-web-push.md).

A person's devices (``PushAbonnement``) are added and removed here. When the relay delivers a
notification of a push-worthy kind, it queues one ``PushBericht`` per device of the recipient
in the same transaction that marks the notification sent (``queue_pushes``); the same relay
run then pushes them with the outbox's claim, lease, backoff and failed status. A device whose
push service answers 404 or 410 is forgotten.

What a push says is rendered when it is sent, from the notification's renderer: its e-mail
subject as the title, one fixed line per kind (``PUSH_TEKST``, nothing about anyone) and the
link. A notification that lapsed (its cause gone) lapses here too.
"""

import json
import logging
from collections import Counter
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wijkaanpak.singleline import single_line

from . import services, soorten, webpush
from .models import Notificatie, PushAbonnement, PushBericht

logger = logging.getLogger(__name__)

Soort = Notificatie.Soort
Status = Notificatie.Status

# The kinds pushed by default, each with its one line: news about me, and for officers and
# coordinators what cannot wait. Everything else stays e-mail only.
PUSH_TEKST = {
    Soort.TERUGKOPPELING: _("Er is nieuws over je melding."),
    Soort.WACHTLIJST: _("Er is een plek voor je vrijgekomen."),
    Soort.VERZOEK_BESLUIT: _("Er is een besluit over je verzoek."),
    Soort.TERMIJN_VERSTREKEN: _("Een melding met hoge prioriteit wacht op een reactie."),
    Soort.INTIMIDATIE: _("Een bewoner vraagt steun na intimidatie."),
    # Pushed only when the row goes out on its own: an officer's default, a resident's choice
    # of "at once" (``voorkeuren``); in a digest it is not pushed.
    Soort.HOGE_PRIORITEIT: _("Een melding met hoge prioriteit in je gebied."),
    Soort.NIEUWE_ACTIVITEIT: _("Een buur organiseert iets in je buurt."),
}
URGENT = frozenset({Soort.TERMIJN_VERSTREKEN, Soort.INTIMIDATIE, Soort.HOGE_PRIORITEIT})
# A push not delivered to the device within a day is dropped by the push service: by then
# the e-mail and the site say it.
TTL_SECONDS = 24 * 3600
MAX_DEVICES = 10  # per person; a new one beyond replaces the oldest
TITLE_CHARS = 80


# --- whether and when a notification is pushed ------------------------------------------------


def push_due_at(row: Notificatie, *, now: datetime) -> datetime | None:
    """THE place that decides whether a delivered notification also goes by push, and when:
    None for "not by push", else the moment it is due. Today: the kinds of ``PUSH_TEKST`` to
    a person (not a team's address), at once. A person's choice per kind and quiet hours
    ("night-time pushes wait for the morning") belong here, as that None or a later time."""
    if row.soort not in PUSH_TEKST or not row.ontvanger_id:
        return None
    return now


def queue_pushes(row: Notificatie) -> int:
    """Queue a push of ``row`` to each of its recipient's devices; called by the relay in the
    transaction that marks ``row`` sent, so a row is queued once (and the unique pair of
    notification and device guards it besides)."""
    if not webpush.enabled():
        return 0
    due = push_due_at(row, now=timezone.now())
    if due is None:
        return 0
    devices = PushAbonnement.objects.filter(user_id=row.ontvanger_id).values_list("pk", flat=True)
    rows = [PushBericht(notificatie=row, abonnement_id=pk, next_attempt_at=due) for pk in devices]
    PushBericht.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --- devices ----------------------------------------------------------------------------------


@transaction.atomic
def push_subscribe(*, user, endpoint: str, p256dh: str, auth: str, apparaat: str = ""):
    """Remember this device for ``user``. The same endpoint again updates its keys; an endpoint
    another account held (a shared computer) starts afresh, so nothing queued for that account
    reaches this one."""
    if not webpush.enabled():
        raise ValidationError(_("Meldingen op apparaten staan uit op deze site."))
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise ValidationError(_("Dit apparaat gaf een onbruikbaar adres."))
    if not webpush.service_allowed(endpoint):
        raise ValidationError(_("Deze pushdienst kennen we niet."))
    if not (isinstance(p256dh, str) and isinstance(auth, str) and webpush.valid_keys(p256dh, auth)):
        raise ValidationError(_("Dit apparaat gaf onbruikbare sleutels."))
    existing = PushAbonnement.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is not None and existing.user_id != user.pk:
        existing.delete()
        existing = None
    abonnement = existing or PushAbonnement(user=user, endpoint=endpoint)
    abonnement.p256dh, abonnement.auth = p256dh, auth
    abonnement.apparaat = Truncator(single_line(apparaat or "")).chars(40)
    abonnement.save()
    others = PushAbonnement.objects.filter(user=user).exclude(pk=abonnement.pk)
    surplus = others.order_by("-created_at", "-pk").values_list("pk", flat=True)[MAX_DEVICES - 1 :]
    PushAbonnement.objects.filter(pk__in=list(surplus)).delete()
    return abonnement


def push_unsubscribe(*, user, endpoint: str) -> int:
    """Forget this device for ``user`` (what was queued for it goes with it)."""
    deleted, _by_model = PushAbonnement.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted


def push_subscribed(*, user, endpoint: str) -> bool:
    return PushAbonnement.objects.filter(user=user, endpoint=endpoint).exists()


# --- delivery ---------------------------------------------------------------------------------


def push_relay() -> Counter:
    """Push what is due, batch by batch (run by the notification relay); returns outcomes as
    ``push_sent``, ``push_gone``, ``push_retry``…"""
    outcome = Counter()
    if not webpush.enabled():
        return outcome
    for _batch in range(services.MAX_BATCHES):
        token, ids = services.claim_due(PushBericht)
        if not ids:
            break
        for pk in ids:
            outcome[f"push_{_deliver(pk, token)}"] += 1
    return outcome


def _deliver(pk: int, token) -> str:
    with transaction.atomic():
        # As for e-mail: the row lock is held while the push service is asked, and "sent" is
        # committed with it (docs/adr/0010 and 0015 say what this leaves open).
        row = (
            PushBericht.objects.select_for_update(of=("self",))
            .select_related("abonnement", "notificatie__ontvanger")
            .filter(pk=pk, claim=token, status=Status.WACHTEND)
            .filter(claimed_until__gt=timezone.now())
            .first()
        )
        if row is None:
            return "lease_lost"
        try:
            with transaction.atomic():
                payload = _payload(row.notificatie)
                if payload is not None:
                    status = _send(row, payload)
        except Exception as exc:
            return _attempt_failed(row, exc)
        now = timezone.now()
        if payload is not None and status in webpush.GONE:
            # The browser unsubscribed or the person cleared the site's data: forget the
            # device (and anything else queued for it).
            row.abonnement.delete()
            return "gone"
        if payload is not None and not 200 <= status < 300:
            return _attempt_failed(row, webpush.PushRefused(status))
        row.status = Status.VERZONDEN if payload is not None else Status.VERVALLEN
        row.finished_at = now
        row.claim = row.claimed_until = None
        row.last_error = ""
        row.save(update_fields=["status", "finished_at", "claim", "claimed_until", "last_error"])
        if payload is not None:
            PushAbonnement.objects.filter(pk=row.abonnement_id).update(last_success_at=now)
    return "sent" if payload is not None else "lapsed"


def _send(row: PushBericht, payload: bytes) -> int:
    abonnement = row.abonnement
    return webpush.send(
        endpoint=abonnement.endpoint,
        p256dh=abonnement.p256dh,
        auth=abonnement.auth,
        payload=payload,
        now=int(timezone.now().timestamp()),
        ttl=TTL_SECONDS,
        # A second push of the same notification (the window after a crash) replaces the
        # first at the push service while undelivered; on the device the tag replaces it.
        topic=f"n{row.notificatie_id}",
        urgency="high" if row.notificatie.soort in URGENT else "normal",
    )


def _payload(notificatie: Notificatie) -> bytes | None:
    """Title, one line and link, in the recipient's language; None when the notification's
    cause is gone (the push lapses, as the e-mail would)."""
    line = PUSH_TEKST.get(notificatie.soort)
    if line is None:
        return None
    with translation.override(services.language_of(notificatie)):
        rendered = soorten.render(notificatie)
        if rendered is None:
            return None
        template, context = rendered
        titel = single_line(render_to_string(f"{template}_subject.txt", context))
        tekst = str(line)
    message = {
        "titel": Truncator(titel).chars(TITLE_CHARS),
        "tekst": tekst,
        "url": context.get("url") or soorten.site_url("/"),
        "tag": f"n{notificatie.pk}",
    }
    return json.dumps(message, ensure_ascii=False).encode()


def _attempt_failed(row: PushBericht, exc: Exception) -> str:
    outcome = services.settle_failed_attempt(row, describe(exc))
    # The row's id and the error's kind: never the endpoint (it identifies a device).
    logger.warning(
        "push not sent",
        extra={"pushbericht": row.pk, "attempt": row.attempts, "error": row.last_error},
    )
    return outcome


@transaction.atomic
def push_retry(*, ids) -> int:
    """Push failed (or waiting) pushes again now, with a fresh count of attempts."""
    now = timezone.now()
    count = (
        PushBericht.objects.filter(pk__in=ids, status__in=[Status.MISLUKT, Status.WACHTEND])
        .exclude(claimed_until__gt=now)
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
        transaction.on_commit(services.kick)
    return count


def describe(exc: Exception) -> str:
    """The error for the admin: its kind and the push service's status, nothing else."""
    if isinstance(exc, webpush.PushRefused):
        return f"PushRefused {exc.status}"
    return type(exc).__name__[:200]
