"""A resident types the address where it happened (the address search served by a local stub
of PDOK Locatieserver), picks a suggestion with the keyboard, sees the pin and the address to
confirm, moves the pin and sees the nearest address, and gets a receipt; the server keeps the
address it found from the point itself, for the handlers."""

import pytest

from meldingen.models import Doel, Melding, RoutingRegel
from tests import factories
from tests.open311.conftest import square

from .crawl import AXE, RUN
from .test_melding_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# tests/locatieserver/lookup_adr-0a1b….json: Zoutkeetsgracht 1; reverse.json: Zoutkeetsgracht 3.
LAT, LON = 52.38834567, 4.88801234
GEKOZEN = "Zoutkeetsgracht 1, 1013LC Amsterdam"
DICHTSTBIJ = "Zoutkeetsgracht 3, 1013LC Amsterdam"


def test_typing_an_address_sets_the_pin_to_confirm_and_the_receipt_follows(
    new_page, live_server, locatieserver
):
    buurt = factories.BuurtFactory(
        code="BU0363AA02", naam="Westelijke eilanden", geometrie=square(LAT, LON)
    )
    categorie = factories.CategorieFactory(naam="Verdachte situatie (adres)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    resident = factories.LidmaatschapFactory(buurt=buurt).user

    page = new_page()
    sign_in(page, live_server.url, resident)
    page.goto(f"{live_server.url}/meldingen/nieuw/{categorie.pk}/")
    page.locator("[data-kaart][data-kaart-klaar]").wait_for()
    page.get_by_label("Wat gebeurde er?").fill("Iemand probeert de deuren van auto's.")

    # Suggestions while typing, in a combobox a keyboard and a screen reader can use.
    adres = page.get_by_role("combobox", name="Adres (optioneel)")
    adres.press_sequentially("Zoutkeetsgr", delay=30)
    page.get_by_role("listbox", name="Adressen").get_by_role("option").first.wait_for()
    assert adres.get_attribute("aria-expanded") == "true"
    assert "4 adressen gevonden" in page.locator("[data-adres-status]").inner_text()
    adres.press("ArrowDown")
    adres.press("ArrowDown")
    active = page.locator(f"#{adres.get_attribute('aria-activedescendant')}")
    assert active.inner_text() == GEKOZEN and active.get_attribute("aria-selected") == "true"
    page.evaluate(AXE)  # the open combobox passes axe-core (roles, names, ARIA references)
    assert page.evaluate(RUN, []) == []
    adres.press("Enter")  # picks the address; the form is not sent

    # The pin at the address, the address and the buurt to confirm.
    page.locator(".leaflet-marker-icon").wait_for()
    bevestiging = page.locator("[data-kaart-adres]")
    page.get_by_text(f"Adres: {GEKOZEN}.").wait_for()
    assert "Speld gezet in Westelijke eilanden" in page.locator("[data-kaart-status]").inner_text()
    assert adres.get_attribute("aria-expanded") == "false"
    assert float(page.locator("#id_latitude").input_value()) == pytest.approx(LAT, abs=1e-6)
    assert page.get_by_label("Buurt", exact=True).input_value() == buurt.code
    assert page.get_by_label("Waar?").input_value() == ""
    assert not Melding.objects.exists()

    # A tap beside it moves the pin: the nearest address to confirm, through the reverse search.
    kaart = page.locator("[data-kaart]")
    box = kaart.bounding_box()
    kaart.click(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2 + 30})
    page.get_by_text(f"Dichtstbijzijnde adres: {DICHTSTBIJ} — klopt dat?").wait_for()
    moved = float(page.locator("#id_longitude").input_value())
    assert moved != pytest.approx(LON, abs=1e-7)
    assert adres.input_value() == ""  # the typed address is no longer where the pin is

    # "Speld weghalen" takes the pin, the address and the status away.
    page.get_by_role("button", name="Speld weghalen").click()
    assert page.locator(".leaflet-marker-icon").count() == 0
    assert bevestiging.inner_text() == "" and page.locator("[data-kaart-status]").inner_text() == ""
    assert page.locator("#id_latitude").input_value() == ""

    # Picked again, by a tap on the suggestion this time; the place in words is optional.
    adres.press_sequentially("Zoutkeetsgr", delay=30)
    page.get_by_role("option", name=GEKOZEN).click()
    page.get_by_text(f"Adres: {GEKOZEN}.").wait_for()
    page.get_by_role("button", name="Melding versturen").click()

    page.get_by_text("Dank je. Je melding is ontvangen.").wait_for()
    melding = Melding.objects.get()
    assert page.get_by_test_id("referentie").inner_text() == melding.referentie
    assert page.get_by_text("in Westelijke eilanden, gemeld op").is_visible()
    # The server asked for the address at the point (the stub answers Zoutkeetsgracht 3), and
    # the browser sent none.
    assert (melding.adres, melding.straat) == (DICHTSTBIJ, "Zoutkeetsgracht")
    assert (melding.latitude, melding.longitude) == pytest.approx((LAT, LON), abs=1e-6)
    assert melding.waar == ""
    assert page.get_by_text(f"Dichtstbijzijnde adres: {DICHTSTBIJ}").is_visible()
