"""Which buurt a point (WGS84) lies in, from the buurt shapes the platform has: no outside
service needed. Shapes are stored as EWKT polygons in RD New (EPSG:28992, metres); the point is
converted with the published RD approximation (Schreutelkamp & Strang van Hees, about a metre
off), enough to choose a buurt. Only buurten whose centre lies within a few kilometres are read
and tested. Used by the address search's "use my location" and by Open311's lat/long."""

import math
import re

from django.db.models import QuerySet

from .models import Buurt

# RD New from WGS84: X = 155000 + Σ R·dφ^p·dλ^q, Y = 463000 + Σ S·dφ^p·dλ^q
PHI0, LAM0 = 52.15517440, 5.38720621
R = [
    (0, 1, 190094.945),
    (1, 1, -11832.228),
    (2, 1, -114.221),
    (0, 3, -32.391),
    (1, 0, -0.705),
    (3, 1, -2.340),
    (1, 3, -0.608),
    (0, 2, -0.008),
    (2, 3, 0.148),
]
S = [
    (1, 0, 309056.544),
    (0, 2, 3638.893),
    (2, 0, 73.077),
    (1, 2, -157.984),
    (3, 0, 59.788),
    (0, 1, 0.433),
    (2, 2, -6.439),
    (1, 1, -0.032),
    (0, 4, 0.092),
    (1, 4, -0.054),
]
# Degrees around the point in which buurt centres are read: ~5 km north-south and east-west.
WINDOW_LAT, WINDOW_LON = 0.045, 0.075
RING_RE = re.compile(r"\(([^()]+)\)")


def to_rd(lat: float, lon: float) -> tuple[float, float]:
    dphi = 0.36 * (lat - PHI0)
    dlam = 0.36 * (lon - LAM0)
    x = 155000 + sum(c * dphi**p * dlam**q for p, q, c in R)
    y = 463000 + sum(c * dphi**p * dlam**q for p, q, c in S)
    return x, y


def rings(ewkt: str) -> list[list[tuple[float, float]]]:
    """The rings of an EWKT polygon, outer ring first; [] when it cannot be read."""
    body = ewkt.split(";", 1)[-1]
    try:
        return [
            [tuple(map(float, pair.split()[:2])) for pair in ring.split(",")]
            for ring in RING_RE.findall(body)
        ]
    except ValueError:
        return []


def _in_ring(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(ewkt: str, x: float, y: float) -> bool:
    polygon = rings(ewkt)
    if not polygon or not _in_ring(x, y, polygon[0]):
        return False
    return not any(_in_ring(x, y, hole) for hole in polygon[1:])


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough over a few kilometres."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


def buurt_at(buurten: QuerySet[Buurt], lat: float, lon: float, *, max_distance_m: float):
    """``(buurt, how)``: the buurt among ``buurten`` whose shape holds the point ("vorm"), or
    else the one with the nearest centre within ``max_distance_m`` ("dichtstbij"); or None."""
    nearby = list(
        buurten.filter(
            latitude__range=(lat - WINDOW_LAT, lat + WINDOW_LAT),
            longitude__range=(lon - WINDOW_LON, lon + WINDOW_LON),
        )
    )
    x, y = to_rd(lat, lon)
    for buurt in nearby:
        if buurt.geometrie and contains(buurt.geometrie, x, y):
            return buurt, "vorm"
    if not nearby:
        return None
    nearest = min(nearby, key=lambda b: distance_m(lat, lon, b.latitude, b.longitude))
    if distance_m(lat, lon, nearest.latitude, nearest.longitude) > max_distance_m:
        return None
    return nearest, "dichtstbij"
