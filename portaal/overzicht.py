"""The weekly buurt news in a resident's weekly digest: the activities of the coming week, how
many neighbours joined and how many meldingen were handled in the week before (those anyone
may know exist: never an intimidation case, ``meldingen_known_openly``). Counts follow
the indicators' rule for small numbers (``indicatoren.display.telling``: "< 10" below the
gemeente's minimum), so no single neighbour or reporter can be told apart."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q

from activiteiten.models import Activiteit
from buurten.models import Buurt, Lidmaatschap, LidmaatschapHistorie
from indicatoren.display import telling
from indicatoren.selectors import settings_for
from meldingen.selectors import meldingen_known_openly
from notificaties import voorkeuren

MAX_ACTIVITEITEN = 10


@dataclass(frozen=True)
class Buurtnieuws:
    buurt: Buurt
    activiteiten: list[Activiteit]
    nieuwe_buren: str
    afgehandeld: str


def ontvangers() -> dict[int, dict]:
    """Every verified member who wants the buurt news: ``{user_id: {"buurt": id}}``."""
    leden = dict(
        Lidmaatschap.objects.filter(
            status=Lidmaatschap.Status.LID, user__is_active=True, user__role="bewoner"
        ).values_list("user_id", "buurt_id")
    )
    saved = voorkeuren.instellingen(leden)
    return {
        user_id: {"buurt": buurt_id}
        for user_id, buurt_id in leden.items()
        if voorkeuren.keuze(saved.get(user_id), voorkeuren.BUURTNIEUWS) == voorkeuren.Keuze.WEEK
    }


def _midnight(day: date) -> datetime:
    """The start of ``day`` here: weeks from one to the next, 167 or 169 hours around a switch."""
    return voorkeuren.wall_time(day, time.min)


def buurtnieuws(buurt_id: int, week: int, *, now: datetime) -> Buurtnieuws | None:
    """The news of the buurt for the digest of ISO week ``week`` (YYYYWW): the week before
    its Monday, and what is planned from now until a week after it."""
    buurt = Buurt.objects.select_related("wijk__gemeente").filter(pk=buurt_id).first()
    if buurt is None:
        return None
    monday = voorkeuren.week_start(week)
    van, tot = _midnight(monday - timedelta(days=7)), _midnight(monday)
    minimum = settings_for(buurt.wijk.gemeente).min_n_telling
    joined = LidmaatschapHistorie.objects.filter(
        lidmaatschap__buurt=buurt,
        naar=Lidmaatschap.Status.LID,
        created_at__gte=van,
        created_at__lt=tot,
    ).count()
    handled = (
        meldingen_known_openly().filter(buurt=buurt, closed_at__gte=van, closed_at__lt=tot).count()
    )
    upcoming = list(
        Activiteit.objects.filter(
            Q(start__gte=max(now, tot)) & Q(start__lt=_midnight(monday + timedelta(days=7))),
            buurt=buurt,
            geannuleerd_at=None,
        )
        .select_related("soort")
        .order_by("start", "pk")[:MAX_ACTIVITEITEN]
    )
    return Buurtnieuws(
        buurt=buurt,
        activiteiten=upcoming,
        nieuwe_buren=telling(joined, minimum),
        afgehandeld=telling(handled, minimum),
    )
