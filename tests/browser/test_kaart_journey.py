"""The map on a phone, with only the buurt shapes this site holds (no outside service): a
resident taps the place in the melding form, sees the pin and the buurt to confirm, moves it
with "use my location", and submits; the officer sees the point on the melding page."""

import os
from pathlib import Path

import pytest

from buurten import geo
from meldingen import services
from meldingen.models import Doel, Melding, RoutingRegel
from tests import factories

from .test_melding_journey import fresh_totp_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CENTRE = (120700.0, 487700.0)
# Set KAART_SCREENSHOTS=/some/dir to look at the pages.
SCREENSHOTS = Path(os.environ["KAART_SCREENSHOTS"]) if os.environ.get("KAART_SCREENSHOTS") else None


def test_pin_in_the_form_and_the_point_for_the_officer(new_page, live_server):
    buurt = factories.BuurtFactory(
        naam="Westelijke eilanden", geometrie=factories.square(*CENTRE, 300)
    )
    buren = factories.BuurtFactory(
        wijk=buurt.wijk,
        naam="Buurbuurt e.o.",  # a name that ends in its own full stop
        geometrie=factories.square(CENTRE[0] + 600, CENTRE[1], 300),
    )
    categorie = factories.CategorieFactory(naam="Verdachte situatie (kaart)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    police = factories.professional("politie", buurt.wijk)

    bewoner = new_page()
    sign_in(bewoner, live_server.url, resident)
    bewoner.goto(f"{live_server.url}/meldingen/nieuw/{categorie.pk}/")
    kaart = bewoner.locator("[data-kaart][data-kaart-klaar]")
    kaart.wait_for()
    assert bewoner.locator("path.leaflet-interactive, svg path").count() >= 2  # both shapes
    # The keyboard passes the map in a few steps: its shapes are no tab stops (the place in
    # words and the buurt list are the keyboard's way).
    bewoner.get_by_label("Waar?").focus()
    stops, hrefs = [], []
    for _ in range(8):
        bewoner.keyboard.press("Tab")
        stops.append(bewoner.evaluate("document.activeElement.tagName.toLowerCase()"))
        hrefs.append(bewoner.evaluate("document.activeElement.getAttribute('href') || ''"))
        if bewoner.evaluate("document.activeElement.id") == "id_buurt":
            break
    assert "path" not in stops and bewoner.evaluate("document.activeElement.id") == "id_buurt"
    # Leaflet is credited in words: no stop on a link to its site on the way to the buurt.
    assert not any("leafletjs" in href for href in hrefs)
    assert "Leaflet" in bewoner.locator(".leaflet-control-attribution").inner_text()

    # A tap in the middle of the map (fitted to the own buurt) drops the pin there.
    kaart.click()
    bewoner.locator(".leaflet-marker-icon").wait_for()
    status = bewoner.locator("[data-kaart-status]")
    assert "Speld gezet in Westelijke eilanden" in status.inner_text()
    # The place field is the resident's own words: the pin's place is said, not typed in.
    assert bewoner.get_by_label("Waar?").input_value() == ""
    assert bewoner.get_by_label("Buurt", exact=True).input_value() == buurt.code

    # "Use my location" in the next buurt: the pin moves there, and the form says before
    # submitting that the melding goes to that buurt (the heading names the own buurt).
    lat, lon = geo.rd_to_wgs84(CENTRE[0] + 650, CENTRE[1] + 20)
    bewoner.context.grant_permissions(["geolocation"], origin=live_server.url)
    bewoner.context.set_geolocation({"latitude": lat, "longitude": lon})
    bewoner.get_by_role("button", name="Gebruik mijn huidige locatie").click()
    bewoner.get_by_text(
        "Deze plek ligt in Buurbuurt e.o.: je melding gaat naar de buurt waar het gebeurde."
    ).wait_for()
    assert bewoner.get_by_label("Waar?").input_value() == ""
    assert bewoner.get_by_label("Buurt", exact=True).input_value() == buren.code
    # No address search here (offline): no address line, and no request for one.
    assert bewoner.locator("[data-kaart-adres]").inner_text() == ""
    assert bewoner.locator("#id_adres_zoek").count() == 0

    # "Speld weghalen" clears the pin and everything said about it.
    bewoner.get_by_role("button", name="Speld weghalen").click()
    assert bewoner.locator(".leaflet-marker-icon").count() == 0
    assert status.inner_text() == ""
    assert bewoner.locator("[data-geolocate-status]").inner_text() == ""
    assert bewoner.locator("#id_latitude").input_value() == ""
    bewoner.get_by_role("button", name="Gebruik mijn huidige locatie").click()
    bewoner.get_by_text("Deze plek ligt in Buurbuurt").wait_for()
    # The resident adds words of her own.
    bewoner.get_by_label("Waar?").fill("Zoutkeetsgracht, bij de brug")
    bewoner.get_by_label("Wat gebeurde er?").fill("Man probeert portieren van auto's.")
    if SCREENSHOTS:
        bewoner.wait_for_timeout(1000)  # the pan's animation
        bewoner.screenshot(path=SCREENSHOTS / "melding-form.png", full_page=True)
    bewoner.get_by_role("button", name="Melding versturen").click()
    bewoner.get_by_text("Dank je. Je melding is ontvangen.").wait_for()
    assert bewoner.get_by_text(
        "Je melding ging naar Buurbuurt e.o., de buurt waar het gebeurde."
    ).is_visible()
    assert bewoner.get_by_text("in Buurbuurt e.o., gemeld op").is_visible()

    melding = Melding.objects.get()
    assert melding.buurt == buren and melding.waar == "Zoutkeetsgracht, bij de brug"
    assert (melding.latitude, melding.longitude) == pytest.approx((lat, lon), abs=1e-6)
    services.melding_route(melding_id=melding.pk)  # what the worker does

    agent = new_page()
    sign_in(agent, live_server.url, police)
    agent.get_by_label("Code").fill(fresh_totp_code(police))
    agent.get_by_role("button", name="Inloggen").click()
    agent.wait_for_url(lambda url: "/accounts/" not in url)
    agent.goto(f"{live_server.url}/meldingen/{melding.pk}/")
    agent.locator("[data-kaart][data-kaart-klaar]").wait_for()
    marker = agent.locator(".leaflet-marker-icon")
    assert marker.is_visible() and marker.get_attribute("alt") == "Punt van de melder"
    assert agent.locator("svg path").count() >= 1  # the buurt's outline
    assert agent.locator("[data-kaart-fout]").count() == 0
    agent.screenshot(path=SCREENSHOTS / "melding-agent.png") if SCREENSHOTS else None

    # The feed's map: the open meldingen with a point, from the same filters as the list.
    agent.goto(f"{live_server.url}/meldingen/feed/")
    feed_kaart = agent.locator("[data-kaart][data-kaart-klaar]")
    feed_kaart.wait_for()
    assert feed_kaart.get_attribute("data-kaart-fout") is None
    assert feed_kaart.get_attribute("data-punten") == "1"
    agent.locator(".leaflet-marker-icon").first.click()
    agent.locator(".leaflet-popup").get_by_role("link", name=melding.samenvatting).click()
    agent.wait_for_url(f"**/meldingen/{melding.pk}/")


def test_the_buurt_list_map_opens_a_buurt_and_the_feed_map_shows_the_area(new_page, live_server):
    buurt = factories.BuurtFactory(
        naam="Westelijke eilanden", geometrie=factories.square(*CENTRE, 300)
    )
    factories.BuurtFactory(
        wijk=buurt.wijk,
        naam="Buurbuurt",
        geometrie=factories.square(CENTRE[0] + 600, CENTRE[1], 300),
    )
    # Another wijk of the same gemeente, outside the officer's area.
    elders = factories.BuurtFactory(
        wijk=factories.WijkFactory(gemeente=buurt.wijk.gemeente),
        naam="Verre buurt",
        geometrie=factories.square(CENTRE[0] + 3000, CENTRE[1], 300),
    )
    categorie = factories.CategorieFactory(naam="Verdachte situatie (kaart)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    police = factories.professional("politie", buurt.wijk)
    for dx in (0, 40, 600):
        lat, lon = geo.rd_to_wgs84(CENTRE[0] + dx, CENTRE[1])
        melding = factories.melding(user=resident, categorie=categorie, latitude=lat, longitude=lon)
        services.melding_route(melding_id=melding.pk)

    # A visitor's list: every shape of the gemeente drawn; a tap on one opens that buurt.
    bezoeker = new_page()
    bezoeker.goto(f"{live_server.url}/buurten/lijst/")
    lijst_kaart = bezoeker.locator("#buurt-kaart[data-kaart-klaar]")
    lijst_kaart.wait_for()
    assert lijst_kaart.get_attribute("data-kaart-fout") is None
    assert lijst_kaart.locator("path.leaflet-interactive").count() == 3
    assert lijst_kaart.locator("path[tabindex='-1']").count() == 3  # no tab stops
    box = lijst_kaart.bounding_box()
    # The map fits all three (west to east over 3.6 km): Westelijke eilanden lies at the left.
    bezoeker.mouse.click(box["x"] + box["width"] * 0.09, box["y"] + box["height"] / 2)
    bezoeker.wait_for_url(f"**/buurten/{buurt.code}/")
    if SCREENSHOTS:
        bezoeker.goto(f"{live_server.url}/buurten/lijst/")
        bezoeker.locator("#buurt-kaart[data-kaart-klaar]").wait_for()
        bezoeker.screenshot(path=SCREENSHOTS / "buurt-lijst.png")

    # The officer's feed: the area's two shapes (not the other wijk's) under the points.
    agent = new_page()
    sign_in(agent, live_server.url, police)
    agent.get_by_label("Code").fill(fresh_totp_code(police))
    agent.get_by_role("button", name="Inloggen").click()
    agent.wait_for_url(lambda url: "/accounts/" not in url)
    agent.goto(f"{live_server.url}/meldingen/feed/")
    feed_kaart = agent.locator("[data-kaart][data-kaart-klaar]")
    feed_kaart.wait_for()
    assert feed_kaart.get_attribute("data-kaart-fout") is None
    assert feed_kaart.get_attribute("data-punten") == "3"
    assert feed_kaart.locator(".leaflet-overlay-pane path").count() == 2
    markers = feed_kaart.locator(".leaflet-marker-icon")  # single pins and clusters
    assert markers.count() >= 1 and markers.first.is_visible()
    assert elders.naam not in agent.content()
    agent.screenshot(path=SCREENSHOTS / "feed.png") if SCREENSHOTS else None
