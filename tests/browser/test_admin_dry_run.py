"""The routing dry run in Chromium: the administrator types part of a buurt's name, picks it
from the suggestions and sees where a melding would go, with no console (CSP) errors."""

from datetime import time

import pytest

from meldingen.models import Doel, RoutingRegel
from tests import factories
from tests.browser.test_melding_journey import fresh_totp_code
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_finds_a_buurt_by_typing_and_sees_the_route(page, live_server):
    factories.BuurtFactory.create_batch(40)
    factories.BuurtFactory(naam="Burgwallen-Oude Zijde")
    # Its own rule: transactional tests empty the tables, the migrations' rules included.
    overlast = factories.CategorieFactory(naam="Overlast (browser)")
    RoutingRegel.objects.create(
        volgorde=1, categorie=overlast, vanaf=time(22), tot=time(6), doel=Doel.POLITIE
    )
    beheerder = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(beheerder.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(fresh_totp_code(beheerder))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Welkom").wait_for()

    page.goto(live_server.url + "/beheer/meldingen/routingregel/proef/")
    page.get_by_label("Categorie").select_option(label="Overlast (browser)")
    page.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("oude zij")
    page.get_by_role("option", name="Burgwallen-Oude Zijde").click()
    page.get_by_label("Tijdstip van melden").fill("2026-11-28T23:30")
    page.get_by_role("button", name="Bekijk de route").click()
    page.get_by_role("heading", name="Uitkomst").wait_for()
    assert page.locator("strong", has_text="Politie").count() == 1
    assert "Burgwallen-Oude Zijde" in page.locator(".select2-selection").inner_text()
