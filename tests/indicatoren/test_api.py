"""Published indicators in the JSON API: the open-data figures, suppressed alike, in the schema."""

from datetime import datetime

import pytest
from django.urls import reverse

from indicatoren.registry import INDICATORS

from .conftest import EIND
from .test_views_open_data import export_url


def test_anyone_lists_the_gemeenten_with_their_published_periods_only(client, published):
    body = client.get(reverse("api-indicatoren")).json()
    [gemeente] = body["gemeenten"]
    assert gemeente["code"] == published.code
    assert gemeente["periodes"] == [EIND.isoformat()]  # the rolling 2026-11-27 is not published
    assert gemeente["url"].endswith(reverse("api-indicatoren-gemeente", args=[published.code]))


def test_the_figures_equal_the_open_data_json_with_suppression(
    client,
    published,
    buurt,
    django_assert_max_num_queries,
):
    url = reverse("api-indicatoren-gemeente", args=[published.code])
    with django_assert_max_num_queries(9):  # constant: one query per level, not per area
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    download = client.get(export_url(published.code, EIND.isoformat(), "json")).json()
    # The same figures; times are the same instants (the API writes them in local time).
    for api_area, download_area in zip(body["gebieden"], download["gebieden"], strict=True):
        assert datetime.fromisoformat(api_area.pop("berekend_op")) == datetime.fromisoformat(
            download_area.pop("berekend_op")
        )
    assert body == download
    assert body["periode"]["eind"] == EIND.isoformat()
    assert "CBS" in body["bron"] and body["licentie"] == "CC BY 4.0"
    area = next(g for g in body["gebieden"] if g["code"] == buurt.code)
    assert set(area["waarden"]) == set(INDICATORS)
    assert area["waarden"]["bereik"] == {
        "waarde": None,
        "n": None,
        "ci": None,
        "onderdrukt": True,
        "reden": "klein",
        "weergave": "< 10 mensen",
    }
    assert area["waarden"]["sociale_cohesie"]["n"] == 31


def test_a_client_asks_for_one_level_or_one_wijk(client, published, wijk, buurt, other_buurt):
    url = reverse("api-indicatoren-gemeente", args=[published.code])
    full = client.get(url).json()

    def codes(**params):
        body = client.get(url, params).json()
        assert body["periode"] == full["periode"] and body["bron"] == full["bron"]
        return [(g["niveau"], g["code"]) for g in body["gebieden"]]

    assert codes(niveau="wijk") == [
        (g["niveau"], g["code"]) for g in full["gebieden"] if g["niveau"] == "wijk"
    ]
    assert sorted(codes(niveau="wijk")) == sorted(
        [("wijk", wijk.code), ("wijk", other_buurt.wijk.code)]
    )
    assert codes(wijk=wijk.code) == [("wijk", wijk.code), ("buurt", buurt.code)]
    assert codes(wijk=wijk.code.lower(), niveau="buurt") == [("buurt", buurt.code)]
    assert codes(niveau="gemeente") == [("gemeente", published.code)]
    # The same figures as in the whole, suppressed alike.
    part = client.get(url, {"wijk": wijk.code}).json()["gebieden"]
    assert part == [g for g in full["gebieden"] if g["code"] in (wijk.code, buurt.code)]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"niveau": "straat"}, 400),
        ({"niveau": ""}, 400),
        ({"wijk": "WK999999"}, 404),
        ({"wijk": "x" * 5000}, 404),
    ],
)
def test_unknown_levels_or_wijken_get_a_clear_error(client, published, params, status):
    response = client.get(reverse("api-indicatoren-gemeente", args=[published.code]), params)
    assert response.status_code == status
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"periode": "2026-11-27"}, 404),  # computed, but not a published month end
        ({"periode": "2026-02-30"}, 400),
        ({"periode": "gisteren"}, 400),
        ({"periode": "2020-01-31"}, 404),
    ],
)
def test_unpublished_or_garbage_periods_get_a_clear_error(client, published, params, status):
    response = client.get(reverse("api-indicatoren-gemeente", args=[published.code]), params)
    assert response.status_code == status
    body = response.json()
    if status == 404:
        assert "published periods end on a month end" in body["error"]
    else:
        assert body["fields"]["periode"] == ["Give the last day of the period as YYYY-MM-DD."]


def test_an_unknown_gemeente_is_a_json_404(client, db):
    response = client.get(reverse("api-indicatoren-gemeente", args=["GM9999"]))
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}


def test_the_schema_describes_the_indicator_endpoints(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/v1/indicatoren/" in schema["paths"]
    assert "/api/v1/indicatoren/{code}/" in schema["paths"]
