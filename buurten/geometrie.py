"""Which buurt a point (WGS84) lies in, from the buurt shapes the platform has: no outside
service needed. The conversion and the point-in-shape test are ``buurten.geo``'s (the maps use
the same); here the nearest-centre fallback for a point just outside every shape. Only buurten
whose centre lies within a few kilometres are read and tested. Used by the address search's
"use my location" and by Open311's lat/long."""

import math

from django.db.models import Q, QuerySet

from .geo import contains, rings_of, wgs84_to_rd
from .models import Buurt

# Degrees around the point in which buurt centres are read: ~5 km north-south and east-west.
WINDOW_LAT, WINDOW_LON = 0.045, 0.075


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough over a few kilometres."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


def buurt_at(buurten: QuerySet[Buurt], lat: float, lon: float, *, max_distance_m: float = 0):
    """``(buurt, how)``: the buurt among ``buurten`` whose shape holds the point ("vorm"), or
    else the one with the nearest centre within ``max_distance_m`` ("dichtstbij"); or None.
    Only buurten whose centre lies within a few kilometres are read (and those without one)."""
    nearby = list(
        buurten.filter(
            Q(latitude__isnull=True)
            | Q(longitude__isnull=True)
            | Q(
                latitude__range=(lat - WINDOW_LAT, lat + WINDOW_LAT),
                longitude__range=(lon - WINDOW_LON, lon + WINDOW_LON),
            )
        )
    )
    x, y = wgs84_to_rd(lat, lon)
    for buurt in nearby:
        if buurt.geometrie and contains(rings_of(buurt.geometrie), x, y):
            return buurt, "vorm"
    centred = [b for b in nearby if b.latitude is not None and b.longitude is not None]
    if not centred or max_distance_m <= 0:
        return None
    nearest = min(centred, key=lambda b: distance_m(lat, lon, b.latitude, b.longitude))
    if distance_m(lat, lon, nearest.latitude, nearest.longitude) > max_distance_m:
        return None
    return nearest, "dichtstbij"
