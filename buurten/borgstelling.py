"""The vouching rule ("borgstelling"), in one place: who may vouch, how often, and how long
the coordinator can undo an admission by vouching. Services enforce it, views and templates ask
it; ADR 0003 and the README explain it.

- A member vouches only with **standing**: verified by the coordinator at least
  ``STANDING_AFTER_APPROVAL`` ago, or admitted by vouching at least ``REVIEW_PERIOD`` ago (once
  the coordinator's chance to undo it has passed). A member who joined with an **invite code
  never vouches**: the code is printed on flyers and passed on, so it shows that someone saw a
  flyer, not where they live, and waiting does not make it more.
- A member vouches for at most ``VOUCHES_PER_PERIOD`` neighbours per ``VOUCH_PERIOD``.
- An admission by vouching is shown to the coordinators of the area (queue page and e-mail)
  and can be undone by them during ``REVIEW_PERIOD``, with a reason the resident sees.
- Once a coordinator undid a resident's admission by vouching in a buurt, neighbours cannot
  vouch that resident into that buurt again: the coordinator (or an invite code) decides.

So trust always starts at a coordinator's approval, and a chain of vouching grows slowly: each
link waits out the coordinator's review before it can vouch in turn.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Borgstelling, Lidmaatschap

STANDING_AFTER_APPROVAL = timedelta(days=30)
REVIEW_PERIOD = timedelta(days=90)
VOUCHES_PER_PERIOD = 3
VOUCH_PERIOD = timedelta(days=30)

# How long after joining a member has standing, by how they joined (absent: never).
STANDING_AFTER = {
    Lidmaatschap.Via.COORDINATOR: STANDING_AFTER_APPROVAL,
    Lidmaatschap.Via.BORGSTELLING: REVIEW_PERIOD,
}


@dataclass(frozen=True)
class Standing:
    """Whether a member may vouch now, and if not, why (for the resident, in Dutch)."""

    may_vouch: bool
    reason: str = ""


def _since(lidmaatschap: Lidmaatschap) -> datetime:
    return lidmaatschap.decided_at or lidmaatschap.created_at


def _day(moment: datetime) -> str:
    return date_format(timezone.localdate(moment), "j F Y")


def recent_vouches(user, *, now: datetime | None = None):
    now = now or timezone.now()
    return Borgstelling.objects.filter(borg=user, created_at__gt=now - VOUCH_PERIOD)


def standing(lidmaatschap: Lidmaatschap | None, *, now: datetime | None = None) -> Standing:
    """May the holder of this (verified) membership vouch for a neighbour in its buurt now?"""
    now = now or timezone.now()
    if lidmaatschap is None or lidmaatschap.status != Lidmaatschap.Status.LID:
        return Standing(False, _("Alleen geverifieerde leden van de buurt kunnen instaan."))
    wait = STANDING_AFTER.get(lidmaatschap.via)
    if wait is None:
        return Standing(
            False,
            _(
                "Je bent lid geworden met een uitnodigingscode. Zo'n code staat op een flyer en "
                "zegt niet waar iemand woont, daarom kun je niet voor buren instaan. De "
                "wijkcoördinator kan hun aanvraag goedkeuren."
            ),
        )
    from_moment = _since(lidmaatschap) + wait
    if now < from_moment:
        return Standing(
            False,
            _("Je kunt voor buren instaan vanaf %(datum)s, %(dagen)s dagen nadat je lid werd.")
            % {"datum": _day(from_moment), "dagen": wait.days},
        )
    recent = list(
        recent_vouches(lidmaatschap.user_id, now=now)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) >= VOUCHES_PER_PERIOD:
        again = recent[len(recent) - VOUCHES_PER_PERIOD] + VOUCH_PERIOD
        return Standing(
            False,
            _(
                "Je hebt de afgelopen %(dagen)s dagen al voor %(aantal)s buren ingestaan, het "
                "maximum. Je kunt weer instaan vanaf %(datum)s."
            )
            % {
                "dagen": VOUCH_PERIOD.days,
                "aantal": VOUCHES_PER_PERIOD,
                "datum": _day(again),
            },
        )
    return Standing(True)


def undone_before(*, user, buurt) -> QuerySet[Lidmaatschap]:
    """The resident's earlier admissions to this buurt by vouching that a coordinator undid."""
    return Lidmaatschap.objects.filter(
        user=user,
        buurt=buurt,
        status=Lidmaatschap.Status.AFGEWEZEN,
        via=Lidmaatschap.Via.BORGSTELLING,
    )


def undo_until(lidmaatschap: Lidmaatschap) -> datetime | None:
    """Until when the coordinator can undo this admission (None: it was not by vouching)."""
    if lidmaatschap.via != Lidmaatschap.Via.BORGSTELLING or lidmaatschap.decided_at is None:
        return None
    return lidmaatschap.decided_at + REVIEW_PERIOD


def can_be_undone(lidmaatschap: Lidmaatschap, *, now: datetime | None = None) -> bool:
    until = undo_until(lidmaatschap)
    return (
        lidmaatschap.status == Lidmaatschap.Status.LID
        and until is not None
        and (now or timezone.now()) < until
    )


def vouches_needed() -> int:
    return settings.WIJKAANPAK_VOUCHES_NEEDED
