"""Buurt shapes: RD New <-> WGS84, which buurt holds a point, and the shapes as GeoJSON."""

import csv
import math
from pathlib import Path

import pytest
from django.urls import reverse

from buurten import geo
from buurten.selectors import buurt_at
from tests import factories

GEBIEDEN = Path(__file__).resolve().parents[2] / "data" / "amsterdam" / "buurten_gebieden.csv"

# A point in Amsterdam's Jordaan, in RD New metres.
JORDAAN_RD = (120700.0, 487700.0)


def test_rd_and_wgs84_convert_both_ways_within_a_metre():
    """Amersfoort is the origin of both; the real shapes below check the rest."""
    assert geo.rd_to_wgs84(155000, 463000) == pytest.approx((52.1551744, 5.38720621))
    lat, lon = geo.rd_to_wgs84(*JORDAAN_RD)
    assert 52.37 < lat < 52.38 and 4.88 < lon < 4.89
    x, y = geo.wgs84_to_rd(lat, lon)
    assert math.dist((x, y), JORDAAN_RD) < 1.0


def test_the_carried_amsterdam_shapes_hold_their_own_centres():
    """The real data in data/: nearly every buurt's published centre lies in its own shape
    (a few concave buurten have their centroid outside)."""
    csv.field_size_limit(10**8)
    with open(GEBIEDEN, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    hits = sum(
        geo.locate(
            [geo.Shape(row["BUURTCODE_CBS_2022"], "", geo.rings_of(row["geometrie"]))],
            float(row["latitude"]),
            float(row["longitude"]),
        )
        is not None
        for row in rows
    )
    assert hits >= 0.98 * len(rows)


def test_a_hole_is_outside_and_the_border_splits_two_neighbours():
    x, y = JORDAAN_RD
    ring = geo.rings_of(factories.square(x, y, 300, hole=50))
    assert geo.contains(ring, x + 100, y)
    assert not geo.contains(ring, x, y)  # in the hole
    assert not geo.contains(ring, x + 400, y)
    assert geo.rings_of("SRID=28992;POINT (1 2)") == []
    assert geo.rings_of("SRID=28992;POLYGON ((1 x, 2 3, 4 5))") == []


@pytest.fixture
def two_buurten(wijk):
    x, y = JORDAAN_RD
    west = factories.BuurtFactory(
        wijk=wijk, naam="Westbuurt", geometrie=factories.square(x, y, 300)
    )
    oost = factories.BuurtFactory(
        wijk=wijk, naam="Oostbuurt", geometrie=factories.square(x + 600, y, 300)
    )
    for buurt in (west, oost):
        rings = geo.rings_of(buurt.geometrie)
        buurt.latitude, buurt.longitude = geo.rd_to_wgs84(*rings[0][0])
        buurt.save()
    return west, oost


def test_buurt_at_finds_the_buurt_under_the_point_or_none(two_buurten):
    west, oost = two_buurten
    x, y = JORDAAN_RD
    gemeente = west.wijk.gemeente_id
    assert buurt_at(gemeente, *geo.rd_to_wgs84(x - 100, y)) == west
    assert buurt_at(gemeente, *geo.rd_to_wgs84(x + 500, y)) == oost
    assert buurt_at(gemeente, *geo.rd_to_wgs84(x + 2000, y)) is None
    assert buurt_at(gemeente, 51.44, 5.47) is None  # Eindhoven


def test_shapes_are_served_as_geojson_to_anyone(client, two_buurten, django_assert_max_num_queries):
    west, oost = two_buurten
    factories.BuurtFactory(wijk=west.wijk)  # no shape: left out
    with django_assert_max_num_queries(2):
        response = client.get(reverse("buurten:gemeente-vormen", args=[west.wijk.gemeente.code]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    features = response.json()["features"]
    assert {f["properties"]["naam"] for f in features} == {"Westbuurt", "Oostbuurt"}
    # The shapes and their names only: nothing of any melding.
    assert all(set(f["properties"]) == {"code", "naam"} for f in features)
    lon, lat = features[0]["geometry"]["coordinates"][0][0][0]
    assert 52.3 < lat < 52.4 and 4.8 < lon < 5.0
    one = client.get(reverse("buurten:buurt-vorm", args=[oost.code])).json()
    assert [f["properties"]["code"] for f in one["features"]] == [oost.code]
    assert client.get(reverse("buurten:buurt-vorm", args=["BU9999XXXX"])).status_code == 404
    assert client.get(reverse("buurten:gemeente-vormen", args=["GM9999"])).status_code == 404
    assert client.post(reverse("buurten:buurt-vorm", args=[oost.code])).status_code == 405
