"""The browser's address search as JSON: suggestions while typing and an address with its
buurt, from a local stub of PDOK Locatieserver; off, bad input, too many and the wrong method
give a clear JSON answer, never a 500."""

import pytest
from django.urls import reverse

from tests import factories
from tests.open311.conftest import square

pytestmark = pytest.mark.django_db

ZOEK = reverse("buurten:adres-zoek")
PUNT = reverse("buurten:adres-punt")
ZOUTKEETSGRACHT_1 = "adr-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
PRINSENGRACHT_263 = "adr-9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.fixture
def westelijke(db):
    return factories.BuurtFactory(code="BU0363AA02", naam="Westelijke eilanden")


def test_switched_off_it_says_so(client):
    assert client.get(ZOEK, {"q": "Zoutkeetsgracht"}).json() == {
        "beschikbaar": False,
        "resultaten": [],
    }
    assert client.get(PUNT, {"id": ZOUTKEETSGRACHT_1}).json() == {
        "beschikbaar": False,
        "adres": None,
        "buurt": None,
    }
    nowhere = client.get(PUNT, {"lat": "52.3885", "lon": "4.8878"})
    assert nowhere.status_code == 404
    assert "kaart" in nowhere.json()["fout"]


def test_switched_off_a_point_still_finds_its_buurt_by_the_shapes(client, db):
    inside = factories.BuurtFactory(
        code="BU0363AA02",
        naam="Westelijke eilanden",
        latitude=52.3885,
        longitude=4.8878,
        geometrie=square(52.3885, 4.8878),
    )
    answer = client.get(PUNT, {"lat": "52.3887", "lon": "4.8880"}).json()
    assert answer["beschikbaar"] is False
    assert answer["adres"] is None
    assert answer["buurt"]["url"] == inside.get_absolute_url()
    # Outside every shape: no guess by the nearest centre.
    assert client.get(PUNT, {"lat": "52.3985", "lon": "4.8878"}).status_code == 404


def test_a_pin_in_a_buurt_pdok_names_differently_is_placed_by_the_shape(client, locatieserver):
    here = factories.BuurtFactory(
        code="BU0363ZZ01", latitude=52.3885, longitude=4.8878, geometrie=square(52.3885, 4.8878)
    )
    answer = client.get(PUNT, {"lat": "52.3885", "lon": "4.8878"}).json()
    assert answer["adres"]["straat"] == "Zoutkeetsgracht"
    assert answer["buurt"]["code"] == here.code


def test_suggestions_for_visitors_and_residents(client, login, resident, locatieserver):
    for browser in (client, login(resident)):
        answer = browser.get(ZOEK, {"q": "Zoutkeetsgr"}).json()
        assert answer["beschikbaar"] is True
        assert answer["resultaten"][1] == {
            "label": "Zoutkeetsgracht 1, 1013LC Amsterdam",
            "id": ZOUTKEETSGRACHT_1,
            "type": "adres",
        }


def test_one_letter_asks_nothing_yet(client, locatieserver):
    assert client.get(ZOEK, {"q": "Z"}).json()["resultaten"] == []
    assert locatieserver.calls == []


def test_a_suggestion_gives_the_address_and_the_buurt_on_the_platform(
    client, westelijke, locatieserver
):
    answer = client.get(PUNT, {"id": ZOUTKEETSGRACHT_1}).json()
    assert answer["adres"]["straat"] == "Zoutkeetsgracht"
    assert answer["adres"]["huisnummer"] == "1"
    assert answer["adres"]["postcode"] == "1013LC"
    assert (answer["adres"]["lat"], answer["adres"]["lon"]) == (52.38834567, 4.88801234)
    assert answer["buurt"] == {
        "code": "BU0363AA02",
        "naam": "Westelijke eilanden",
        "wijk": westelijke.wijk.naam,
        "url": westelijke.get_absolute_url(),
    }


def test_a_pin_gives_the_nearest_address(client, westelijke, locatieserver):
    answer = client.get(PUNT, {"lat": "52.3885", "lon": "4.8878"}).json()
    assert answer["adres"]["label"] == "Zoutkeetsgracht 3, 1013LC Amsterdam"
    assert answer["buurt"]["code"] == "BU0363AA02"


def test_an_address_in_a_buurt_the_platform_lacks_has_no_buurt(client, locatieserver):
    answer = client.get(PUNT, {"id": PRINSENGRACHT_263}).json()
    assert answer["adres"]["huisnummer"] == "263A-1"
    assert answer["buurt"] is None


def test_an_unknown_address_is_a_404_that_points_to_the_map(client, locatieserver):
    response = client.get(PUNT, {"id": "adr-onbekend"})
    assert response.status_code == 404
    assert "kaart" in response.json()["fout"]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (PUNT, {}),
        (PUNT, {"lat": "52.3"}),
        (PUNT, {"lat": "abc", "lon": "4.9"}),
        (PUNT, {"lat": "nan", "lon": "4.9"}),
        (PUNT, {"lat": "95", "lon": "4.9"}),
        (PUNT, {"id": "x" * 101}),
        (ZOEK, {"q": "x" * 101}),
    ],
)
def test_bad_input_is_a_clear_400(client, locatieserver, url, params):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response.json()["fout"]
    assert locatieserver.calls == []


@pytest.mark.parametrize("url", [f"{ZOEK}?q=Prinsen%00gracht", f"{PUNT}?id=adr-%00"])
def test_a_nul_character_is_a_400(client, locatieserver, url):
    assert client.get(url).status_code == 400
    assert locatieserver.calls == []


def test_the_service_down_is_an_empty_answer_not_a_500(client, locatieserver):
    locatieserver.behaviour["suggest"] = ("status", 500)
    locatieserver.behaviour["reverse"] = ("garbage",)
    assert client.get(ZOEK, {"q": "Zoutkeetsgracht"}).json()["resultaten"] == []
    assert client.get(PUNT, {"lat": "52.3885", "lon": "4.8878"}).status_code == 404


def test_only_get(client):
    assert client.post(ZOEK, {"q": "Zoutkeetsgracht"}).status_code == 405


def test_too_many_searches_from_one_address(client, settings):
    settings.WIJKAANPAK_ADRES_RATE = "3/m"
    answers = [client.get(ZOEK, {"q": "Zoutkeetsgracht"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "probeer het over" in answers[-1].json()["fout"]
    assert int(answers[-1]["Retry-After"]) >= 1
