"""An activity's journey in Chromium: a resident creates an activity with two roles → a
neighbour signs up → the organiser asks for materials → the coordinator approves → the
organiser records attendance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activiteiten.models import Aanmelding, Activiteit, Soort
from tests import factories
from tests.browser.test_melding_journey import fresh_totp_code, sign_in
from verzoeken.models import Verzoek

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_sign_up_ask_approve_and_record_attendance(new_page, live_server):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    coordinator = factories.professional("coordinator", buurt.wijk)
    start = timezone.localtime() + timedelta(days=3)
    # Kinds come from a data migration, which an earlier transactional test may have flushed.
    Soort.objects.get_or_create(naam="Opschoonactie")

    # The organiser creates an activity with two volunteer roles.
    org = new_page()
    sign_in(org, live_server.url, organiser)
    org.goto(live_server.url + "/activiteiten/nieuw/")
    org.get_by_label("Soort").select_option(label="Opschoonactie")
    org.get_by_label("Titel").fill("Opschoonochtend")
    org.get_by_label("Plek").fill("Speelplein")
    org.get_by_label("Begint").fill(start.strftime("%Y-%m-%dT%H:%M"))
    org.get_by_label("Eindigt").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    org.get_by_label("Aantal deelnemers").fill("10")
    org.get_by_label("Vrijwilligersrol 1").fill("Koffie zetten")
    org.locator("#id_rol_1_plaatsen").fill("1")
    org.get_by_label("Vrijwilligersrol 2").fill("Materiaal uitdelen")
    org.locator("#id_rol_2_plaatsen").fill("2")
    org.get_by_role("button", name="Activiteit plaatsen").click()
    org.get_by_text("Je activiteit staat erop").wait_for()
    activiteit = Activiteit.objects.get()
    assert activiteit.rollen.count() == 2

    # A neighbour signs up as a volunteer.
    buur = new_page()
    sign_in(buur, live_server.url, neighbour)
    buur.goto(live_server.url + activiteit.get_absolute_url())
    buur.get_by_role("button", name="Materiaal uitdelen").click()
    buur.get_by_text("Je bent aangemeld").wait_for()

    # The organiser asks the municipality for materials.
    org.reload()
    org.get_by_role("link", name="Steun vragen aan de gemeente").click()
    org.get_by_label("Wat heb je nodig").select_option(label="Materialen of iets lenen")
    org.get_by_label("Nodig op").fill((start.date()).isoformat())
    org.get_by_label("Korte toelichting").fill("Grijpers en vuilniszakken lenen")
    org.get_by_role("button", name="Indienen").click()
    # Three days ahead is within the municipality's term: the form says the answer may come
    # only on or after the day itself, and sends when asked again.
    org.get_by_text("Let op: je hoort misschien pas op").wait_for()
    org.get_by_role("button", name="Indienen").click()
    org.get_by_text("Je verzoek is ingediend.").wait_for()

    # The coordinator approves it from the queue.
    coord = new_page()
    sign_in(coord, live_server.url, coordinator)
    coord.get_by_label("Code").fill(fresh_totp_code(coordinator))
    coord.get_by_role("button", name="Inloggen").click()
    coord.get_by_role("heading", name="Welkom").wait_for()  # signed in
    coord.goto(live_server.url + "/activiteiten/verzoeken/wachtrij/")
    coord.get_by_role("link", name="Materialen of iets lenen").click()
    coord.get_by_role("button", name="Toekennen").click()
    coord.get_by_text("Het verzoek is bijgewerkt.").wait_for()
    assert Verzoek.objects.get().status == "toegekend"

    # The day has come and gone: the organiser records attendance and hours.
    Activiteit.objects.filter(pk=activiteit.pk).update(
        start=timezone.now() - timedelta(hours=3), einde=timezone.now() - timedelta(hours=1)
    )
    org.goto(live_server.url + activiteit.get_absolute_url())
    org.get_by_role("link", name="Aanwezigheid invullen").click()
    org.get_by_label(f"{neighbour.display_name} · Materiaal uitdelen").check()
    org.get_by_role("textbox", name=neighbour.display_name).fill("2")
    org.get_by_label("Buren zonder account").fill("7")
    org.get_by_role("button", name="Opslaan").click()
    org.get_by_text("De aanwezigheid is opgeslagen").wait_for()
    signup = Aanmelding.objects.get(user=neighbour)
    assert (signup.aanwezig, str(signup.uren)) == (True, "2.0")
    assert Activiteit.objects.get().extra_bezoekers == 7
