"""The states of a faciliteringsverzoek and its transitions: concept → ingediend →
(aanvulling gevraagd ↔ ingediend) → toegekend / afgewezen → uitgevoerd → verantwoord."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    INGEDIEND = "ingediend", _("Ingediend")
    AANVULLING = "aanvulling_gevraagd", _("Aanvulling gevraagd")
    TOEGEKEND = "toegekend", _("Toegekend")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    UITGEVOERD = "uitgevoerd", _("Uitgevoerd")
    VERANTWOORD = "verantwoord", _("Verantwoord")
    INGETROKKEN = "ingetrokken", pgettext_lazy("verzoek", "Ingetrokken")


# action → (allowed from, to, who: "aanvrager" | "coordinator" | "systeem")
TRANSITIONS = {
    "indienen": ((Status.CONCEPT, Status.AANVULLING), Status.INGEDIEND, "aanvrager"),
    "aanvulling_vragen": ((Status.INGEDIEND,), Status.AANVULLING, "coordinator"),
    "toekennen": ((Status.INGEDIEND,), Status.TOEGEKEND, "coordinator"),
    "stilzwijgend_toekennen": ((Status.INGEDIEND,), Status.TOEGEKEND, "systeem"),
    "afwijzen": ((Status.INGEDIEND, Status.AANVULLING), Status.AFGEWEZEN, "coordinator"),
    "uitgevoerd": ((Status.TOEGEKEND,), Status.UITGEVOERD, "aanvrager"),
    "verantwoorden": ((Status.UITGEVOERD,), Status.VERANTWOORD, "aanvrager"),
    "intrekken": (
        (Status.CONCEPT, Status.INGEDIEND, Status.AANVULLING),
        Status.INGETROKKEN,
        "aanvrager",
    ),
}
OPEN = (Status.INGEDIEND, Status.AANVULLING)
# Approved, whatever happened since: the money granted.
GRANTED = (Status.TOEGEKEND, Status.UITGEVOERD, Status.VERANTWOORD)


def target_of(actie: str, current: str) -> str | None:
    sources, target, _who = TRANSITIONS[actie]
    return target if current in sources else None
