"""The receipt a reporter gets: the reference to quote, who handles the melding, by when they
hear from us, and what happens next. The page and the confirmation e-mail both read it here.

Routing runs in a Celery task just after the melding is saved, so the receipt may be asked for
before it ran. It then gives what the routing will decide, by the same rules on the same data
(``routing.decide``, ``triage.expected``), and says so (``vastgesteld`` is False): the handler
is the one the task will pick unless an administrator changes the rules in those seconds, and
the deadline is the latest it can be (a neighbour's "ik ook" can only raise the priority).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from . import routing, triage
from .models import Doel, Melding
from .workflow import Status

# Who handles it, as a resident reads it.
BEHANDELAAR = {
    Doel.POLITIE: _("de politie"),
    Doel.HANDHAVING: _("handhaving (de handhavers van de gemeente)"),
    Doel.GEMEENTE: _("de gemeente (openbare ruimte)"),
    Doel.BUURT: _("de wijkcoördinator, samen met de buurt"),
    Doel.COORDINATOR: _("de wijkcoördinator"),
}

# What happens next, one sentence per handler.
VERVOLG = {
    Doel.POLITIE: _(
        "De politie bekijkt je melding en beslist of en hoe ze optreedt. Soms kan ze niet "
        "vertellen wat ze doet; je hoort wel wanneer de melding is afgehandeld."
    ),
    Doel.HANDHAVING: _(
        "Handhaving bekijkt je melding en gaat zo nodig langs. Je hoort wat er is gedaan."
    ),
    Doel.GEMEENTE: _(
        "De gemeente plant het herstel of onderhoud in. Je hoort wanneer het is opgepakt en "
        "wanneer het klaar is."
    ),
    Doel.BUURT: _(
        "De wijkcoördinator bekijkt met de buurt wat jullie samen kunnen doen, bijvoorbeeld een "
        "gesprek of bemiddeling, en neemt contact met je op."
    ),
    Doel.COORDINATOR: _(
        "De wijkcoördinator bekijkt je melding en zorgt dat de juiste partij die oppakt. Je "
        "hoort van de coördinator wie dat is."
    ),
}

# "vrijdag 4 december 12:00", in the reader's language and Amsterdam's time.
DEADLINE_FORMAT = "l j F H:i"


def local_deadline(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), DEADLINE_FORMAT)


NAZORG = _(
    "Omdat je wordt bedreigd of geïntimideerd, neemt ook de wijkcoördinator contact met je op "
    "voor steun."
)


@dataclass(frozen=True)
class Ontvangst:
    referentie: str
    doel: str
    deadline: datetime | None
    vastgesteld: bool  # routed: the triage's decision; else what it will decide (see above)
    intimidatie: bool = False

    @property
    def behandelaar(self) -> str:
        return BEHANDELAAR[self.doel]

    @property
    def vervolg(self) -> str:
        return VERVOLG[self.doel]

    @property
    def deadline_text(self) -> str:
        return local_deadline(self.deadline) if self.deadline else ""

    @property
    def nazorg(self) -> str:
        return NAZORG if self.intimidatie else ""


def ontvangst(melding: Melding) -> Ontvangst:
    """The receipt of ``melding`` (with its category and buurt; a few queries before routing)."""
    intimidatie = melding.categorie.is_intimidatie
    if melding.status != Status.ONTVANGEN:
        return Ontvangst(
            referentie=melding.referentie,
            doel=melding.doel or Doel.COORDINATOR,
            deadline=melding.deadline_at,
            vastgesteld=True,
            intimidatie=intimidatie,
        )
    decision = routing.decide(
        categorie=melding.categorie, buurt=melding.buurt, at=melding.created_at
    )
    _prioriteit, deadline = triage.expected(melding)
    return Ontvangst(
        referentie=melding.referentie,
        doel=decision.doel,
        deadline=deadline,
        vastgesteld=False,
        intimidatie=intimidatie,
    )
