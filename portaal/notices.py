"""What the digests say (see ``notificaties.soorten``): the notices a person chose to get once
a day or once a week, each as one line with its link, and in the weekly one the buurt's news
(``portaal.overzicht``). A digest with nothing left to say lapses."""

from django.utils import timezone

from notificaties.models import Notificatie
from notificaties.soorten import Regel, Rendered, items, register, register_regels, site_url

from .overzicht import buurtnieuws

Soort = Notificatie.Soort


@register(Soort.OVERZICHT_DAG)
def overzicht_dag(row: Notificatie) -> Rendered:
    found = items(row.params.get("notificaties", []))
    if not found:
        return None
    context = {"items": found, "instellingen": site_url("/accounts/meldingen-en-berichten/")}
    return "portaal/email/overzicht_dag", context


@register(Soort.OVERZICHT_WEEK)
def overzicht_week(row: Notificatie) -> Rendered:
    found = items(row.params.get("notificaties", []))
    nieuws = None
    if row.params.get("buurt"):
        nieuws = buurtnieuws(row.params["buurt"], row.object_id, now=timezone.now())
    if not found and nieuws is None:
        return None
    context = {
        "items": found,
        "nieuws": nieuws,
        "site": site_url(""),
        "instellingen": site_url("/accounts/meldingen-en-berichten/"),
    }
    return "portaal/email/overzicht_week", context


@register_regels(Soort.OVERZICHT_DAG)
def overzicht_dag_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """Not in the inbox: each notice a digest gathered is there on its own line already."""
    return {}


@register_regels(Soort.OVERZICHT_WEEK)
def overzicht_week_regels(rows: list[Notificatie]) -> dict[int, Regel]:
    """Not in the inbox, as the daily digest (the buurt news is the buurt's page's)."""
    return {}
