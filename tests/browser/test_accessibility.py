"""Automated accessibility checks (axe-core, run in Chromium) on every page shape each role
reaches by following links, the admin pages staff use and the API docs included: no serious or
critical violation (contrast, names of controls, labels, nesting, target size), at desktop
width and at phone width.

axe-core is vendored for the tests only (tests/browser/vendor, MPL-2.0); it is evaluated in the
page through the browser's debugging channel, so the site's CSP stays as strict as it is.
"""

import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from activiteiten import services as activiteiten_services
from activiteiten.models import Activiteit
from buurten import services as buurten_services
from indicatoren import services as indicatoren_services
from indicatoren.compute import compute_snapshots
from indicatoren.models import Respons
from meldingen import services as meldingen_services
from meldingen.models import Doel, RoutingRegel
from meldingen.workflow import Actie
from tests import factories
from tests.browser.crawl import Crawl
from tests.browser.test_indicatoren_journey import EERDER
from tests.browser.test_melding_journey import fresh_totp_code, sign_in
from tests.indicatoren.views_support import square
from verzoeken import services as verzoeken
from verzoeken.models import VerzoekSoort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_admin_path(path: str) -> bool:
    """The admin's pages for models this project registers (not Django's or allauth's own)."""
    if not path.startswith("/beheer/"):
        return True
    labels = {
        model._meta.app_label
        for model, model_admin in admin.site._registry.items()
        if (settings.BASE_DIR / type(model_admin).__module__.split(".")[0]).is_dir()
    }
    first = path.split("/")[2]
    return first == "" or first in labels


@pytest.fixture
def scene(db):
    """A buurt where each role has something to see: meldingen in four states for each team,
    activities (joined, organised, over), facilitation requests (draft, submitted, granted), a
    membership request, an invitation code, and survey figures on the dashboard."""
    buurt = factories.BuurtFactory(naam="Westelijke eilanden", geometrie=square(0, 0, 400))
    wijk = buurt.wijk
    factories.BuurtFactory(wijk=wijk, naam="Zoutkeetsbuurt", geometrie=square(400, 0, 400))
    coordinator = factories.professional("coordinator", wijk)
    police = factories.professional("politie", wijk)
    handhaving = factories.professional("handhaving", wijk)
    beheerder = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    resident = factories.LidmaatschapFactory(buurt=buurt).user
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user

    rules = {}
    for volgorde, (naam, doel) in enumerate(
        [
            ("Verdachte situatie (a11y)", Doel.POLITIE),
            ("Overlast (a11y)", Doel.HANDHAVING),
            ("Kapot in de straat (a11y)", Doel.COORDINATOR),
        ],
        start=1,
    ):
        rules[doel] = factories.CategorieFactory(naam=naam)
        RoutingRegel.objects.create(volgorde=volgorde, categorie=rules[doel], doel=doel)
    for doel, officer in [
        (Doel.POLITIE, police),
        (Doel.HANDHAVING, handhaving),
        (Doel.COORDINATOR, coordinator),
    ]:
        for handling in ([], [Actie.OPPAKKEN], [Actie.AFSLUITEN], [Actie.DOORZETTEN]):
            melding = factories.melding(user=resident, categorie=rules[doel])
            for actie in handling:
                meldingen_services.melding_transition(
                    melding=melding, actie=actie, by=officer, terugkoppeling="Opgepakt en klaar."
                )

    # The resident takes part in the first activity (with a role, and the organiser's
    # message), organises the second and organised a third that is over.
    avondronde = factories.activiteit(
        organisator=neighbour,
        buurt=buurt,
        titel="Avondronde",
        start=timezone.now() + timedelta(days=2),
        rollen=[("Loper", 4)],
    )
    activiteiten_services.aanmelden(
        user=resident, activiteit=avondronde, rol=avondronde.rollen.get()
    )
    activiteiten_services.bericht_versturen(
        activiteit=avondronde, by=neighbour, tekst="We verzamelen om 20:00 bij de kerk."
    )
    opschonen = factories.activiteit(
        organisator=resident, buurt=buurt, titel="Opschoonochtend", capaciteit=1
    )
    activiteiten_services.aanmelden(user=neighbour, activiteit=opschonen)
    activiteiten_services.aanmelden(
        user=factories.LidmaatschapFactory(buurt=buurt).user, activiteit=opschonen
    )
    voorbij = factories.activiteit(organisator=resident, buurt=buurt, titel="Zomerfeest")
    Activiteit.objects.filter(pk=voorbij.pk).update(
        start=timezone.now() - timedelta(days=3), einde=timezone.now() - timedelta(days=3, hours=-2)
    )
    verzoeken.verzoek_create(
        aanvrager=resident,
        buurt=buurt,
        soort=VerzoekSoort.MATERIALEN,
        nodig_op=timezone.localdate() + timedelta(days=30),
        toelichting="Grijpers en vuilniszakken voor de opschoonochtend.",
        indienen=True,
    )
    toegekend = verzoeken.verzoek_create(
        aanvrager=resident,
        buurt=buurt,
        soort=VerzoekSoort.CONTACT,
        nodig_op=timezone.localdate() + timedelta(days=20),
        toelichting="Contact met de woningcorporatie over de binnenplaats.",
        indienen=True,
    )
    verzoeken.verzoek_besluiten(
        verzoek=toegekend, by=coordinator, actie="toekennen", bericht="Ik breng jullie in contact."
    )
    verzoeken.verzoek_create(
        aanvrager=resident,
        buurt=buurt,
        soort=VerzoekSoort.RUIMTE,
        nodig_op=timezone.localdate() + timedelta(days=40),
        toelichting="Het buurthuis voor een avond.",
    )
    newcomer = factories.UserFactory()
    buurten_services.aanvraag_create(user=newcomer, buurt=buurt, toelichting="Nieuw hier.")
    flyer = buurten_services.uitnodigingscode_create(
        buurt=buurt, by=coordinator, label="Flyer markt"
    )
    # Figures on the dashboard and the resident's buurt page: a survey round with 30 answers
    # (enough to show a figure), computed as the nightly run does.
    peiling = indicatoren_services.peiling_open(wijk=wijk, by=coordinator, titel="Buurtpeiling")
    Respons.objects.bulk_create(
        [Respons(peiling=peiling, buurt=buurt, **EERDER) for _ in range(30)]
    )
    start, eind = indicatoren_services.default_periode()
    compute_snapshots(gemeente=wijk.gemeente, periode_start=start, periode_eind=eind)
    return {
        "anoniem": None,
        "bewoner": resident,
        "aanvrager": newcomer,
        "coordinator": coordinator,
        "politie": police,
        "handhaving": handhaving,
        "beheerder": beheerder,
        # Links that reach people outside the site: a flyer's QR code, an organiser's invitation.
        "gedeeld": [
            f"/buurten/lid-worden/?code={flyer.code}",
            f"/activiteiten/uitnodiging/{opschonen.uitnodiging}/",
        ],
    }


STARTS = {
    # The API docs are public; a search result is a page reached through a GET form.
    "anoniem": ["/", "/api/docs/", "/buurten/?q=eilanden"],
    "bewoner": ["/"],
    # A resident who asked to join and waits for the coordinator.
    "aanvrager": ["/", "/buurten/lid-worden/"],
    "coordinator": ["/"],
    "politie": ["/"],
    "handhaving": ["/"],
    "beheerder": ["/", "/beheer/"],
}


# Pages that show every signed-in person the same content (the account settings from allauth,
# the open data) differ between roles only in the menu, which each role's own pages show; the
# API docs are the same for everyone. Checked for the first role that reaches them, to keep the
# crawl fast.
SAME_FOR_EVERY_ROLE = re.compile(r"^/accounts/(?!login|signup)|^/indicatoren/open-data/|^/api/")
checked_for_some_role: set[str] = set()


@pytest.mark.parametrize("role", list(STARTS))
def test_every_page_a_role_reaches_has_no_serious_accessibility_violation(
    new_page, live_server, scene, role
):
    page = new_page()
    user = scene[role]
    if user is not None:
        sign_in(page, live_server.url, user)
        if user.role != "bewoner":
            page.get_by_label("Code").fill(fresh_totp_code(user))
            page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("heading", name="Welkom").wait_for()
    started = time.monotonic()
    # The administrator's site pages and the admin's: its index, the project's models'
    # lists and change forms, the routing dry run.
    limit = 100 if role == "beheerder" else 60
    crawl = Crawl(
        page, live_server.url, allowed=staff_admin_path, skip=checked_for_some_role, limit=limit
    )
    crawl.run(STARTS[role] + (scene["gedeeld"] if role in ("anoniem", "aanvrager") else []))
    checked_for_some_role.update(key for key in crawl.shapes if SAME_FOR_EVERY_ROLE.search(key))
    print(
        f"\n{role}: {len(crawl.shapes)} page shapes in {time.monotonic() - started:.1f} s",
        *sorted(crawl.shapes),
        sep="\n  ",
    )
    assert not crawl.found, "serious or critical accessibility violations:\n" + "\n".join(
        crawl.found
    )
