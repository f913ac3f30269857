"""An amount in an English browser: "85,50" is € 85,50, shown back while typing and after
submitting (a number field made it € 8.550,00). And the coordinator's queue on a phone."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.test_melding_journey import fresh_totp_code, sign_in
from verzoeken import services
from verzoeken.models import Verzoek

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_english_browser_reads_85_50_as_the_resident_means_it(new_page, live_server, tmp_path):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    page = new_page(locale="en-US")
    sign_in(page, live_server.url, resident)
    page.goto(live_server.url + "/activiteiten/verzoeken/nieuw/")

    page.get_by_label("Wat heb je nodig").select_option("budget")
    amount = page.get_by_label("Bedrag (€)")
    assert amount.get_attribute("type") == "text"
    assert amount.get_attribute("inputmode") == "decimal"
    amount.press_sequentially("8550")
    page.get_by_text("Je vraagt € 8.550,00.").wait_for()
    page.get_by_text("Dat is meer dan gebruikelijk voor “Klein budget”").wait_for()
    page.screenshot(path=str(tmp_path / "bedrag-waarschuwing.png"), full_page=True)
    amount.fill("")
    amount.press_sequentially("85,5,0")
    page.get_by_text("Dit bedrag is op twee manieren te lezen.").wait_for()
    amount.fill("")
    amount.press_sequentially("85,50")
    page.get_by_text("Je vraagt € 85,50.").wait_for()
    assert page.get_by_text("meer dan gebruikelijk").is_hidden()

    needed = timezone.localdate() + timedelta(days=20)
    page.get_by_label("Nodig op").fill(needed.isoformat())
    page.get_by_label("Korte toelichting").fill("Koffie en koek voor de buurtborrel")
    page.get_by_role("button", name="Indienen").click()
    page.get_by_text("Je verzoek is ingediend. Je vraagt € 85,50.").wait_for()
    assert Verzoek.objects.get().bedrag == Decimal("85.50")


def test_the_queue_on_a_phone_keeps_the_filter_button_on_one_line(new_page, live_server, tmp_path):
    buurt = factories.BuurtFactory(naam="Haarlemmerbuurt-West")
    coordinator = factories.professional("coordinator", buurt.wijk)
    member = factories.LidmaatschapFactory(buurt=buurt).user
    verzoek = services.verzoek_create(
        aanvrager=member,
        buurt=buurt,
        soort="budget",
        bedrag=Decimal("120"),
        toelichting="Springkussen voor het straatfeest",
        nodig_op=timezone.localdate() + timedelta(days=20),
        indienen=True,
    )
    services.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="toekennen")
    page = new_page(width=375)
    sign_in(page, live_server.url, coordinator)
    page.get_by_label("Code").fill(fresh_totp_code(coordinator))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Welkom").wait_for()
    page.goto(live_server.url + "/activiteiten/verzoeken/wachtrij/?status=alle&q=springkussen")
    button = page.get_by_role("button", name="Filteren")
    line = page.evaluate(
        "(el) => parseFloat(getComputedStyle(el).lineHeight)", button.element_handle()
    )
    assert button.bounding_box()["height"] < 2 * line  # one line: not "Filtere/n"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Klein budget · € 120,00").wait_for()
    page.get_by_role("cell", name="€ 120,00").wait_for()
    page.screenshot(path=str(tmp_path / "wachtrij-375.png"), full_page=True)
