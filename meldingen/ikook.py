"""What a resident is shown of a neighbour's open melding to say "ik ook" to: what a
neighbour can judge safely. The category (the form's own), when it happened, the street
without a number, roughly how far it is from the resident's own pin, and how many reported
it. Never the reporter's words (what, where, descriptions), the address, the photos or the
point itself.

The distance is computed here, never in the browser, and from a point that is not the
reporter's: the melding's point is first moved to the centre of its cell in a grid of about
100 m (``cell_centre``), and the distance to it is told in steps (``coarse_distance``).
Moving one's own pin about and reading where the steps change then finds at most the centre
of a cell, not the reporter's doorstep."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from buurten.geometrie import distance_m

# About 100 m by 100 m in the Netherlands (a degree of longitude is ~68 km at 52°N).
CELL_LAT, CELL_LON = 0.0009, 0.0015
NEAR_M = 100  # "minder dan 100 m"
STEP_M = 50  # "ongeveer 150 m" below FAR_M
FAR_M = 1000  # "meer dan 1 km"

# What is read of each candidate: nothing else reaches the template.
FIELDS = (
    "pk",
    "wanneer",
    "straat",
    "gewicht",
    "latitude",
    "longitude",
    "persoon_geslacht",
    "persoon_lengte",
    "persoon_kleding",
    "persoon_kenmerken",
    "voertuig_kleur",
    "voertuig_merk",
    "voertuig_type",
    "voertuig_kenteken",
)


@dataclass(frozen=True)
class Buurmelding:
    """One line of the "ik ook" list: only values that are safe to show a neighbour."""

    pk: int
    wanneer: datetime
    straat: str
    gewicht: int
    afstand: int | None  # coarse metres (see ``coarse_distance``), None without two points
    met_persoon: bool
    met_voertuig: bool

    @property
    def wanneer_tekst(self) -> str:
        return when_text(self.wanneer)

    @property
    def afstand_tekst(self) -> str:
        return distance_text(self.afstand)


def cell_centre(lat: float, lon: float) -> tuple[float, float]:
    """The centre of the grid cell (about 100 m wide) holding the point."""
    return (
        (math.floor(lat / CELL_LAT) + 0.5) * CELL_LAT,
        (math.floor(lon / CELL_LON) + 0.5) * CELL_LON,
    )


def coarse_distance(metres: float) -> int:
    """0 for "less than NEAR_M", more than FAR_M for "more than FAR_M", else rounded to
    STEP_M."""
    if metres < NEAR_M:
        return 0
    if metres > FAR_M:
        return FAR_M + STEP_M
    return int(STEP_M * round(metres / STEP_M))


def distance_text(afstand: int | None) -> str:
    if afstand is None:
        return ""
    if afstand == 0:
        return _("minder dan %(meter)s m van je speld") % {"meter": NEAR_M}
    if afstand > FAR_M:
        return _("meer dan 1 km van je speld")
    if afstand == FAR_M:
        return _("ongeveer 1 km van je speld")
    return _("ongeveer %(meter)s m van je speld") % {"meter": afstand}


def when_text(moment: datetime, now: datetime | None = None) -> str:
    """ "vandaag 20:11", "gisteren 20:11", else "ma 30 nov 20:11" (local time)."""
    local = timezone.localtime(moment)
    today = timezone.localtime(now or timezone.now()).date()
    tijd = formats.time_format(local, "H:i")
    if local.date() == today:
        return _("vandaag %(tijd)s") % {"tijd": tijd}
    if local.date() == today - timedelta(days=1):
        return _("gisteren %(tijd)s") % {"tijd": tijd}
    return formats.date_format(local, "D j b H:i")


def present(row: dict, punt: tuple[float, float] | None) -> Buurmelding:
    """A candidate read with ``FIELDS`` as the neighbour sees it; the distance from ``punt``
    (the resident's pin) to the centre of the melding's cell, coarsened."""
    afstand = None
    if punt is not None and row["latitude"] is not None and row["longitude"] is not None:
        lat, lon = cell_centre(row["latitude"], row["longitude"])
        afstand = coarse_distance(distance_m(punt[0], punt[1], lat, lon))
    return Buurmelding(
        pk=row["pk"],
        wanneer=row["wanneer"],
        straat=row["straat"],
        gewicht=row["gewicht"],
        afstand=afstand,
        met_persoon=any(row[name] for name in FIELDS if name.startswith("persoon_")),
        met_voertuig=any(row[name] for name in FIELDS if name.startswith("voertuig_")),
    )


def by_distance(items: list[Buurmelding]) -> list[Buurmelding]:
    """Nearest first by the coarse distance (then newest, as the list came); those without a
    point last. The order inside a step tells nothing finer than the step."""
    return sorted(items, key=lambda item: (item.afstand is None, item.afstand or 0))


class BadPoint(ValueError):
    pass


def parse_point(query) -> tuple[float, float] | None:
    """The resident's pin from ``?lat=…&lon=…``: None when both are absent or empty; BadPoint
    (with a message for the resident) for anything else that is not a point on earth."""
    lat, lon = (query.get(name, "").strip() for name in ("lat", "lon"))
    if not lat and not lon:
        return None
    try:
        point = float(lat), float(lon)
    except ValueError:
        point = None
    if (
        point is None
        or not all(math.isfinite(value) for value in point)
        or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180)
    ):
        raise BadPoint(
            _(
                "Geef de plek van je speld als breedtegraad en lengtegraad in graden, "
                "bijvoorbeeld lat=52.37&lon=4.89."
            )
        )
    return point
