"""Finding your buurt: by its name now or in 2015, wijk or stadsdeel offline; by street or
postcode through the address search when it is configured (a local stub of PDOK here); and a
search that finds nothing leads to the list (and map) of every buurt."""

import pytest
from django.urls import reverse

from buurten.models import Stadsdeel
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = reverse("buurten:zoeken")
LIST = reverse("buurten:lijst")


@pytest.fixture
def centrum(db):
    wijk = factories.WijkFactory(code="WK0363AA", naam="Haarlemmerbuurt")
    stadsdeel = Stadsdeel.objects.create(gemeente=wijk.gemeente, code="A", naam="Centrum")
    westelijke = factories.BuurtFactory(
        wijk=wijk,
        stadsdeel=stadsdeel,
        code="BU0363AA02",
        naam="Westelijke eilanden",
        naam_2015="Westelijke Eilanden",
    )
    plancius = factories.BuurtFactory(
        wijk=wijk, stadsdeel=stadsdeel, code="BU0363AA01", naam="Planciusbuurt-Noord"
    )
    tijen = factories.BuurtFactory(
        wijk=factories.WijkFactory(gemeente=wijk.gemeente, code="WK0363FC", naam="Osdorp-Oost"),
        code="BU0363FC01",
        naam="Van Tijenbuurt",
        naam_2015="Buurt 7",
    )
    return westelijke, plancius, tijen


def found(client, query) -> str:
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_the_2015_name_finds_the_buurt_and_is_shown(client, centrum):
    html = found(client, "buurt 7")
    assert "Van Tijenbuurt" in html
    assert "voorheen Buurt 7" in html


def test_a_space_finds_a_dash_and_a_dash_a_space(client, centrum):
    assert "Planciusbuurt-Noord" in found(client, "planciusbuurt noord")
    assert "Van Tijenbuurt" in found(client, "Osdorp Oost")  # the wijk is "Osdorp-Oost"


def test_offline_a_postcode_says_why_and_leads_to_the_list(client, centrum):
    html = found(client, "1013")
    assert "Zoeken op postcode kan nog niet" in html
    assert f'href="{LIST}"' in html


def test_a_local_name_the_data_lacks_leads_to_the_map_and_list(client, centrum):
    html = found(client, "Realeneiland")
    assert "Geen buurt gevonden" in html
    assert "Kies je buurt op de kaart of uit de lijst" in html
    assert f'href="{LIST}"' in html


def test_with_the_address_search_a_postcode_finds_the_buurten_of_its_addresses(
    client, centrum, locatieserver
):
    html = found(client, "1013")
    assert "Westelijke eilanden" in html
    assert "Planciusbuurt-Noord" in html
    assert "Van Tijenbuurt" not in html
    assert "2 buurten gevonden" in html  # BU9999ZZ99 from PDOK is not on the platform


def test_with_the_address_search_a_street_finds_its_buurt(client, centrum, locatieserver):
    assert "Westelijke eilanden" in found(client, "Zoutkeetsgracht")
    # A buurt name still answers from the platform's own names, without asking PDOK.
    assert "Van Tijenbuurt" in found(client, "Tijen")
    assert len(locatieserver.endpoint_calls("free")) == 1


def test_with_the_address_search_down_the_names_still_work(client, centrum, locatieserver):
    locatieserver.behaviour["free"] = ("status", 503)
    html = found(client, "Zoutkeetsgracht")
    assert "Geen buurt gevonden" in html
    assert f'href="{LIST}"' in html
    assert "Westelijke eilanden" in found(client, "westelijke")


def test_the_list_shows_every_buurt_by_stadsdeel_and_wijk(
    client, centrum, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the buurten, and the gemeenten with shapes to map
        response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    for buurt in centrum:
        assert f'href="{buurt.get_absolute_url()}"' in html
    assert "Centrum" in html
    assert "Haarlemmerbuurt" in html
    assert 'id="buurt-kaart"' not in html  # no shapes here: the list alone, no empty map


def test_the_list_without_buurten(client, db):
    assert "Er zijn nog geen buurten ingelezen." in client.get(LIST).content.decode()


def test_the_page_offers_suggestions_only_when_the_address_search_is_on(client, settings):
    offline = found(client, "")
    assert "data-adres-zoek" not in offline
    assert f'data-adres-punt="{reverse("buurten:adres-punt")}"' in offline  # my location
    assert "adreszoeker.js" in offline
    settings.WIJKAANPAK_LOCATIESERVER_URL = "http://127.0.0.1:9/v3_1"
    online = found(client, "")
    assert f'data-adres-zoek="{reverse("buurten:adres-zoek")}"' in online
    assert "adreszoeker.js" in online
    assert "Zoutkeetsgracht" in online  # the example in the help text
