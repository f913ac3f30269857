"""Buurt shapes for the map and for "which buurt is this point in", with no outside service.

The shapes are stored on ``Buurt.geometrie`` as EWKT in RD New (EPSG:28992, metres). A browser
map wants WGS84 (latitude, longitude); the conversion uses the published approximation
formulas of Schreutelkamp and Strang van Hees (RDNAPTRANS-free; better than a metre over the
Netherlands, far finer than a tap on a phone). A point is located in RD New, where a buurt's
rings are plane polygons.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

_RING_RE = re.compile(r"\(([^()]+)\)")

# Amersfoort, the origin of RD New, in both systems.
_X0, _Y0 = 155000.0, 463000.0
_LAT0, _LON0 = 52.15517440, 5.38720621

# (p, q, coefficient): latitude and longitude (arc seconds) from dX^p dY^q, X and Y in 100 km.
_LAT_TERMS = (
    (0, 1, 3235.65389),
    (2, 0, -32.58297),
    (0, 2, -0.24750),
    (2, 1, -0.84978),
    (0, 3, -0.06550),
    (2, 2, -0.01709),
    (1, 0, -0.00738),
    (4, 0, 0.00530),
    (2, 3, -0.00039),
    (4, 1, 0.00033),
    (1, 1, -0.00012),
)
_LON_TERMS = (
    (1, 0, 5260.52916),
    (1, 1, 105.94684),
    (1, 2, 2.45656),
    (3, 0, -0.81885),
    (1, 3, 0.05594),
    (3, 1, -0.05607),
    (0, 1, 0.01199),
    (3, 2, -0.00256),
    (1, 4, 0.00128),
    (0, 2, 0.00022),
    (2, 0, -0.00022),
    (5, 0, 0.00026),
)
# (p, q, coefficient): x and y (metres) from dLat^p dLon^q, both in units of 10,000 arc seconds.
_X_TERMS = (
    (0, 1, 190094.945),
    (1, 1, -11832.228),
    (2, 1, -114.221),
    (0, 3, -32.391),
    (1, 0, -0.705),
    (3, 1, -2.340),
    (1, 3, -0.608),
    (0, 2, -0.008),
    (2, 3, 0.148),
)
_Y_TERMS = (
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
)


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) of an RD New point."""
    dx, dy = (x - _X0) * 1e-5, (y - _Y0) * 1e-5
    lat = _LAT0 + sum(c * dx**p * dy**q for p, q, c in _LAT_TERMS) / 3600
    lon = _LON0 + sum(c * dx**p * dy**q for p, q, c in _LON_TERMS) / 3600
    return lat, lon


def wgs84_to_rd(lat: float, lon: float) -> tuple[float, float]:
    """RD New (x, y) of a WGS84 point."""
    dlat, dlon = 0.36 * (lat - _LAT0), 0.36 * (lon - _LON0)
    x = _X0 + sum(c * dlat**p * dlon**q for p, q, c in _X_TERMS)
    y = _Y0 + sum(c * dlat**p * dlon**q for p, q, c in _Y_TERMS)
    return x, y


Ring = list[tuple[float, float]]


def rings_of(ewkt: str) -> list[Ring]:
    """The rings of an EWKT (MULTI)POLYGON as lists of (x, y); empty for anything else."""
    if "POLYGON" not in ewkt.upper():
        return []
    rings = []
    for text in _RING_RE.findall(ewkt):
        ring = []
        for pair in text.split(","):
            parts = pair.split()
            try:
                ring.append((float(parts[0]), float(parts[1])))
            except (IndexError, ValueError):
                return []
        if len(ring) >= 3:
            rings.append(ring)
    return rings


def contains(rings: list[Ring], x: float, y: float) -> bool:
    """Whether (x, y) lies inside the shape: even-odd over all rings, so a hole (an inner
    ring) is outside and an island in it inside again."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


@dataclass(frozen=True)
class Shape:
    code: str
    naam: str
    rings: list[Ring]


def locate(shapes: Iterable[Shape], lat: float, lon: float) -> Shape | None:
    """The shape that holds the point, or None."""
    x, y = wgs84_to_rd(lat, lon)
    for shape in shapes:
        if contains(shape.rings, x, y):
            return shape
    return None


# Points closer than this (metres) to the previous one add nothing a phone can show.
SIMPLIFY_METRES = 5.0


def geojson_feature(shape: Shape, **properties) -> dict:
    """A GeoJSON Feature of the shape in WGS84 (lon, lat; 5 decimals, about a metre). Each ring
    becomes a polygon of its own: the browser fills them even-odd, as ``contains`` counts."""
    polygons = []
    for ring in shape.rings:
        kept = []
        for x, y in ring:
            if kept and abs(x - kept[-1][0]) + abs(y - kept[-1][1]) < SIMPLIFY_METRES:
                continue
            kept.append((x, y))
        if len(kept) >= 3:
            coordinates = [_lonlat(x, y) for x, y in kept]
            polygons.append([coordinates + coordinates[:1]])
    return {
        "type": "Feature",
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        "properties": {"code": shape.code, "naam": shape.naam, **properties},
    }


def _lonlat(x: float, y: float) -> list[float]:
    lat, lon = rd_to_wgs84(x, y)
    return [round(lon, 5), round(lat, 5)]
