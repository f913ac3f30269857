"""A melding's whole journey in Chromium, with a real Celery worker routing it:
a resident reports with a photo → the worker routes it → a police officer finds it in the feed
and closes it with feedback → the resident reads the feedback."""

import time

import pytest
from PIL import Image

from accounts.demo import current_totp_code
from meldingen.models import Doel, Melding, RoutingRegel
from meldingen.workflow import Status
from tests import factories
from tests.celery_worker import wait_for
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, user):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # Past the password (to the start page, or the code step for professionals) before the
    # test navigates on: a page.goto() racing the sign-in POST lands on the login page.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def fresh_totp_code(user) -> str:
    """The user's current code, from a window with time left: a code read in the last moments
    of its 30-second window is refused when it arrives in the next one."""
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.2)
    return current_totp_code(user)


def test_report_route_close_and_feedback(new_page, live_server, worker, tmp_path):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    categorie = factories.CategorieFactory(naam="Verdachte situatie (browser)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    police = factories.professional("politie", buurt.wijk)
    photo = tmp_path / "IMG_2041.jpg"
    Image.new("RGB", (800, 600), "green").save(photo, "JPEG")

    # The resident reports, with a photo.
    bewoner = new_page()
    sign_in(bewoner, live_server.url, resident)
    bewoner.get_by_role("link", name="Melding doen").first.click()
    bewoner.get_by_role("link", name="Bel 112").wait_for()
    bewoner.get_by_role("link", name="Verdachte situatie (browser)").click()
    bewoner.get_by_label("Wat gebeurde er?").fill("Man probeert portieren van auto's.")
    bewoner.get_by_label("Waar?").fill("Zoutkeetsgracht bij nr. 20")
    bewoner.get_by_label("Foto's (optioneel)").set_input_files(str(photo))
    bewoner.get_by_role("button", name="Melding versturen").click()
    bewoner.get_by_text("Dank je. Je melding is ontvangen.").wait_for()
    melding = Melding.objects.get()
    assert melding.fotos.count() == 1

    # The worker routes it.
    wait_for(
        lambda: Melding.objects.filter(pk=melding.pk, status=Status.GEROUTEERD).exists(),
        what="routing by the worker",
        log=worker.log,
    )

    # The officer signs in with TOTP, finds it in the feed and closes it with feedback.
    agent = new_page()
    sign_in(agent, live_server.url, police)
    agent.get_by_label("Code").fill(fresh_totp_code(police))
    agent.get_by_role("button", name="Inloggen").click()
    agent.get_by_role("link", name="Naar de meldingen").click()
    melding.refresh_from_db()
    agent.get_by_role("link", name=melding.samenvatting).click()
    # The photo opens full size in the browser's own viewer (no CSP violation) and back.
    agent.get_by_role("img", name="Foto bij de melding").click()
    agent.wait_for_url("**/meldingen/foto/*/")
    agent.go_back()
    agent.get_by_label("Bericht aan alle melders").fill(
        "We zijn langs geweest en hebben de man aangesproken."
    )
    agent.get_by_role("button", name="Afsluiten").click()
    agent.get_by_text("De melding is bijgewerkt.").wait_for()

    # The resident reads the feedback and can say whether it was solved.
    bewoner.reload()
    bewoner.get_by_text("We zijn langs geweest en hebben de man aangesproken.").wait_for()
    assert bewoner.get_by_role("button", name="Nee, niet opgelost").is_visible()
    melding.refresh_from_db()
    assert melding.status == Status.AFGESLOTEN
