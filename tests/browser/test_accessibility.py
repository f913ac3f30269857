"""Automated accessibility checks (axe-core, run in Chromium) on the pages each role uses most:
no serious or critical violation (contrast, names of controls, labels, nesting).

axe-core is vendored for the tests only (tests/browser/vendor, MPL-2.0); it is evaluated in the
page through the browser's debugging channel, so the site's CSP stays as strict as it is.
"""

from pathlib import Path

import pytest

from meldingen.models import Doel, RoutingRegel
from tests import factories
from tests.browser.test_melding_journey import fresh_totp_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text()
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => {
      const where = v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ');
      return `${v.id} (${v.impact}): ${where}`;
    });
}"""


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.evaluate(AXE)
    return [f"{url}: {found}" for found in page.evaluate(RUN)]


@pytest.fixture
def scene(db):
    buurt = factories.BuurtFactory(naam="Westelijke eilanden")
    categorie = factories.CategorieFactory(naam="Verdachte situatie (a11y)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=resident, categorie=categorie)
    factories.activiteit(buurt=buurt, titel="Opschoonochtend")
    return {"buurt": buurt, "resident": resident, "melding": melding}


def test_a_residents_pages_have_no_serious_accessibility_violations(new_page, live_server, scene):
    page = new_page()
    found = violations(page, live_server.url + "/accounts/login/")
    sign_in(page, live_server.url, scene["resident"])
    for path in [
        "/",
        "/meldingen/nieuw/",
        f"/meldingen/nieuw/{scene['melding'].categorie_id}/",
        "/meldingen/mijn/",
        f"/meldingen/mijn/{scene['melding'].pk}/",
        "/activiteiten/",
        "/indicatoren/mijn-buurt/",
    ]:
        found += violations(page, live_server.url + path)
    assert found == []


def test_a_coordinators_pages_have_no_serious_accessibility_violations(
    new_page, live_server, scene
):
    coordinator = factories.professional("coordinator", scene["buurt"].wijk)
    page = new_page()
    sign_in(page, live_server.url, coordinator)
    page.get_by_label("Code").fill(fresh_totp_code(coordinator))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Welkom").wait_for()
    found = []
    for path in [
        "/",
        "/meldingen/feed/",
        f"/meldingen/{scene['melding'].pk}/",
        "/buurten/aanvragen/",
        "/activiteiten/verzoeken/wachtrij/",
        "/indicatoren/peilingen/",
    ]:
        found += violations(page, live_server.url + path)
    assert found == []
