"""Placing a location from an outside app in a buurt: the RD conversion against real Amsterdam
shapes, shapes with holes, the nearest-centre fallback and its limit, and names in addresses."""

import csv
from pathlib import Path

import pytest

from buurten import geo
from open311 import locatie
from tests import factories

from .conftest import LAT, LONG, square

GEBIEDEN = Path(__file__).resolve().parents[2] / "data/amsterdam/buurten_gebieden.csv"


def test_the_rd_origin_converts_to_itself():
    x, y = geo.wgs84_to_rd(52.15517440, 5.38720621)  # Amersfoort
    assert (round(x), round(y)) == (155000, 463000)


def test_real_buurt_centres_lie_in_their_own_shapes():
    """The imported CBS/Amsterdam shapes against their published centres (WGS84 → RD)."""
    with open(GEBIEDEN, newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["geometrie"] and r["latitude"]]
    inside = sum(
        geo.contains(
            geo.rings_of(r["geometrie"]),
            *geo.wgs84_to_rd(float(r["latitude"]), float(r["longitude"])),
        )
        for r in rows
    )
    # A few concave buurten have their centroid outside the shape: the nearest-centre rule.
    assert len(rows) > 400 and inside >= len(rows) - 5


def test_a_hole_is_not_inside():
    x, y = geo.wgs84_to_rd(LAT, LONG)
    outer = [(x - 100, y - 100), (x + 100, y - 100), (x + 100, y + 100), (x - 100, y + 100)]
    hole = [(x - 10, y - 10), (x + 10, y - 10), (x + 10, y + 10), (x - 10, y + 10)]
    text = ", ".join
    ewkt = (
        "SRID=28992;POLYGON (("
        + text(f"{a} {b}" for a, b in [*outer, outer[0]])
        + "), ("
        + text(f"{a} {b}" for a, b in [*hole, hole[0]])
        + "))"
    )
    assert not geo.contains(geo.rings_of(ewkt), x, y)
    assert geo.contains(geo.rings_of(ewkt), x + 50, y + 50)
    assert not geo.contains(geo.rings_of("SRID=28992;POLYGON ((kapot))"), x, y)


@pytest.mark.django_db
def test_shape_first_then_nearest_centre_within_the_limit(wijk, settings):
    gemeente = wijk.gemeente
    dam = factories.BuurtFactory(
        wijk=wijk, latitude=LAT, longitude=LONG, geometrie=square(LAT, LONG)
    )
    zonder = factories.BuurtFactory(wijk=wijk, latitude=LAT + 0.01, longitude=LONG)
    assert locatie.buurt_at(gemeente, LAT + 0.001, LONG) == locatie.Plaats(dam, "vorm")
    assert locatie.buurt_at(gemeente, LAT + 0.009, LONG) == locatie.Plaats(zonder, "dichtstbij")
    settings.WIJKAANPAK_OPEN311_MAX_DISTANCE_M = 100
    assert locatie.buurt_at(gemeente, LAT + 0.011, LONG) is None
    assert locatie.buurt_at(gemeente, 51.9178, 4.4692) is None  # Rotterdam


@pytest.mark.django_db
def test_an_address_must_name_a_buurt_of_the_gemeente(wijk):
    buurt = factories.BuurtFactory(wijk=wijk, naam="Grachtengordel-West", code="BU0363AB01")
    other = factories.BuurtFactory(
        wijk=factories.WijkFactory(gemeente=factories.GemeenteFactory(code="GM0599")),
        naam="Oude Westen",
    )
    gemeente = wijk.gemeente
    assert (
        locatie.buurt_named(gemeente, "Prinsengracht 263, grachtengordel-west, Amsterdam").buurt
        == buurt
    )
    assert locatie.buurt_named(gemeente, "Keizersgracht 1, bu0363ab01").buurt == buurt
    assert locatie.buurt_named(gemeente, "Prinsengracht 263, Amsterdam") is None
    assert locatie.buurt_named(gemeente, "Oude Westen") is None
    assert other.naam == "Oude Westen"
