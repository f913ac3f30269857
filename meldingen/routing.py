"""Which target a melding goes to: ordered routing rules, editable by administrators.

The time of day is the local time at which the melding was *made*: the rules express who is on
duty then (e.g. nuisance at night to the police, by day to enforcement).
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Doel, RoutingRegel


@dataclass(frozen=True)
class RoutingDecision:
    doel: str
    regel: RoutingRegel | None

    @property
    def doel_label(self) -> str:
        return Doel(self.doel).label

    @property
    def uitleg(self) -> str:
        if self.regel is None:
            return _("Geen regel van toepassing: naar de wijkcoördinator.")
        return _("Regel %(volgorde)s: %(regel)s") % {
            "volgorde": self.regel.volgorde,
            "regel": self.regel,
        }


def _in_window(moment: time, vanaf: time | None, tot: time | None) -> bool:
    if vanaf is None and tot is None:
        return True
    start, end = vanaf or time.min, tot or time.max
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # over midnight


def decide(*, categorie, buurt, at: datetime, rules=None) -> RoutingDecision:
    """The first active rule matching category, area and time of day; else the coordinator."""
    if rules is None:
        rules = RoutingRegel.objects.filter(actief=True).order_by("volgorde", "pk")
    local = timezone.localtime(at).time()
    for regel in rules:
        if regel.categorie_id not in (None, categorie.pk):
            continue
        if regel.buurt_id not in (None, buurt.pk):
            continue
        if regel.wijk_id not in (None, buurt.wijk_id):
            continue
        if not _in_window(local, regel.vanaf, regel.tot):
            continue
        return RoutingDecision(doel=regel.doel, regel=regel)
    return RoutingDecision(doel=Doel.COORDINATOR, regel=None)
