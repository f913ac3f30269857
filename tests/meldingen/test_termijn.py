"""Overdue meldingen: flagged in the handlers' feed and start page (at once, whatever the page
cache holds), and a high-priority one alerts its team once per term, whatever hour the job runs
and across the clock changes."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldingen import services, tasks
from meldingen.models import Doel, Melding, RoutingRegel
from meldingen.ontvangst import ontvangst
from meldingen.workflow import Actie
from notificaties.models import Notificatie
from notificaties.tasks import relay_notificaties
from teamapi.services import feed_token_issue
from tests import factories

pytestmark = pytest.mark.django_db

MADE = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)  # Wednesday 12:00 in Amsterdam
TERM = timedelta(hours=48)
ALERT = Notificatie.Soort.TERMIJN_VERSTREKEN


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Overlast (termijn)", reactietermijn_uren=48)
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


@pytest.fixture
def urgent():
    """High priority: the term is at most a day."""
    categorie = factories.CategorieFactory(
        naam="Drugshandel (termijn)", ernst=3, reactietermijn_uren=48
    )
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def made_at(moment, **kwargs):
    with time_machine.travel(moment, tick=False):
        return factories.melding(**kwargs)


def feed(client) -> str:
    return client.get(reverse("meldingen:feed")).content.decode()


def row_of(page: str, melding) -> str:
    """The feed's list item of ``melding``."""
    link = f'href="{reverse("meldingen:detail", kwargs={"pk": melding.pk})}"'
    start = page.index(link)
    return page[start : page.index("</li>", start)]


# --- flagged for the handlers -----------------------------------------------------------------


def test_the_feed_flags_overdue_meldingen_for_officers_and_coordinators(
    login, buurt, categorie, police, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        late = made_at(MADE, buurt=buurt, categorie=categorie)
        seen = made_at(MADE, buurt=buurt, categorie=categorie)
        # The third of its kind in the buurt: high priority, a day's term (triage).
        in_time = made_at(MADE + TERM - timedelta(hours=1), buurt=buurt, categorie=categorie)
        services.melding_transition(melding=seen, actie=Actie.ERKENNEN, by=police)
    with time_machine.travel(MADE + TERM + timedelta(minutes=1), tick=False):
        for user in (police, coordinator):
            page = feed(login(user))
            assert "te laat" in row_of(page, late)
            assert "termijn verstreken" in row_of(page, late)  # in words, not colour alone
            assert "te laat" not in row_of(page, seen)  # a handler reacted in time
            assert "te laat" not in row_of(page, in_time)
            assert "reageren voor" in row_of(page, in_time)
        detail = login(police).get(reverse("meldingen:detail", kwargs={"pk": late.pk}))
        assert "te laat" in detail.content.decode()
        assert late.referentie in detail.content.decode()
        home = login(coordinator).get("/").content.decode()
        assert "1 melding wacht nog op een reactie" in home


def test_the_cached_feed_page_shows_a_deadline_passing_at_once(
    login, buurt, categorie, police, django_capture_on_commit_callbacks
):
    """The page cache holds rows (status and deadline), not the flag: the flag is read from the
    clock when the page is rendered, so no key or TTL can hide it."""
    with django_capture_on_commit_callbacks(execute=True):
        melding = made_at(MADE, buurt=buurt, categorie=categorie)
    with time_machine.travel(MADE + TERM - timedelta(minutes=1), tick=False):
        client = login(police)
        assert "te laat" not in row_of(feed(client), melding)
    with (
        time_machine.travel(MADE + TERM + timedelta(minutes=1), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        page = feed(client)
    assert not any("meldingen_melding" in q["sql"] for q in queries.captured_queries)
    assert "te laat" in row_of(page, melding)


def test_flagging_costs_no_query_per_row(
    login, buurt, categorie, police, django_assert_max_num_queries
):
    for _i in range(30):
        made_at(MADE, buurt=buurt, categorie=categorie)
    with time_machine.travel(MADE + TERM + timedelta(hours=1), tick=False):
        client = login(police)
        with django_assert_max_num_queries(12):
            page = feed(client)
    assert page.count("te laat") == 25


# --- the team API -----------------------------------------------------------------------------


def test_the_team_api_gives_each_reference_and_flags_overdue_meldingen_at_once(
    client, buurt, categorie, police, coordinator, django_capture_on_commit_callbacks
):
    """The same flag as the feed (``Melding.is_overdue``), though the API caches its answer as
    JSON: a deadline passing makes the page stale without a change to any row."""
    with django_capture_on_commit_callbacks(execute=True):
        late = made_at(MADE, buurt=buurt, categorie=categorie)
        seen = made_at(MADE, buurt=buurt, categorie=categorie)
        in_time = made_at(MADE + TERM - timedelta(hours=1), buurt=buurt, categorie=categorie)
        services.melding_transition(melding=seen, actie=Actie.ERKENNEN, by=police)
    key = feed_token_issue(team=police.team, naam="Basisteam (termijn)", by=police)[1]

    def api() -> dict:
        response = client.get(reverse("api-feed"), HTTP_AUTHORIZATION=f"Bearer {key}")
        return {row["referentie"]: row["te_laat"] for row in response.json()["meldingen"]}

    expected_before = {late.referentie: False, seen.referentie: False, in_time.referentie: False}
    with time_machine.travel(MADE + TERM - timedelta(minutes=1), tick=False):
        assert api() == expected_before
        with CaptureQueriesContext(connection) as queries:
            assert api() == expected_before
        assert len(queries) == 0  # served from the cache
    later = MADE + TERM + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        flags = api()
        assert flags == {late.referentie: True, seen.referentie: False, in_time.referentie: False}
        for melding in (late, seen, in_time):
            melding.refresh_from_db()
            assert flags[melding.referentie] == melding.is_overdue(later)  # the one definition
        with CaptureQueriesContext(connection) as queries:
            assert api() == flags
        assert len(queries) == 0  # cached again until the next deadline on the page


# --- the team's alert -------------------------------------------------------------------------


@pytest.fixture
def team(wijk, police):
    """Two officers of the team; an inactive one and one without an address hear nothing."""
    second = factories.UserFactory(role="politie", team=police.team)
    factories.UserFactory(role="politie", team=police.team, is_active=False)
    factories.UserFactory(role="politie", team=police.team, email="")
    return [police, second]


def alert_mails() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Termijn verstreken")]


def alerts():
    return sorted(Notificatie.objects.filter(soort=ALERT).values_list("object_id", "ontvanger"))


def test_an_overdue_urgent_melding_alerts_each_member_of_its_team_once(
    buurt, other_buurt, urgent, team, coordinator, django_capture_on_commit_callbacks
):
    melding = made_at(MADE, buurt=buurt, categorie=urgent)
    elsewhere = factories.professional("politie", other_buurt.wijk)
    assert melding.deadline_at == MADE + timedelta(hours=24)

    with time_machine.travel(melding.deadline_at - timedelta(minutes=1), tick=False):
        assert tasks.alert_overdue.apply().get() == 0
    with time_machine.travel(melding.deadline_at + timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.alert_overdue.apply().get() == 1
            assert tasks.alert_overdue.apply().get() == 0  # the second run finds it told
        relay_notificaties()

    event = melding.historie.get(naar="gerouteerd").pk
    assert alerts() == [(event, member.pk) for member in team]
    assert sorted(m.to[0] for m in alert_mails()) == sorted(member.email for member in team)
    body = alert_mails()[0].body
    assert melding.referentie in body and "donderdag 3 december 12:00" in body
    assert "Man probeert" not in body  # not what was reported
    assert coordinator.email not in [m.to[0] for m in alert_mails()]  # the police handles it
    assert elsewhere.email not in [m.to[0] for m in alert_mails()]
    melding.refresh_from_db()
    assert melding.overdue_alerted_at == melding.deadline_at + timedelta(minutes=1)


def test_a_melding_handled_in_time_or_not_urgent_alerts_no_one(
    buurt, categorie, urgent, team, police
):
    handled = made_at(MADE, buurt=buurt, categorie=urgent)
    made_at(MADE, buurt=buurt, categorie=categorie)  # normal priority, overdue too later
    with time_machine.travel(MADE + timedelta(hours=23), tick=False):
        services.melding_transition(melding=handled, actie=Actie.OPPAKKEN, by=police)
    with time_machine.travel(MADE + timedelta(days=3), tick=False):
        assert services.meldingen_alert_overdue() == 0
    assert alerts() == []


def test_a_notice_lapses_when_someone_reacts_before_it_is_sent(buurt, urgent, team, police):
    melding = made_at(MADE, buurt=buurt, categorie=urgent)
    with time_machine.travel(MADE + timedelta(hours=25), tick=False):
        services.meldingen_alert_overdue()
        services.melding_transition(melding=melding, actie=Actie.ERKENNEN, by=police)
        relay_notificaties()
    assert alert_mails() == []
    assert set(Notificatie.objects.filter(soort=ALERT).values_list("status", flat=True)) == {
        Notificatie.Status.VERVALLEN
    }


def test_the_alert_runs_at_half_past_three_at_night(buurt, urgent, team):
    # Reported Tuesday 03:10; due Wednesday 03:10; the 03:30 run tells the team.
    melding = made_at(datetime(2026, 12, 1, 2, 10, tzinfo=UTC), buurt=buurt, categorie=urgent)
    with time_machine.travel(datetime(2026, 12, 2, 2, 30, tzinfo=UTC), tick=False):
        assert services.meldingen_alert_overdue() == 1
    assert len(alerts()) == len(team)
    assert ontvangst(melding).deadline_text == "woensdag 2 december 03:10"


@pytest.mark.parametrize(
    ("made", "due_local"),
    [
        # Saturday 12:00 summer time; the clocks go back that night: 24 hours later it is 11:00.
        (datetime(2026, 10, 24, 10, 0, tzinfo=UTC), "zondag 25 oktober 11:00"),
        # Saturday 12:00 winter time; the clocks go forward that night: 24 hours later, 13:00.
        (datetime(2027, 3, 27, 11, 0, tzinfo=UTC), "zondag 28 maart 13:00"),
    ],
    ids=["october", "march"],
)
def test_a_term_across_the_clock_change_is_24_real_hours(buurt, urgent, team, made, due_local):
    melding = made_at(made, buurt=buurt, categorie=urgent)
    due = made + timedelta(hours=24)
    assert melding.deadline_at == due
    assert ontvangst(melding).deadline_text == due_local  # what the receipt promised
    with time_machine.travel(due - timedelta(seconds=30), tick=False):
        assert services.meldingen_alert_overdue() == 0
    with time_machine.travel(due + timedelta(seconds=30), tick=False):
        assert services.meldingen_alert_overdue() == 1
        assert services.meldingen_alert_overdue() == 0
    assert len(alerts()) == len(team)


def test_a_reopened_melding_that_runs_late_again_alerts_again_once(
    buurt, urgent, team, police, django_capture_on_commit_callbacks
):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    melding = made_at(MADE, user=reporter, categorie=urgent)
    with time_machine.travel(MADE + timedelta(hours=25), tick=False):
        services.meldingen_alert_overdue()
        services.melding_transition(
            melding=melding, actie=Actie.AFSLUITEN, by=police, terugkoppeling="Gecontroleerd."
        )
    with time_machine.travel(MADE + timedelta(hours=30), tick=False):
        melder = melding.melders.get(user=reporter)
        services.melder_oordeel(melder=melder, user=reporter, opgelost=False, reactie="Nog steeds.")
    assert Melding.objects.get(pk=melding.pk).overdue_alerted_at is None
    with time_machine.travel(MADE + timedelta(hours=55), tick=False):
        assert services.meldingen_alert_overdue() == 1
        assert services.meldingen_alert_overdue() == 0
    assert len(alerts()) == 2 * len(team)  # one per member per term
