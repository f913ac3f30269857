"""A newcomer finds her buurt by typing her street (the address search served by a local stub
of PDOK), and, with no address search, a local name the data lacks leads her to the list."""

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_street_and_picking_the_address_opens_the_buurt(
    new_page, live_server, locatieserver
):
    buurt = factories.BuurtFactory(code="BU0363AA02", naam="Westelijke eilanden")
    page = new_page()
    page.goto(f"{live_server.url}/buurten/")
    page.get_by_label("Zoek je buurt").press_sequentially("Zoutkeetsgr", delay=30)
    page.get_by_role("option", name="Zoutkeetsgracht 1, 1013LC Amsterdam").click()
    page.wait_for_url(f"**{buurt.get_absolute_url()}")
    assert page.get_by_role("heading", name="Westelijke eilanden").is_visible()


def test_a_local_name_without_data_leads_to_the_list(new_page, live_server):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    page = new_page()
    page.goto(f"{live_server.url}/buurten/")
    page.get_by_label("Zoek je buurt").fill("Realeneiland")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Kies je buurt op de kaart of uit de lijst").click()
    page.get_by_text("Overig").click()  # a buurt without stadsdeel; each one opens and closes
    page.get_by_role("link", name="Westelijke eilanden").click()
    page.wait_for_url(f"**{buurt.get_absolute_url()}")


def test_my_location_finds_the_buurt_by_its_shape_without_the_address_search(chromium, live_server):
    from tests.open311.conftest import square

    buurt = factories.BuurtFactory(
        naam="Westelijke eilanden",
        latitude=52.3885,
        longitude=4.8878,
        geometrie=square(52.3885, 4.8878),
    )
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        locale="nl-NL",
        geolocation={"latitude": 52.3886, "longitude": 4.8877},
        permissions=["geolocation"],
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/buurten/")
        page.get_by_role("button", name="Gebruik mijn huidige locatie").click()
        page.wait_for_url(f"**{buurt.get_absolute_url()}", timeout=15_000)
    finally:
        context.close()
