"""Residents' view of their own buurt: encouragement against the target, never a comparison."""

import pytest
from django.urls import reverse

from tests import factories

from .views_support import cel, onderdrukt
from .views_support import kwartaal_snapshot as snapshot

URL = reverse("indicatoren:mijn-buurt")


@pytest.fixture(autouse=True)
def computed(db, buurt):
    """The computation always stores the gemeente's figures with those of its buurten."""
    snapshot(gemeente=buurt.wijk.gemeente, waarden={})


def test_member_sees_share_active_and_how_many_more(
    login, member, buurt, other_buurt, django_assert_max_num_queries
):
    # 1,000 residents of 15+; 12% active; 200 is the target, so 80 more neighbours are needed.
    snapshot(
        buurt=buurt,
        waarden={
            "actieve_kern": cel(12.0),
            "actieve_kern_nodig": {"waarde": 80},
            "p15": {"waarde": 1000},
            "streefwaarde": {"waarde": 20},
            "bereidheid": cel(34.5, 40, [20.0, 49.0]),
            "sociale_cohesie": onderdrukt(30),
        },
    )
    snapshot(buurt=other_buurt, waarden={"actieve_kern": cel(31.0)})
    client = login(member)
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "12,0% actief"  # as published, one decimal in content
    assert "Nog 80 buren erbij en we halen 20%." in content
    assert "34,5%" in content
    assert "programma-aanname" in content
    # Only this buurt: nothing about other buurten, no ranking.
    assert other_buurt.naam not in content
    assert "31,0%" not in content


def test_target_reached_is_celebrated(login, member, buurt):
    snapshot(
        buurt=buurt,
        waarden={
            "actieve_kern": cel(22.0),
            "actieve_kern_nodig": {"waarde": 0},
            "p15": {"waarde": 1000},
        },
    )
    content = login(member).get(URL).content.decode()
    assert "Jullie halen samen het doel van 20%" in content


def test_suppressed_count_is_never_shown_exactly(login, member, buurt):
    snapshot(
        buurt=buurt,
        waarden={
            "actieve_kern": onderdrukt(10),
            "actieve_kern_nodig": {"waarde": None},
            "p15": {"waarde": 1000},
        },
    )
    content = login(member).get(URL).content.decode()
    assert "Nog minder dan 10 buren doen actief mee" in content
    assert "Bij 20% zijn dat er 200" in content
    assert "% actief" not in content


def test_a_core_hidden_to_protect_others_is_not_called_small(login, member, buurt):
    """Issue 12, 1.3: an active core of 24 hidden to protect a neighbouring buurt must not be
    told "minder dan 10"."""
    snapshot(
        buurt=buurt,
        waarden={
            "actieve_kern": onderdrukt(10, reden="bescherming"),
            "actieve_kern_nodig": {"waarde": None},
            "p15": {"waarde": 1000},
            "sociale_cohesie": onderdrukt(30, reden="bescherming"),
            "bereidheid": onderdrukt(30, reden="bescherming"),
        },
    )
    content = login(member).get(URL).content.decode()
    assert "minder dan" not in content
    assert "tonen we nu niet: zo beschermen we kleine aantallen in buurten om jullie heen" in (
        content
    )
    assert "Bij 20% zijn dat er 200" in content
    assert "% actief" not in content
    assert "Nog te weinig antwoorden" not in content  # the survey figures are not small either
    assert "Sommige cijfers tonen we nu niet" in content


def test_without_figures_an_invitation_to_start(login, member, buurt):
    content = login(member).get(URL).content.decode()
    assert "Er zijn nog geen cijfers over je buurt" in content
    assert "Activiteit organiseren" in content


def test_upcoming_activities_of_the_buurt_are_listed(login, member, buurt, other_buurt):
    factories.activiteit(buurt=buurt, titel="Koffie op het plein")
    factories.activiteit(buurt=other_buurt, titel="Elders", zichtbaarheid="openbaar")
    content = login(member).get(URL).content.decode()
    assert "Koffie op het plein" in content
    assert "Elders" not in content


def test_an_activity_in_another_year_shows_its_year(login, member, buurt):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    ams = ZoneInfo("Europe/Amsterdam")
    with time_machine.travel(datetime(2026, 12, 20, 10, 0, tzinfo=ams), tick=False):
        factories.activiteit(
            buurt=buurt, titel="Nieuwjaarsduik", start=datetime(2027, 1, 9, 11, 0, tzinfo=ams)
        )
        content = login(member).get(URL).content.decode()
    assert "za 9 jan 2027 11:00" in content


def test_non_members_are_sent_to_join(login, resident):
    content = login(resident).get(URL).content.decode()
    assert "Lid worden van je buurt" in content


@pytest.mark.parametrize("role", ["coordinator", "politie", "handhaving"])
def test_professionals_are_refused(login, wijk, role):
    assert login(factories.professional(role, wijk)).get(URL).status_code == 403


def test_anonymous_visitors_are_asked_to_sign_in(client):
    assert reverse("account_login") in client.get(URL).url


def test_navigation_leads_residents_here(login, member):
    assert URL in login(member).get(reverse("home")).content.decode()


def test_survey_figures_without_a_national_comparison_or_threat_figures(login, member, buurt):
    """The national 6,4 comes from six statements, not these five; the threat items are for
    the coordinator, not for a resident's page about their own street."""
    snapshot(
        buurt=buurt,
        waarden={
            "sociale_cohesie": cel(6.8, 41, [6.4, 7.2]),
            "drugshandel": cel(38.0, 41, [24.0, 53.0]),
            "intimidatie": cel(22.0, 41, [12.0, 37.0]),
        },
    )
    content = login(member).get(URL).content.decode()
    assert "6,8" in content
    assert "landelijk" not in content
    assert "38,0%" not in content and "22,0%" not in content
    assert "drugs" not in content
