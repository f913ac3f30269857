"""Which buurt a location from an outside app lies in.

- ``lat``/``long`` (WGS84): the buurt of the client's gemeente whose shape contains the point;
  a point in no shape (the river beside a buurt, a buurt without a shape) goes to the buurt with
  the nearest centre, but only within ``WIJKAANPAK_OPEN311_MAX_DISTANCE_M``.
- ``address_string`` alone: with the address search configured (``buurten.adressen``, PDOK
  Locatieserver) the address is looked up: its point, and its buurt by CBS code or else by that
  point. Without it (or when it finds nothing) the string must name the buurt (its name or CBS
  code) as one of its comma-separated parts, as the standard's "most specific to most general"
  order puts it: "Prinsengracht 263, Leliegracht e.o., Amsterdam".

The shapes and the point-in-shape test are ``buurten.geometrie``'s.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from buurten import adressen, geometrie
from buurten.models import Buurt, Gemeente, normalise_code
from buurten.selectors import buurten_of_gemeente

MAX_PARTS = 6


@dataclass(frozen=True)
class Plaats:
    buurt: Buurt
    how: str  # "vorm", "dichtstbij", "naam" or "adres"
    lat: float | None = None  # the point an address was found at (kept for the handlers)
    lon: float | None = None


def buurt_at(gemeente: Gemeente, lat: float, lon: float) -> Plaats | None:
    found = geometrie.buurt_at(
        buurten_of_gemeente(gemeente.pk).select_related("wijk"),
        lat,
        lon,
        max_distance_m=settings.WIJKAANPAK_OPEN311_MAX_DISTANCE_M,
    )
    return Plaats(*found) if found else None


def buurt_named(gemeente: Gemeente, address: str) -> Plaats | None:
    """The buurt that one comma-separated part of the address names, most specific first."""
    parts = [part.strip() for part in address.split(",") if part.strip()][:MAX_PARTS]
    in_gemeente = buurten_of_gemeente(gemeente.pk).select_related("wijk")
    for part in parts:
        found = in_gemeente.filter(Q(naam__iexact=part) | Q(code=normalise_code(part))).first()
        if found:
            return Plaats(found, "naam")
    return None


def buurt_of_address(gemeente: Gemeente, address: str) -> Plaats | None:
    """The buurt of an address line: looked up when the address search is configured, else
    (or when that finds nothing in this gemeente) the buurt the line names."""
    adres = adressen.geocode(address) if adressen.enabled() else None
    if adres is not None and adres.lat is not None:
        buurt = (
            buurten_of_gemeente(gemeente.pk)
            .select_related("wijk")
            .filter(code=adres.buurtcode)
            .first()
        )
        found = Plaats(buurt, "adres") if buurt else buurt_at(gemeente, adres.lat, adres.lon)
        if found is not None:
            return Plaats(found.buurt, "adres", adres.lat, adres.lon)
    return buurt_named(gemeente, address)
