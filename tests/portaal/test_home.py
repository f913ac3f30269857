"""The start page per role."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from verzoeken import services

AMS = ZoneInfo("Europe/Amsterdam")

pytestmark = pytest.mark.django_db


def test_home_per_role(client, login, resident, member, coordinator, police, buurt):
    assert "Account maken" in client.get("/").content.decode()
    assert "Word lid van je buurt" in login(resident).get("/").content.decode()
    assert buurt.naam in login(member).get("/").content.decode()
    factories.LidmaatschapFactory(buurt=buurt, status="aangevraagd", via="")
    coordinator_home = login(coordinator).get("/").content.decode()
    assert "Aanvragen lidmaatschap" in coordinator_home
    assert buurt.wijk.naam in coordinator_home
    police_home = login(police).get("/").content.decode()
    assert "Jouw werkgebied" in police_home
    assert buurt.wijk.naam in police_home


@pytest.fixture
def verzoeken_in_area(buurt, other_buurt, member):
    """On Thursday 26 November 2026: two open requests in the coordinator's area (deadlines
    Thursday 3 and Thursday 10 December), one decided, a draft, and an open one elsewhere."""
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=AMS), tick=False):
        factories.submitted_verzoek(member, buurt)  # 5 working days
        factories.submitted_verzoek(member, buurt, soort="budget", bedrag=Decimal("80"))  # 10
        decided = factories.submitted_verzoek(member, buurt)
        services.verzoek_besluiten(
            verzoek=decided,
            by=factories.professional("coordinator", buurt.wijk),
            actie="afwijzen",
            bericht="Niet nu.",
        )
        services.verzoek_create(
            aanvrager=member,
            buurt=buurt,
            soort="ruimte",
            nodig_op=date(2026, 12, 20),
            toelichting="Nog niet verstuurd",
        )
        elsewhere = factories.LidmaatschapFactory(buurt=other_buurt).user
        factories.submitted_verzoek(elsewhere, other_buurt, soort="contact")


@pytest.mark.usefixtures("verzoeken_in_area")
def test_the_coordinators_start_shows_the_open_requests_of_the_area(login, coordinator):
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=AMS), tick=False):
        html = login(coordinator).get("/").content.decode()
    card = html[html.index('<h2 class="h5">Verzoeken</h2>') :]
    card = card[: card.index("</div>")]
    assert '<p class="stat mb-1">2</p>' in card  # the queue's count: not decided, draft, elsewhere
    assert "eerstvolgende deadline do 3 dec" in card
    assert f'href="{reverse("verzoeken:wachtrij")}"' in card


@pytest.mark.usefixtures("verzoeken_in_area")
def test_a_passed_deadline_shows_on_the_card(login, coordinator):
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=AMS), tick=False):
        html = login(coordinator).get("/").content.decode()
    assert "termijn verstreken (3 dec)" in html
    assert "eerstvolgende deadline" not in html


def test_the_card_counts_in_one_query(login, coordinator, buurt, member):
    client = login(coordinator)
    for _ in range(3):
        factories.submitted_verzoek(member, buurt)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len([q for q in queries if "verzoeken_verzoek" in q["sql"]]) == 1


@pytest.mark.usefixtures("verzoeken_in_area")
def test_residents_and_police_get_no_requests_card(login, member, police):
    for user in (member, police):
        html = login(user).get("/").content.decode()
        assert '<h2 class="h5">Verzoeken</h2>' not in html
        assert reverse("verzoeken:wachtrij") not in html
