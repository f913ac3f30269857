"""The coordinator's queue: open requests first, decided ones stay findable (history), filters
and words, the money granted per buurt this year, pages of bounded size, and only the area."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from verzoeken import services
from verzoeken.models import Verzoek

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=AMS)  # a Thursday
URL = reverse("verzoeken:wachtrij")


@pytest.fixture(autouse=True)
def _thursday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def area(wijk):
    """Two buurten in the coordinator's wijk, and the coordinator."""
    home = factories.BuurtFactory(wijk=wijk, naam="Haarlemmerbuurt")
    west = factories.BuurtFactory(wijk=wijk, naam="Bloemgrachtbuurt")
    return home, west, factories.professional("coordinator", wijk)


def ask(buurt, *, soort="budget", bedrag="80", toelichting="Koffie", at=NOW, **kwargs):
    """A submitted request (at the moment ``at``) from a member of the buurt."""
    with time_machine.travel(at, tick=False):
        return services.verzoek_create(
            aanvrager=factories.LidmaatschapFactory(buurt=buurt).user,
            buurt=buurt,
            soort=soort,
            bedrag=Decimal(bedrag) if bedrag else None,
            toelichting=toelichting,
            nodig_op=at.date() + timedelta(days=30),
            indienen=True,
            **kwargs,
        )


def decide(verzoek, coordinator, actie="toekennen", at=NOW):
    with time_machine.travel(at, tick=False):
        bericht = "" if actie == "toekennen" else "Niet in dit budget."
        services.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie=actie, bericht=bericht)


def shown(response) -> set[int]:
    return {verzoek.pk for verzoek in response.context["verzoeken"]}


def test_decided_requests_stay_findable(login, area):
    home, _west, coordinator = area
    open_one, granted, rejected = ask(home), ask(home), ask(home)
    decide(granted, coordinator, at=NOW.replace(hour=23, minute=30))  # 22:30 UTC
    decide(rejected, coordinator, "afwijzen")
    client = login(coordinator)
    assert shown(client.get(URL)) == {open_one.pk}
    assert shown(client.get(URL, {"status": "alle"})) == {open_one.pk, granted.pk, rejected.pk}
    assert shown(client.get(URL, {"status": "afgewezen"})) == {rejected.pk}
    history = client.get(URL, {"status": "toegekend"}).content.decode()
    assert "besloten op 26 nov</div>" in history  # the local date, this year without the year
    assert f"#{granted.pk}" in history


def test_filters_by_buurt_kind_and_date_submitted(login, area):
    home, west, coordinator = area
    early = ask(home, soort="materialen", at=NOW - timedelta(days=20))
    late = ask(west, soort="budget")
    client = login(coordinator)
    assert shown(client.get(URL, {"buurt": west.pk})) == {late.pk}
    assert shown(client.get(URL, {"soort": "materialen"})) == {early.pk}
    november = {"van": "2026-11-01", "tot": "2026-11-10"}
    assert shown(client.get(URL, november)) == {early.pk}
    assert shown(client.get(URL, {"van": "2026-11-26", "tot": "2026-11-26"})) == {late.pk}


def test_search_finds_words_and_the_number(login, area):
    home, west, coordinator = area
    feest = ask(home, toelichting="Springkussen voor het straatfeest")
    koffie = ask(west, toelichting="Koffie bij de avondronde")
    client = login(coordinator)
    assert shown(client.get(URL, {"q": "springKUSSEN"})) == {feest.pk}
    assert shown(client.get(URL, {"q": "koffie bloemgracht"})) == {koffie.pk}
    assert shown(client.get(URL, {"q": "koffie haarlemmer"})) == set()
    assert shown(client.get(URL, {"q": f"#{koffie.pk}"})) == {koffie.pk}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "weg"}, "Selecteer een geldige keuze. weg is geen beschikbare keuze."),
        ({"soort": "alles"}, "Selecteer een geldige keuze."),
        ({"buurt": "abc"}, "Deze buurt hoort niet bij je gebied."),
        ({"buurt": "9" * 30}, "Deze buurt hoort niet bij je gebied."),
        ({"van": "2026-13-45"}, "Voer een geldige datum in."),
        ({"van": "2026-11-20", "tot": "2026-11-01"}, "Deze datum ligt vóór de begindatum."),
        ({"q": "x" * 101}, "Zorg dat deze waarde niet meer dan 100 tekens bevat"),
        # The day after 9999-12-31 overflowed (a 500); year 1 is as much a typo.
        ({"tot": "9999-12-31", "status": "alle"}, "Kies een datum tussen 1900 en 2100."),
        ({"van": "0001-01-01", "status": "alle"}, "Kies een datum tussen 1900 en 2100."),
    ],
)
def test_a_wrong_filter_gets_a_message_and_the_rest_still_works(login, area, params, message):
    home, _west, coordinator = area
    verzoek = ask(home)
    response = login(coordinator).get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Niet alle filters konden worden gebruikt; zie hieronder." in html
    assert message in html
    assert verzoek.pk in shown(response)


def test_a_buurt_elsewhere_is_not_shown_anywhere(login, area, other_buurt):
    home, _west, coordinator = area
    mine, theirs = ask(home), ask(other_buurt)
    decide(theirs, factories.professional("coordinator", other_buurt.wijk))
    client = login(coordinator)
    response = client.get(URL, {"buurt": other_buurt.pk, "status": "alle"})
    assert "Deze buurt hoort niet bij je gebied." in response.content.decode()
    assert shown(response) == {mine.pk}
    everything = client.get(URL, {"status": "alle", "q": f"#{theirs.pk}"})
    assert shown(everything) == set()
    assert other_buurt.naam not in everything.content.decode()
    assert client.get(theirs.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["bewoner", "politie", "handhaving"])
def test_only_those_who_decide_see_the_queue(login, member, buurt, role):
    ask(buurt)
    user = member if role == "bewoner" else factories.professional(role, buurt.wijk)
    assert login(user).get(URL, {"status": "alle"}).status_code == 404


def test_visitors_are_asked_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_administrator_sees_every_area(login, area, other_buurt):
    home, _west, _coordinator = area
    mine, theirs = ask(home), ask(other_buurt)
    beheerder = factories.UserFactory(role="beheerder", is_staff=True)
    assert shown(login(beheerder).get(URL)) == {mine.pk, theirs.pk}


def test_money_granted_per_buurt_this_year(login, area, other_buurt):
    home, west, coordinator = area
    for bedrag in ("80", "120,50"):
        decide(ask(home, bedrag=bedrag.replace(",", ".")), coordinator)
    done = ask(west, bedrag="200")
    decide(done, coordinator)
    services.verzoek_aanvrager_actie(verzoek=done, by=done.aanvrager, actie="uitgevoerd")
    decide(ask(west, bedrag="999"), coordinator, "afwijzen")  # rejected: no money
    ask(west, bedrag="50")  # still open
    last_year = datetime(2025, 12, 31, 23, 30, tzinfo=AMS)
    decide(ask(home, bedrag="300", at=last_year - timedelta(days=5)), coordinator, at=last_year)
    elsewhere = ask(other_buurt, bedrag="700")
    decide(elsewhere, factories.professional("coordinator", other_buurt.wijk))

    response = login(coordinator).get(URL)
    rows = {
        row["buurt__naam"]: (row["aantal"], row["bedrag"]) for row in response.context["toegekend"]
    }
    assert rows == {
        "Haarlemmerbuurt": (2, Decimal("200.50")),
        "Bloemgrachtbuurt": (1, Decimal("200")),
    }
    html = response.content.decode()
    assert "Toegekend in 2026, per buurt" in html
    assert "€ 200,50" in html


def test_the_open_requests_come_before_the_money_granted(login, area):
    """On a phone the queue is what a coordinator opens the page for: its first request (and
    the bulk approval) comes before the table of money granted per buurt."""
    home, west, coordinator = area
    decide(ask(west, bedrag="200"), coordinator)
    first = ask(home, bedrag="80")
    html = login(coordinator).get(URL).content.decode()
    assert "Toegekend in 2026, per buurt" in html
    assert html.index(first.get_absolute_url()) < html.index('id="toegekend-titel"')
    assert html.index('name="verzoek"') < html.index('id="toegekend-titel"')


def test_pages_are_bounded_and_queries_do_not_grow(login, area, django_assert_max_num_queries):
    home, west, coordinator = area
    client = login(coordinator)
    for buurt in (home, west):
        decide(ask(buurt), coordinator)
    ask(home)
    with django_assert_max_num_queries(20) as few:
        client.get(URL, {"status": "alle"})
    for i in range(30):
        verzoek = ask(home if i % 2 else west, bedrag=str(10 + i))
        if i % 3:
            decide(verzoek, coordinator)
    with django_assert_max_num_queries(len(few)):
        first = client.get(URL, {"status": "alle"})
    assert len(first.context["verzoeken"]) == 25
    html = first.content.decode()
    assert "33 verzoeken" in html and "Pagina 1 van 2" in html
    assert "?status=alle&amp;pagina=2" in html
    second = client.get(URL, {"status": "alle", "pagina": "2"})
    assert len(second.context["verzoeken"]) == 8
    assert shown(first).isdisjoint(shown(second))
    for nonsense in ("abc", "-1", "9" * 30):
        assert client.get(URL, {"status": "alle", "pagina": nonsense}).status_code == 200


def test_bulk_approval_keeps_the_filters(login, area):
    _home, west, coordinator = area
    verzoek = ask(west)
    response = login(coordinator).post(f"{URL}?buurt={west.pk}", {"verzoek": [verzoek.pk]})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?buurt={west.pk}"
    verzoek.refresh_from_db()
    assert verzoek.status == "toegekend"
    assert Verzoek.objects.filter(status="toegekend").count() == 1
