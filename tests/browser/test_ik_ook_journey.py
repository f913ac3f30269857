"""'Ik ook' on a phone: a resident opens the melding form, sees the neighbours' open meldingen
of the same kind with when and the street, sets the pin, and the list says roughly how far
each is from it, nearest first. Never the neighbour's words, house number or point."""

import re

import pytest

from buurten import geo
from buurten.geometrie import distance_m
from meldingen import ikook
from meldingen.models import Doel, Melding, RoutingRegel
from tests import factories

from .test_melding_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CENTRE = (120700.0, 487700.0)
WORDS = "Hij stond weer bij mijn voordeur op nummer 12"


def test_the_pin_orders_the_neighbours_meldingen_by_distance(new_page, live_server):
    buurt = factories.BuurtFactory(
        naam="Westelijke eilanden", geometrie=factories.square(*CENTRE, 400)
    )
    categorie = factories.CategorieFactory(naam="Verdachte situatie (ik ook)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    point = geo.rd_to_wgs84(CENTRE[0], CENTRE[1] + 250)
    near = factories.melding(
        buurt=buurt, categorie=categorie, wat=WORDS, latitude=point[0], longitude=point[1]
    )
    Melding.objects.filter(pk=near.pk).update(
        straat="Zoutkeetsgracht", adres="Zoutkeetsgracht 12, 1013 LC Amsterdam"
    )
    # Newer, without a point: first without a pin, last with one.
    factories.melding(buurt=buurt, categorie=categorie, wat=WORDS)
    resident = factories.LidmaatschapFactory(buurt=buurt).user

    page = new_page()
    sign_in(page, live_server.url, resident)
    page.goto(f"{live_server.url}/meldingen/nieuw/{categorie.pk}/")
    page.locator("[data-kaart][data-kaart-klaar]").wait_for()
    lijst = page.locator("[data-ik-ook-lijst]")
    items = lijst.locator("[data-ik-ook-melding]")
    assert items.count() == 2
    assert "Zoutkeetsgracht" in items.nth(1).inner_text()
    assert "van je speld" not in lijst.inner_text()
    assert page.get_by_text("Zet je speld op de kaart").is_visible()

    pin = geo.rd_to_wgs84(*CENTRE)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": pin[0], "longitude": pin[1]})
    page.get_by_role("button", name="Gebruik mijn huidige locatie").click()
    page.get_by_text("van je speld").first.wait_for()
    expected = ikook.distance_text(
        ikook.coarse_distance(
            distance_m(round(pin[0], 6), round(pin[1], 6), *ikook.cell_centre(*point))
        )
    )
    assert re.fullmatch(r"ongeveer \d+ m van je speld", expected)
    first = items.nth(0).inner_text()
    assert "Zoutkeetsgracht" in first and expected in first, first
    assert "van je speld" not in items.nth(1).inner_text()
    assert "Dichtstbij je speld eerst" in lijst.inner_text()
    assert page.locator("[data-ik-ook-status]").inner_text().startswith("De meldingen van buren")
    html = page.content()
    for private in (WORDS, "Zoutkeetsgracht 12", "1013 LC", f"{point[0]:.4f}", f"{point[1]:.4f}"):
        assert private not in html
    # Taking the pin away puts the list back in time order.
    page.get_by_role("button", name="Speld weghalen").click()
    page.get_by_text("weer op tijd, nieuwste eerst").wait_for(state="attached")
    assert "van je speld" not in lijst.inner_text()
    assert "Zoutkeetsgracht" in items.nth(1).inner_text()
    # The list still takes an "ik ook".
    items.nth(1).get_by_role("button", name="Ik ook").click()
    page.get_by_text("Je melding is toegevoegd aan die van je buren").wait_for()
    near.refresh_from_db()
    assert near.gewicht == 2

    # Back on the form, the melding just joined is left out.
    page.goto(f"{live_server.url}/meldingen/nieuw/{categorie.pk}/")
    page.locator("[data-kaart][data-kaart-klaar]").wait_for()
    assert items.count() == 1
    assert "Zoutkeetsgracht" not in lijst.inner_text()
