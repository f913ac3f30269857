"""Berichten on a phone: the menu's button says how many notices are unread, the resident opens
the inbox from the menu, reads the news about her melding with the keyboard, and the count is
gone."""

import re

import pytest

from meldingen import services as meldingen
from meldingen.models import Doel, RoutingRegel
from meldingen.workflow import Actie
from tests import factories

from .test_melding_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_opens_her_inbox_from_the_menu_and_reads_a_notice(new_page, live_server):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    categorie = factories.CategorieFactory(naam="Verdachte situatie (berichten)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    police = factories.professional("politie", buurt.wijk)
    melding = factories.melding(user=resident, categorie=categorie)
    meldingen.melding_transition(
        melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Agent is langs geweest."
    )

    page = new_page()
    sign_in(page, live_server.url, resident)
    # A phone shows the folded menu: its button carries the one count, for screen readers too.
    toggler = page.get_by_role("button", name="Menu openen 2 ongelezen berichten")
    toggler.click()
    page.get_by_role("link", name=re.compile(r"^Berichten")).click()
    page.wait_for_url(f"{live_server.url}/berichten/")
    assert page.get_by_role("status").inner_text() == "Je hebt 2 ongelezen berichten."
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    notice = page.get_by_role("button", name=re.compile(r"^Ongelezen: Nieuws over je melding"))
    first = page.locator("[data-bericht]").first.inner_text()
    assert "Afgesloten: Agent is langs geweest." in first
    notice.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/meldingen/mijn/{melding.pk}/")
    assert page.get_by_text("Agent is langs geweest.").first.is_visible()

    # Read: the melding's page read its receipt as well; the count is gone everywhere.
    page.get_by_role("button", name="Menu openen").click()
    page.get_by_role("link", name="Berichten").click()
    page.wait_for_url(f"{live_server.url}/berichten/")
    assert page.get_by_role("status").inner_text() == "Je hebt alles gelezen."
    assert page.get_by_role("button", name=re.compile(r"^Nieuws over je melding")).is_visible()
    assert page.get_by_role("button", name=re.compile("Ongelezen")).count() == 0
