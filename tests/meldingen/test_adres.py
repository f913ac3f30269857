"""The address of a melding: the form offers the address search and the nearest address to the
pin; on submit the server finds the address from the point itself (a local stub of PDOK
Locatieserver, ``tests/locatieserver_stub.py``) and keeps it for the handlers, and the street
alone. Without the service, or when it fails, the melding is saved without them."""

import time

import pytest
from django.urls import reverse

from meldingen import services
from meldingen.models import Doel, Melder, Melding, Outbox, RoutingRegel
from tests import factories

from .test_kaart import point
from .test_kaart import shaped as shaped
from .test_views import form_data

pytestmark = pytest.mark.django_db

# tests/locatieserver/reverse.json: the nearest address to any point.
STUB_ADRES = "Zoutkeetsgracht 3, 1013LC Amsterdam"
STUB_STRAAT = "Zoutkeetsgracht"


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie (adres)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def url(categorie):
    return reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})


def nothing_saved():
    return (
        not Melding.objects.exists() and not Melder.objects.exists() and not Outbox.objects.exists()
    )


# --- the form --------------------------------------------------------------------------------


def test_with_the_address_search_the_form_offers_an_address_combobox(
    login, member, shaped, categorie, locatieserver
):
    html = login(member).get(url(categorie)).content.decode()
    assert 'role="combobox"' in html and 'role="listbox"' in html
    assert f'data-adres-zoek="{reverse("buurten:adres-zoek")}"' in html
    assert f'data-adres-url="{reverse("buurten:adres-punt")}"' in html
    assert "adreszoeker.js" in html
    # The field has no name: the browser never sends an address to be kept.
    assert 'name="adres' not in html


def test_without_the_address_search_the_form_has_map_buurt_and_words(
    login, member, shaped, categorie
):
    html = login(member).get(url(categorie)).content.decode()
    assert 'role="combobox"' not in html and "data-adres-url" not in html
    assert "adreszoeker.js" not in html
    assert 'name="waar"' in html and 'name="buurt"' in html and "data-kaart" in html
    # The place field is the resident's own: no generated text goes into it.
    assert "data-plek-tekst" not in html


# --- on submit: the address from the point --------------------------------------------------


def test_the_address_nearest_the_pin_is_kept_with_its_street(
    login, member, shaped, categorie, locatieserver
):
    response = login(member).post(url(categorie), form_data(waar="", **point(10)))
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert (melding.adres, melding.straat) == (STUB_ADRES, STUB_STRAAT)
    (asked,) = locatieserver.endpoint_calls("reverse")
    assert asked["lat"] == [point(10)["latitude"]] and asked["lon"] == [point(10)["longitude"]]


def test_an_address_sent_by_the_browser_is_ignored(login, member, shaped, categorie, locatieserver):
    forged = {"adres": "Damstraat 1, 1012JL Amsterdam", "straat": "Naam van de buurman"}
    login(member).post(url(categorie), form_data(**point(10), **forged))
    melding = Melding.objects.get()
    assert (melding.adres, melding.straat) == (STUB_ADRES, STUB_STRAAT)


def test_without_a_pin_there_is_no_address_and_no_question(
    login, member, shaped, categorie, locatieserver
):
    login(member).post(url(categorie), form_data())
    melding = Melding.objects.get()
    assert (melding.adres, melding.straat) == ("", "")
    assert locatieserver.endpoint_calls("reverse") == []


@pytest.mark.parametrize("behaviour", [("status", 500), ("garbage",), ("slow", 2.0)])
def test_the_service_down_or_slow_the_melding_is_saved_without_address(
    login, member, shaped, categorie, locatieserver, behaviour
):
    locatieserver.behaviour["reverse"] = behaviour
    started = time.monotonic()
    response = login(member).post(url(categorie), form_data(**point(10)))
    took = time.monotonic() - started
    assert response.status_code == 302
    melding = Melding.objects.get()
    assert (melding.adres, melding.straat) == ("", "")
    assert melding.latitude == pytest.approx(float(point(10)["latitude"]))
    assert took < 1.8  # the adapter's timeout (0.5 s here), not the stub's 2 s


def test_the_service_off_the_melding_is_saved_without_address(login, member, shaped, categorie):
    response = login(member).post(url(categorie), form_data(waar="", **point(10)))
    assert response.status_code == 302
    assert (Melding.objects.get().adres, Melding.objects.get().straat) == ("", "")


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("abc", "4.88"), ("52.38", "NaN"), ("52.38; drop", "4.88"), ("1e999", "4.88")],
)
def test_a_broken_point_is_a_clear_message_and_nothing_is_saved(
    login, member, shaped, categorie, locatieserver, lat, lon
):
    response = login(member).post(url(categorie), form_data(latitude=lat, longitude=lon))
    assert response.status_code == 200
    html = response.content.decode()
    assert "De plek van de speld kwam niet goed door. Zet hem opnieuw." in html
    assert 'href="#id_latitude"' not in html  # no link to a hidden field
    assert nothing_saved()
    assert locatieserver.endpoint_calls("reverse") == []


def test_a_point_outside_the_netherlands_names_the_gemeente(
    login, member, shaped, categorie, locatieserver
):
    response = login(member).post(url(categorie), form_data(latitude="40.7", longitude="-74.0"))
    assert response.status_code == 200
    gemeente = shaped[0].wijk.gemeente.naam
    assert f"De speld staat buiten {gemeente}." in response.content.decode()
    assert nothing_saved()


def test_a_pin_in_another_buurt_says_where_the_melding_went(
    login, member, shaped, categorie, locatieserver
):
    _own, neighbour = shaped
    client = login(member)
    response = client.post(url(categorie), form_data(**point(500)), follow=True)
    html = response.content.decode()
    melding = Melding.objects.get()
    assert melding.buurt == neighbour
    assert f"Je melding ging naar {neighbour.naam}, de buurt waar het gebeurde." in html
    assert f"in {neighbour.naam}, gemeld op" in html  # the receipt page names it too


def test_an_anonymous_pin_in_another_buurt_says_where_it_went(
    login, member, shaped, categorie, locatieserver
):
    _own, neighbour = shaped
    data = form_data(bescherming="anoniem", **point(500))
    html = login(member).post(url(categorie), data, follow=True).content.decode()
    assert f"Je melding ging naar {neighbour.naam}" in html
    assert Melding.objects.get().adres == STUB_ADRES  # the handlers still get the address


def test_a_pin_in_the_own_buurt_says_nothing_extra(login, member, shaped, categorie, locatieserver):
    html = login(member).post(url(categorie), form_data(**point(10)), follow=True)
    assert "Je melding ging naar" not in html.content.decode()


def test_only_members_file_meldingen(login, resident, police, categorie, locatieserver):
    assert login(police).post(url(categorie), form_data(**point(10))).status_code == 403
    login(resident).post(url(categorie), form_data(**point(10)))
    assert nothing_saved()
    assert locatieserver.endpoint_calls("reverse") == []


# --- who sees the address ---------------------------------------------------------------------


@pytest.fixture
def met_adres(member, shaped, categorie, locatieserver):
    return factories.melding(
        user=member,
        buurt=shaped[0],
        categorie=categorie,
        wat="Iemand probeert deuren.",
        waar="Bij de ingang van de speeltuin",
        **{name: float(value) for name, value in point(10).items()},
    )


def test_the_officer_sees_the_address_beside_the_point(login, police, met_adres):
    html = login(police).get(reverse("meldingen:detail", kwargs={"pk": met_adres.pk}))
    html = html.content.decode()
    assert f"Dichtstbijzijnde adres: {STUB_ADRES}" in html
    assert "Bij de ingang van de speeltuin" in html


def test_an_officer_of_another_area_gets_a_404(login, met_adres):
    elsewhere = factories.professional("politie", factories.WijkFactory())
    response = login(elsewhere).get(reverse("meldingen:detail", kwargs={"pk": met_adres.pk}))
    assert response.status_code == 404


def test_the_reporter_sees_her_own_address_a_joiner_does_not(login, member, buurt, met_adres):
    detail = reverse("meldingen:mijn-detail", kwargs={"pk": met_adres.pk})
    own = login(member).get(detail).content.decode()
    assert STUB_ADRES in own and "Bij de ingang van de speeltuin" in own
    neighbour = factories.UserFactory()
    factories.LidmaatschapFactory(user=neighbour, buurt=buurt)
    services.melding_join(user=neighbour, melding=met_adres, bescherming="coordinator")
    theirs = login(neighbour).get(detail).content.decode()
    assert STUB_ADRES not in theirs and "Zoutkeetsgracht 3" not in theirs
    assert "Bij de ingang van de speeltuin" not in theirs


def test_a_resident_cannot_open_someone_elses_melding(login, buurt, met_adres):
    stranger = factories.UserFactory()
    factories.LidmaatschapFactory(user=stranger, buurt=buurt)
    detail = reverse("meldingen:mijn-detail", kwargs={"pk": met_adres.pk})
    assert login(stranger).get(detail).status_code == 404
    assert login(stranger).get(
        reverse("meldingen:detail", kwargs={"pk": met_adres.pk})
    ).status_code in (
        403,
        404,
    )
