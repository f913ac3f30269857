"""The indicators' journey in Chromium: a resident answers the buurt survey → the coordinator
closes the round and recomputes (a real Celery worker, progress polled by static JS) → the map
and the table show the new (live) figure; the resident's own buurt page keeps to the published
quarter until the quarter is over."""

import pytest

from indicatoren import kwartaal, services
from indicatoren.compute import compute_snapshots
from indicatoren.models import Berekening, Respons
from indicatoren.survey import WEET_NIET_CODE
from tests import factories
from tests.browser.test_melding_journey import fresh_totp_code, sign_in
from tests.indicatoren.views_support import square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 29 neighbours answered already; the resident's answer is the 30th, the minimum for a figure.
EERDER = {"sc1": 1, "sc2": 3, "sc3": 2, "sc4": 4, "sc5": 3, "bereidheid": 4, "aanspreken": 4}


def test_answer_close_recompute_and_see_the_figure(new_page, live_server, worker):
    buurt = factories.BuurtFactory(naam="Planciusbuurt", geometrie=square(0, 0, 400))
    factories.BuurtFactory(wijk=buurt.wijk, naam="Zoutkeetsbuurt", geometrie=square(400, 0, 400))
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    coordinator = factories.professional("coordinator", buurt.wijk)
    peiling = services.peiling_open(wijk=buurt.wijk, by=coordinator, titel="Buurtpeiling najaar")
    Respons.objects.bulk_create(
        [Respons(peiling=peiling, buurt=buurt, **EERDER) for _ in range(29)]
    )
    q_start, q_eind = kwartaal.last_ended()
    start, eind = services.default_periode()
    compute_snapshots(gemeente=buurt.wijk.gemeente, periode_start=start, periode_eind=eind)
    # The last ended quarter was published (by the nightly run of its next quarter's 1st).
    services.publicatie_first(
        gemeente=buurt.wijk.gemeente, periode_start=q_start, periode_eind=q_eind
    )

    # The resident sees the invitation and answers in two minutes, with one "weet niet", a few
    # statements a step.
    bewoner = new_page()
    sign_in(bewoner, live_server.url, resident)
    bewoner.get_by_role("link", name="Peiling invullen").click()
    for text, answer in [
        ("De mensen kennen elkaar in deze buurt nauwelijks.", "Mee oneens"),
        ("De mensen gaan in deze buurt op een prettige manier met elkaar om.", "Mee eens"),
        ("Ik woon in een gezellige buurt waar veel saamhorigheid is.", "Weet niet"),
        ("Ik voel mij thuis bij de mensen die in deze buurt wonen.", "Helemaal mee eens"),
        ("Ik woon in een buurt waar mensen elkaar helpen en dingen samen doen.", "Mee eens"),
    ]:
        group = bewoner.get_by_role("group", name=text)
        if not group.is_visible():
            bewoner.get_by_role("button", name="Volgende").click()
        group.get_by_text(answer, exact=True).click()
    while not bewoner.get_by_role("group", name="Ik ben bereid om samen").is_visible():
        bewoner.get_by_role("button", name="Volgende").click()
    bewoner.get_by_role(
        "group", name="Ik ben bereid om samen met buurtbewoners iets te doen"
    ).get_by_text("Helemaal mee eens", exact=True).click()
    bewoner.get_by_role("button", name="Volgende").click()
    bewoner.get_by_role("button", name="Antwoorden versturen").click()
    bewoner.get_by_text("Je antwoorden zijn anoniem opgeslagen").wait_for()
    assert Respons.objects.count() == 30
    mine = Respons.objects.get(sc3=WEET_NIET_CODE)  # the "weet niet", an answer of its own
    assert mine.drugshandel is None  # an item left open is skipped, not "weet niet"
    bewoner.get_by_text("Nog te weinig antwoorden om cijfers te tonen").wait_for()

    # The coordinator signs in with TOTP; before: too few answers in Planciusbuurt.
    coord = new_page()
    sign_in(coord, live_server.url, coordinator)
    coord.get_by_label("Code").fill(fresh_totp_code(coordinator))
    coord.get_by_role("button", name="Inloggen").click()
    coord.get_by_role("link", name="Naar het dashboard").click()
    coord.get_by_label("Indicator").select_option(label="Sociale cohesie")
    coord.get_by_role("button", name="Tonen").click()
    row = coord.get_by_role("row", name="Planciusbuurt")
    assert "te weinig antwoorden" in row.inner_text()
    assert coord.locator("path.kaart-onderdrukt").count() == 2

    # The round is closed, then recomputed by the worker; the progress page follows it.
    coord.get_by_role("link", name="Buurtpeilingen").first.click()
    coord.once("dialog", lambda dialog: dialog.accept())
    coord.get_by_role("button", name="Sluiten").click()
    coord.get_by_text("is gesloten").wait_for()
    coord.goto(live_server.url + "/indicatoren/dashboard/?indicator=sociale_cohesie")
    coord.get_by_role("button", name="Nu herberekenen").click()
    coord.get_by_text("Klaar: de nieuwe cijfers staan op het dashboard.").wait_for(timeout=60_000)
    assert coord.locator("progress#voortgang").evaluate("bar => bar.value") == 100
    assert Berekening.objects.get().status == "klaar"

    # After: the map and the table show Planciusbuurt's figure (30 answers), not its neighbour's.
    coord.get_by_role("link", name="Naar het dashboard").click()
    coord.get_by_label("Indicator").select_option(label="Sociale cohesie")
    coord.get_by_role("button", name="Tonen").click()
    row = coord.get_by_role("row", name="Planciusbuurt")
    assert "te weinig antwoorden" not in row.inner_text()
    assert "30" in row.inner_text()
    assert coord.locator("path.kaart-onderdrukt").count() == 1
    label = coord.locator("text.kaart-label").first.text_content()
    assert label in row.inner_text()

    # The buurt's trend on a phone: the chart is shrunk to fit, so its labels are drawn larger.
    coord.get_by_role("link", name="Planciusbuurt", exact=True).click()
    tick = coord.locator("svg.grafiek text.grafiek-as").first
    assert tick.evaluate("t => getComputedStyle(t).fontSize") == "15px"

    # The resident's own buurt page shows the published quarter only: the figure just computed
    # is the coordinators' until this quarter is over and published (a figure that moved with
    # every answer would give the newest answer away).
    bewoner.goto(live_server.url + "/indicatoren/mijn-buurt/")
    bewoner.get_by_text("In het laatste kwartaal").wait_for()
    assert bewoner.get_by_text("Nog te weinig antwoorden").count() == 1
    assert bewoner.get_by_text("wil samen iets doen voor de buurt").count() == 0
    assert bewoner.get_by_text("6,4").count() == 0  # no six-statement national comparison


def test_progress_bar_follows_the_computation_without_reloading(new_page, live_server):
    from datetime import date

    coordinator = factories.professional("coordinator", factories.WijkFactory())
    berekening = Berekening.objects.create(
        gemeente=coordinator.team.gemeente,
        periode_start=date(2025, 12, 1),
        periode_eind=date(2026, 11, 30),
        status="bezig",
        voortgang=30,
    )
    coord = new_page()
    sign_in(coord, live_server.url, coordinator)
    coord.get_by_label("Code").fill(fresh_totp_code(coordinator))
    coord.get_by_role("button", name="Inloggen").click()
    coord.get_by_role("heading", name="Welkom").wait_for()  # signed in
    coord.goto(f"{live_server.url}/indicatoren/berekening/{berekening.pk}/")
    coord.get_by_text("Bezig: 30%").wait_for()
    assert not coord.get_by_role("link", name="Naar het dashboard", exact=True).is_visible()
    coord.evaluate("window.marker = 'same page'")

    Berekening.objects.filter(pk=berekening.pk).update(voortgang=70)
    coord.get_by_text("Bezig: 70%").wait_for()
    assert coord.locator("progress#voortgang").evaluate("bar => bar.value") == 70
    Berekening.objects.filter(pk=berekening.pk).update(status="klaar", voortgang=100)
    coord.get_by_role("link", name="Naar het dashboard", exact=True).wait_for()
    coord.get_by_text("Klaar: de nieuwe cijfers staan op het dashboard.").wait_for()
    assert coord.evaluate("window.marker") == "same page"  # updated in place, not reloaded
    # ... and no longer claims that the computation carries on.
    assert not coord.get_by_text("de berekening loopt door").is_visible()
