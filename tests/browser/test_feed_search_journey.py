"""An officer finds a melding by its plate in Chromium: typed with spaces instead of dashes,
from the keyboard, then opens it; the filters keep the search."""

import pytest

from meldingen.models import Doel, RoutingRegel
from meldingen.services import Beschrijving
from tests import factories
from tests.browser.test_melding_journey import fresh_totp_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link(page, melding):
    """Summaries can be equal; the link to the melding is not."""
    return page.locator(f'a[href="/meldingen/{melding.pk}/"]')


def test_an_officer_finds_a_melding_by_its_plate(page, live_server):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    categorie = factories.CategorieFactory(naam="Verdachte situatie (zoeken)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    police = factories.professional("politie", buurt.wijk)
    wanted = factories.melding(
        buurt=buurt,
        categorie=categorie,
        waar="Zoutkeetsgracht",
        beschrijving=Beschrijving(voertuig_type="bestelbus", voertuig_kenteken="VX-512-K"),
    )
    other = factories.melding(buurt=buurt, categorie=categorie, waar="Realengracht")

    sign_in(page, live_server.url, police)
    page.get_by_label("Code").fill(fresh_totp_code(police))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Naar de meldingen").click()
    # The click returns before the feed has loaded: wait for it (CI once read the page before).
    page.wait_for_url("**/meldingen/feed/")
    link(page, other).wait_for()
    assert link(page, wanted).is_visible()

    page.get_by_label("Zoeken").fill("vx 512 k")
    page.get_by_label("Zoeken").press("Enter")
    page.wait_for_url("**zoek=vx+512+k**")
    link(page, wanted).wait_for()
    assert link(page, other).count() == 0
    assert page.get_by_label("Zoeken").input_value() == "vx 512 k"

    page.get_by_label("Zoeken").fill("vx")
    page.get_by_role("button", name="Filteren").click()
    page.get_by_text("Zoek op minstens 3 tekens").wait_for()

    page.get_by_label("Zoeken").fill("VX512K")
    page.get_by_role("button", name="Filteren").click()
    link(page, wanted).click()
    page.get_by_text("Zoutkeetsgracht").first.wait_for()
