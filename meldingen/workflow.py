"""The states of a melding and the transitions between them: one small table, every state
reachable, each transition named after what the person does."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    ONTVANGEN = "ontvangen", _("Ontvangen")
    GEROUTEERD = "gerouteerd", _("Klaar voor behandeling")
    GEZIEN = "gezien", _("Gezien")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    AFGESLOTEN = "afgesloten", _("Afgesloten")
    DOORGEZET = "doorgezet", _("Doorgegeven")
    HEROPEND = "heropend", _("Heropend")


OPEN = (Status.GEROUTEERD, Status.GEZIEN, Status.IN_BEHANDELING, Status.HEROPEND)
CLOSED = (Status.AFGESLOTEN, Status.DOORGEZET)
# Waiting for a handler's first reaction (seen, taken, closed, passed on): the deadline the
# triage set is about these. Received is routing's few seconds.
AWAITS_RESPONSE = (Status.ONTVANGEN, Status.GEROUTEERD, Status.HEROPEND)


class Actie(models.TextChoices):
    ROUTEREN = "routeren", _("Routeren")
    ERKENNEN = "erkennen", _("Gezien")
    OPPAKKEN = "oppakken", _("Oppakken")
    AFSLUITEN = "afsluiten", _("Afsluiten")
    DOORZETTEN = "doorzetten", _("Doorgeven")
    HEROPENEN = "heropenen", _("Heropenen")


# action → (allowed from, to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    Actie.ROUTEREN: ((Status.ONTVANGEN,), Status.GEROUTEERD),
    Actie.ERKENNEN: ((Status.GEROUTEERD, Status.HEROPEND), Status.GEZIEN),
    Actie.OPPAKKEN: ((Status.GEROUTEERD, Status.GEZIEN, Status.HEROPEND), Status.IN_BEHANDELING),
    Actie.AFSLUITEN: (OPEN, Status.AFGESLOTEN),
    Actie.DOORZETTEN: (OPEN, Status.DOORGEZET),
    Actie.HEROPENEN: (CLOSED, Status.HEROPEND),
}

# Actions that tell the reporter something and therefore need a message.
NEEDS_FEEDBACK = frozenset({Actie.AFSLUITEN, Actie.DOORZETTEN})
# Officers' actions, offered in the feed; routing is the system's, reopening the reporter's.
HANDLING_ACTIONS = (Actie.ERKENNEN, Actie.OPPAKKEN, Actie.AFSLUITEN, Actie.DOORZETTEN)

PASSED_ON_TEXT = _(
    "Je melding is doorgegeven aan de juiste instantie. Meer details kunnen we niet delen. "
    "Dank voor je melding: die helpt om een beeld van de buurt te krijgen."
)


class TransitionNotAllowed(ValidationError):
    """``actie`` is not in the table from the melding's current state."""

    def __init__(self, current: str, actie: str):
        super().__init__(
            _gettext("Dit kan niet meer: de melding is inmiddels '%(status)s'.")
            % {"status": Status(current).label}
        )
        self.current, self.actie = current, actie


def target_of(actie: str, current: str) -> str | None:
    """The state ``actie`` leads to from ``current``, or None when it is not allowed."""
    sources, target = TRANSITIONS[actie]
    return target if current in sources else None


def next_status(current: str, actie: str) -> str:
    """The state ``actie`` leads to from ``current``; raises :class:`TransitionNotAllowed` for a
    pair the table does not hold. Every status change asks this (``services._move``)."""
    target = target_of(actie, current)
    if target is None:
        raise TransitionNotAllowed(current, actie)
    return target


def allowed_actions(current: str, actions=HANDLING_ACTIONS) -> list[str]:
    return [actie for actie in actions if target_of(actie, current)]
