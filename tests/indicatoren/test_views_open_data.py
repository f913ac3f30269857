"""Open data: CSV and JSON per gemeente and period, public, with suppression and attribution."""

import csv
import io

import pytest
from django.urls import reverse

from indicatoren.registry import INDICATORS
from tests import factories

from .conftest import EIND
from .views_support import cel, onderdrukt, publicatie, snapshot


def export_url(gemeente_code, periode, formaat):
    return reverse(
        "indicatoren:export",
        kwargs={"gemeente_code": gemeente_code, "periode": periode, "formaat": formaat},
    )


def test_index_lists_only_published_quarters_to_anyone(
    client, published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("indicatoren:open-data"))
    content = response.content.decode()
    assert response.status_code == 200
    assert export_url("GM0363", "2026-09-30", "csv") in content
    assert export_url("GM0363", "2026-09-30", "json") in content
    assert "2026-11-27" not in content
    assert "CBS, Kerncijfers wijken en buurten" in content


def test_csv_has_every_area_and_indicator_with_suppression(
    client, published, buurt, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(export_url("GM0363", "2026-09-30", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 5 * len(INDICATORS)  # gemeente, 2 wijken, 2 buurten
    bereik = next(r for r in rows if r["code"] == buurt.code and r["indicator"] == "bereik")
    assert bereik["waarde"] == ""
    assert bereik["n"] == ""
    assert bereik["onderdrukt"] == "ja"
    assert bereik["weergave"] == "< 10 mensen"
    cohesie = next(
        r for r in rows if r["code"] == buurt.code and r["indicator"] == "sociale_cohesie"
    )
    assert (cohesie["waarde"], cohesie["n"], cohesie["ci_laag"], cohesie["ci_hoog"]) == (
        "6.5",
        "31",
        "6.1",
        "6.9",
    )
    assert all("CBS, Kerncijfers wijken en buurten" in r["bron"] for r in rows)
    assert {r["periode_eind"] for r in rows} == {"2026-09-30"}


def test_json_has_the_same_figures_and_the_attribution(client, published, buurt):
    response = client.get(export_url("gm0363", "2026-09-30", "json"))
    data = response.json()
    assert data["licentie"] == "CC BY 4.0"
    assert "CBS, Kerncijfers wijken en buurten" in data["bron"]
    assert "aanname" in data["doel_actieve_kern"]["toelichting"]
    area = next(a for a in data["gebieden"] if a["code"] == buurt.code)
    assert area["waarden"]["bereik"] == {
        "waarde": None,
        "n": None,
        "ci": None,
        "onderdrukt": True,
        "reden": "klein",
        "weergave": "< 10 mensen",
    }
    assert area["waarden"]["sociale_cohesie"]["ci"] == [6.1, 6.9]
    assert [a["niveau"] for a in data["gebieden"]][:1] == ["gemeente"]


def test_exports_contain_no_people(client, published, buurt):
    member = factories.LidmaatschapFactory(buurt=buurt).user
    for formaat in ("csv", "json"):
        content = client.get(export_url("GM0363", "2026-09-30", formaat)).content.decode()
        assert member.email not in content
        assert member.display_name not in content


@pytest.mark.parametrize("periode", ["gisteren", "2026-13-01", "31-10-2026", "%00"])
def test_a_malformed_period_gets_a_clear_message(client, published, periode):
    response = client.get(f"/indicatoren/open-data/GM0363/{periode}.csv")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "jjjj-mm-dd" in response.content.decode()


def test_a_period_that_is_not_published_is_not_found(client, published):
    for periode in ("2026-11-27", "2020-01-31"):
        response = client.get(export_url("GM0363", periode, "csv"))
        assert response.status_code == 404
        assert "geen gepubliceerde cijfers" in response.content.decode()


def test_an_unknown_gemeente_or_format_is_not_found(client, published):
    assert client.get(export_url("GM9999", "2026-09-30", "json")).status_code == 404
    assert client.get("/indicatoren/open-data/GM0363/2026-10-31.xlsx").status_code == 404


def test_exports_are_read_only(client, published):
    assert client.post(export_url("GM0363", "2026-09-30", "csv")).status_code == 405


def test_downloads_are_rate_limited_per_address(client, published, monkeypatch):
    monkeypatch.setattr("indicatoren.views_open_data.EXPORTS_PER_IP", "2/h")
    url = export_url("GM0363", "2026-09-30", "json")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert "Te veel downloads" in client.get(url).content.decode()


def test_weighted_figures_carry_weighting_and_coverage(client, published, wijk, buurt):
    from indicatoren.models import Snapshot

    weighted = {
        **cel(6.5, 50, [6.0, 7.0]),
        "weging": "inwoners 15+",
        "dekking": {
            "gebieden": 3,
            "van": 6,
            "eenheid": "buurt",
            "inwoners_pct": 40,
            "zonder_bevolking": 0,
        },
    }
    Snapshot.objects.filter(wijk=wijk, periode_eind=EIND).update(
        waarden={"sociale_cohesie": weighted}
    )

    rows = list(
        csv.DictReader(io.StringIO(client.get(export_url("GM0363", EIND.isoformat(), "csv")).text))
    )
    wijk_row = next(
        r for r in rows if r["code"] == wijk.code and r["indicator"] == "sociale_cohesie"
    )
    assert (wijk_row["weging"], wijk_row["dekking_gebieden"], wijk_row["dekking_van"]) == (
        "inwoners 15+",
        "3",
        "6",
    )
    assert (wijk_row["dekking_eenheid"], wijk_row["dekking_inwoners_pct"]) == ("buurt", "40")
    buurt_row = next(
        r for r in rows if r["code"] == buurt.code and r["indicator"] == "sociale_cohesie"
    )
    assert buurt_row["weging"] == buurt_row["dekking_gebieden"] == ""

    data = client.get(export_url("GM0363", EIND.isoformat(), "json")).json()
    wijk_cell = next(a for a in data["gebieden"] if a["code"] == wijk.code)["waarden"]
    assert wijk_cell["sociale_cohesie"]["weging"] == "inwoners 15+"
    assert wijk_cell["sociale_cohesie"]["dekking_inwoners_pct"] == 40
    buurt_cell = next(a for a in data["gebieden"] if a["code"] == buurt.code)["waarden"]
    assert "weging" not in buurt_cell["sociale_cohesie"]
    api = client.get(reverse("api-indicatoren-gemeente", args=["GM0363"])).json()
    api_wijk = next(a for a in api["gebieden"] if a["code"] == wijk.code)["waarden"]
    assert api_wijk["sociale_cohesie"] == wijk_cell["sociale_cohesie"]


def test_a_figure_hidden_for_protection_says_so_in_csv_and_json(client, wijk, buurt, other_buurt):
    """Issue 12, 1.3: never "< 10" for a figure that is not small, in any export."""
    gemeente = wijk.gemeente
    v1 = publicatie(gemeente)  # Q3 2026, ending on EIND
    snapshot(gemeente=gemeente, publicatie=v1, waarden={"bereik": cel(9.5, 240)})
    snapshot(wijk=wijk, publicatie=v1, waarden={"bereik": cel(7.5, 90)})
    snapshot(wijk=other_buurt.wijk, publicatie=v1, waarden={"bereik": cel(11.0, 150)})
    snapshot(buurt=buurt, publicatie=v1, waarden={"bereik": onderdrukt(10, reden="bescherming")})
    snapshot(buurt=other_buurt, publicatie=v1, waarden={"bereik": onderdrukt(10, reden="klein")})
    full = "niet getoond om kleine aantallen elders te beschermen"

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(export_url("GM0363", EIND.isoformat(), "csv")).content.decode())
        )
    )
    data = client.get(export_url("GM0363", EIND.isoformat(), "json")).json()

    def csv_cell(area):
        return next(r for r in rows if r["code"] == area.code and r["indicator"] == "bereik")

    def json_cell(area):
        return next(a for a in data["gebieden"] if a["code"] == area.code)["waarden"]["bereik"]

    assert (csv_cell(buurt)["onderdrukt"], csv_cell(buurt)["weergave"]) == ("ja", full)
    assert csv_cell(other_buurt)["weergave"] == "< 10 mensen"
    assert json_cell(buurt) == {
        "waarde": None,
        "n": None,
        "ci": None,
        "onderdrukt": True,
        "reden": "bescherming",
        "weergave": full,
    }
    assert (json_cell(other_buurt)["reden"], json_cell(other_buurt)["weergave"]) == (
        "klein",
        "< 10 mensen",
    )
    assert json_cell(wijk)["reden"] is None
    # The open-data page explains both.
    page = client.get(reverse("indicatoren:open-data")).content.decode()
    assert full in page
