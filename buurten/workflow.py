"""The states of a membership and the transitions between them: one table, every state
reachable, each transition named after what someone did. ``services._move`` is the one place
that changes a membership's state; it asks :func:`next_status` and appends the history."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
    LID = "lid", _("Geverifieerd lid")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    # Context: an invite code is "ingetrokken" too, in English "revoked"; this is "withdrawn".
    INGETROKKEN = "ingetrokken", pgettext_lazy("lidmaatschap", "Ingetrokken")
    BEEINDIGD = "beeindigd", _("Beëindigd")


# A membership that does not exist yet: the state an aanvraag or an invite code starts from.
NIEUW = ""

ACTIVE = (Status.AANGEVRAAGD, Status.LID)


class Actie(models.TextChoices):
    AANVRAGEN = "aanvragen", _("Aangevraagd")
    CODE = "code", _("Uitnodigingscode gebruikt")
    GOEDKEUREN = "goedkeuren", _("Goedgekeurd")
    INSTAAN = "instaan", _("Buren stonden in")
    AFWIJZEN = "afwijzen", _("Afgewezen")
    TERUGDRAAIEN = "terugdraaien", _("Borgstelling teruggedraaid")
    INTREKKEN = "intrekken", _("Aanvraag ingetrokken")
    BEEINDIGEN = "beeindigen", _("Lidmaatschap beëindigd")


# action → (allowed from, to). An undone admission ends as turned down with ``via`` kept
# (``borgstelling.undone_before``); a withdrawn aanvraag was never a membership.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    Actie.AANVRAGEN: ((NIEUW,), Status.AANGEVRAAGD),
    Actie.CODE: ((NIEUW, Status.AANGEVRAAGD), Status.LID),
    Actie.GOEDKEUREN: ((Status.AANGEVRAAGD,), Status.LID),
    Actie.INSTAAN: ((Status.AANGEVRAAGD,), Status.LID),
    Actie.AFWIJZEN: ((Status.AANGEVRAAGD,), Status.AFGEWEZEN),
    Actie.TERUGDRAAIEN: ((Status.LID,), Status.AFGEWEZEN),
    Actie.INTREKKEN: ((Status.AANGEVRAAGD,), Status.INGETROKKEN),
    Actie.BEEINDIGEN: ((Status.LID,), Status.BEEINDIGD),
}


class TransitionNotAllowed(ValidationError):
    """``actie`` is not in the table from the membership's current state."""

    def __init__(self, current: str, actie: str):
        super().__init__(_gettext("Dit kan niet (meer): over dit lidmaatschap is al besloten."))
        self.current, self.actie = current, actie


def allows(current: str, actie: str) -> bool:
    return current in TRANSITIONS[actie][0]


def next_status(current: str, actie: str) -> str:
    """The state ``actie`` leads to from ``current``; refuses a pair the table does not hold."""
    if not allows(current, actie):
        raise TransitionNotAllowed(current, actie)
    return TRANSITIONS[actie][1]
