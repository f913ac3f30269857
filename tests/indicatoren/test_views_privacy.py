"""Privacy end to end: computed from real responses and participation (live for the
coordinators, the last ended quarter published), no page and no export shows a figure of fewer
than the minimum, nor anything about one person."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse

from indicatoren import kwartaal
from indicatoren.survey import ITEMS
from tests import factories

from .conftest import (
    EXAMPLE,
    closed_round,
    in_last_quarter,
    members,
    past_activity,
    responses,
    took_part,
)


@pytest.fixture
def compute_and_publish(compute, publish):
    def _both(gemeente):
        compute(gemeente)
        publish(gemeente)

    return _both


def in_quarter() -> int:
    """Days ago of a day inside the last ended quarter (and inside the live 12 months)."""
    return in_last_quarter()[1]


def pages(client, buurt):
    """Every page and export where a buurt's sociale cohesie and bereik could appear."""
    gemeente = buurt.wijk.gemeente.code
    eind = kwartaal.last_ended()[1].isoformat()
    return {
        "dashboard": reverse("indicatoren:dashboard") + "?indicator=sociale_cohesie",
        "dashboard-bereik": reverse("indicatoren:dashboard") + "?indicator=bereik",
        "buurt": reverse("indicatoren:buurt", kwargs={"code": buurt.code}),
        "csv": reverse(
            "indicatoren:export",
            kwargs={"gemeente_code": gemeente, "periode": eind, "formaat": "csv"},
        ),
        "json": reverse(
            "indicatoren:export",
            kwargs={"gemeente_code": gemeente, "periode": eind, "formaat": "json"},
        ),
    }


@pytest.mark.parametrize(("count", "shown"), [(29, False), (30, True)])
def test_survey_figures_appear_only_from_thirty_answers(
    login, compute_and_publish, coordinator, wijk, buurt, count, shown
):
    # Everyone answered the worked example: the score would be exactly 7.5.
    responses(closed_round(wijk, days_ago=in_quarter()), buurt, EXAMPLE, count=count)
    compute_and_publish(wijk.gemeente)
    client = login(coordinator)
    urls = pages(client, buurt)
    dashboard = client.get(urls["dashboard"]).content.decode()
    assert ("7,5" in dashboard) is shown
    assert ('">te weinig antwoorden</span>' in dashboard) is not shown
    buurt_page = client.get(urls["buurt"]).content.decode()
    assert ("7,5" in buurt_page) is shown
    data = client.get(urls["json"]).json()
    cell = next(a for a in data["gebieden"] if a["code"] == buurt.code)["waarden"][
        "sociale_cohesie"
    ]
    assert cell["onderdrukt"] is not shown
    assert (cell["n"] == 30) if shown else (cell["waarde"], cell["n"]) == (None, None)
    csv_text = client.get(urls["csv"]).content.decode()
    assert buurt.code in csv_text
    assert ",29," not in csv_text  # the small n itself is never published


def test_nine_participants_are_never_shown_as_a_number(
    login, compute_and_publish, coordinator, wijk, buurt
):
    activiteit = past_activity(buurt, days_ago=in_quarter())
    for person in members(buurt, 9):
        took_part(person, activiteit, aanwezig=True)
    compute_and_publish(wijk.gemeente)
    client = login(coordinator)
    urls = pages(client, buurt)
    dashboard = client.get(urls["dashboard-bereik"]).content.decode()
    assert "&lt; 10" in dashboard
    # 9 of 1,000 residents of 15+ would be 0,9%: that figure must not be anywhere.
    for name in ("dashboard-bereik", "buurt"):
        assert "0,9%" not in client.get(urls[name]).content.decode(), name
    rows = csv.DictReader(io.StringIO(client.get(urls["csv"]).content.decode()))
    row = next(r for r in rows if r["code"] == buurt.code and r["indicator"] == "bereik")
    assert (row["waarde"], row["n"], row["weergave"]) == ("", "", "< 10 mensen")
    data = client.get(urls["json"]).json()
    cell = next(a for a in data["gebieden"] if a["code"] == buurt.code)["waarden"]["bereik"]
    assert (cell["waarde"], cell["n"], cell["onderdrukt"]) == (None, None, True)


def test_no_page_shows_who_answered_or_took_part(
    login, compute_and_publish, coordinator, wijk, buurt
):
    people = members(buurt, 12)
    activiteit = past_activity(buurt, days_ago=in_quarter())
    for person in people:
        took_part(person, activiteit, aanwezig=True)
    responses(closed_round(wijk, days_ago=in_quarter()), buurt, EXAMPLE, count=30)
    compute_and_publish(wijk.gemeente)
    client = login(coordinator)
    for name, url in pages(client, buurt).items():
        content = client.get(url).content.decode()
        for person in people:
            assert person.email not in content, name
            assert person.display_name not in content, name
    # The survey items are never listed per answer, only as aggregated indicators.
    dashboard = client.get(pages(client, buurt)["dashboard"]).content.decode()
    assert not any(str(item.tekst) in dashboard for item in ITEMS)


def test_the_residents_page_shows_their_buurt_only(login, compute_and_publish, wijk, buurt):
    other = factories.BuurtFactory(wijk=wijk, naam="Buurt aan de overkant")
    responses(closed_round(wijk, days_ago=in_quarter()), other, EXAMPLE, count=35)
    compute_and_publish(wijk.gemeente)
    member = factories.LidmaatschapFactory(buurt=buurt).user
    content = login(member).get(reverse("indicatoren:mijn-buurt")).content.decode()
    assert "Buurt aan de overkant" not in content
    assert "7,5" not in content  # the other buurt's score
    assert "Nog te weinig antwoorden" in content


def test_published_meldingen_and_the_open311_list_never_differ_by_an_intimidation_case(
    client, publish, buurt
):
    """Anyone may read the published figures and Open311's public list of meldingen: what the
    figures count beyond the list would be the buurt's intimidation cases, which only the
    coordinator and the police may know of. With 12 meldingen and one intimidation case in a
    buurt in the quarter, the figure says 12, and so does the list."""
    drugs = factories.CategorieFactory(naam="Drugshandel (open)")
    bedreigd = factories.CategorieFactory(naam="Ik word bedreigd (open)", is_intimidatie=True)
    moment, _days_ago = in_last_quarter(30)
    with time_machine.travel(moment, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        for categorie in [drugs] * 12 + [bedreigd]:
            factories.melding(buurt=buurt, categorie=categorie)
    gemeente = buurt.wijk.gemeente
    publish(gemeente)

    api = client.get(f"/api/v1/indicatoren/{gemeente.code}/").json()
    [area] = [a for a in api["gebieden"] if a["code"] == buurt.code]
    start, eind = kwartaal.last_ended()
    middle = start + timedelta(days=45)  # Open311 answers at most 90 days at a time
    listed = set()
    for van, tot in ((start, middle), (middle, eind + timedelta(days=1))):
        rows = client.get(
            "/open311/v2/requests.json",
            {
                "jurisdiction_id": gemeente.code,
                "start_date": f"{van}T00:00:00+01:00",
                "end_date": f"{tot}T00:00:00+01:00",
            },
        )
        assert rows.status_code == 200
        listed |= {row["service_request_id"] for row in rows.json() if buurt.naam in row["address"]}
    assert area["waarden"]["meldingen_per_1000"]["n"] == len(listed) == 12
    [toelichting] = {
        i["toelichting"] for i in api["indicatoren"] if i["key"].startswith("meldingen_")
    }
    assert "intimidatie" in toelichting
