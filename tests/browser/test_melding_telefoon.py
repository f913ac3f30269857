"""The phone number on the melding form counts only when police or enforcement may make
contact: it shows with that choice, and is left out (not sent, so never refused) with another.
Without JavaScript it shows, and the server says when it does not count (tests/meldingen)."""

import pytest
from playwright.sync_api import expect

from meldingen.models import Melder, Melding
from tests import factories
from tests.browser.test_melding_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_phone_field_follows_the_choice_of_protection(new_page, live_server):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    categorie = factories.CategorieFactory(naam="Verdachte situatie (telefoon)")
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    page = new_page()
    sign_in(page, live_server.url, resident)
    page.goto(f"{live_server.url}/meldingen/nieuw/{categorie.pk}/")
    phone = page.get_by_label("Telefoonnummer", exact=False)

    expect(phone).to_be_hidden()  # "alleen de coördinator" is the default
    page.get_by_label("Politie of handhaving mag contact opnemen").check()
    expect(phone).to_be_visible()
    phone.fill("0612345678")
    page.get_by_label("Anoniem", exact=False).first.check()
    expect(phone).to_be_hidden()

    page.get_by_label("Wat gebeurde er?").fill("Iemand probeert de deur van het fietsenhok.")
    page.get_by_label("Waar?").fill("Fietsenhok Zandhoek")
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_text("Dank je. Je melding is anoniem ontvangen.").wait_for()
    melder = Melding.objects.get().melders.get()
    assert melder.bescherming == Melder.Bescherming.ANONIEM and not melder.telefoon
