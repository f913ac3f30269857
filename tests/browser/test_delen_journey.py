"""The organiser shares an activity in Chromium: "Kopieer link" puts the invitation link on the
clipboard and says so, the WhatsApp link carries the text, the QR code opens on demand."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from activiteiten.models import Soort
from tests import factories
from tests.browser.test_melding_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_organiser_copies_the_invitation_link(new_page, live_server, settings):
    settings.WIJKAANPAK_SITE_URL = "https://wijk.example.nl"
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    Soort.objects.get_or_create(naam="Buurtpreventie-ronde")
    activiteit = factories.activiteit(organisator=organiser, titel="Opschoonochtend")
    link = "https://wijk.example.nl" + reverse(
        "activiteiten:uitnodiging", kwargs={"token": activiteit.uitnodiging}
    )

    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, live_server.url, organiser)
    page.goto(live_server.url + activiteit.get_absolute_url())

    box = page.locator("[data-deel]")
    assert link in box.inner_text()  # the whole link, not cut off
    assert not page.get_by_role("button", name="Delen").is_visible()  # no share sheet here
    page.get_by_role("button", name="Kopieer link").click()
    page.get_by_role("status").filter(has_text="Link gekopieerd").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link

    whatsapp = page.get_by_role("link", name="Via WhatsApp")
    assert whatsapp.get_attribute("target") == "_blank"
    href = whatsapp.get_attribute("href")
    assert href.startswith("https://wa.me/?text=")
    assert unquote(href.removeprefix("https://wa.me/?text=")).endswith(f"in {buurt.naam}: {link}")

    qr = page.get_by_role("img", name=f"QR-code met de link {link}")
    assert not qr.is_visible()
    page.get_by_text("QR-code tonen").click()
    qr.wait_for()
    assert qr.locator("svg").bounding_box()["width"] > 100
