"""The coordinator's "Van bereid naar actief": willing against active per buurt, the gap and the
change since the previous round; scope per role and bad parameters."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests import factories

from .conftest import closed_round, responses
from .views_support import cel, onderdrukt, snapshot, square

URL = reverse("indicatoren:bereid")


def _ends():
    today = timezone.localdate()
    return today - timedelta(days=100), today


@pytest.fixture
def area(wijk):
    """Three buurten, two closed rounds (200 and 20 days ago) and a snapshot after each: the old
    one holds the first round, the current one the second."""
    noord = factories.BuurtFactory(wijk=wijk, naam="Noordhoek", geometrie=square(0, 0))
    zuid = factories.BuurtFactory(wijk=wijk, naam="Zuidhoek", geometrie=square(0, 300))
    klein = factories.BuurtFactory(wijk=wijk, naam="Kleinhoek", geometrie=square(300, 0))
    first = closed_round(wijk, days_ago=200, titel="Peiling voorjaar")
    second = closed_round(wijk, days_ago=20, titel="Peiling najaar")
    for peiling in (first, second):
        responses(peiling, noord, {"bereidheid": 4})
    old, now = _ends()
    snapshot(buurt=noord, eind=old, waarden={"bereidheid": cel(30.0, 120, [22.16, 37.84])})
    snapshot(buurt=zuid, eind=old, waarden={"bereidheid": onderdrukt(30)})
    snapshot(buurt=klein, eind=old, waarden={"bereidheid": cel(25.0, 60, [15.0, 37.0])})
    snapshot(
        buurt=noord,
        eind=now,
        waarden={
            "bereidheid": cel(40.0, 100, [30.2, 49.8]),
            "actieve_kern": cel(8.25, 99),
            "p15": {"waarde": 1200},
        },
    )
    snapshot(
        buurt=zuid,
        eind=now,
        waarden={"bereidheid": cel(35.0, 80, [25.0, 46.0]), "actieve_kern": onderdrukt(10)},
    )
    snapshot(
        buurt=klein,
        eind=now,
        waarden={"bereidheid": onderdrukt(30), "actieve_kern": cel(12.0, 30)},
    )
    for eind in (old, now):
        snapshot(gemeente=wijk.gemeente, eind=eind, waarden={})
    return {"noord": noord, "zuid": zuid, "klein": klein}


def row_of(content: str, naam: str) -> str:
    match = re.search(rf'<th scope="row"[^>]*>{naam}.*?</tr>', content, re.S)
    assert match, naam
    return re.sub(r"\s+", " ", match.group(0))


def chart(content: str) -> str:
    return re.search(r'<svg class="grafiek pad".*?</svg>', content, re.S).group(0)


def test_coordinator_sees_willing_active_gap_and_change(
    login, coordinator, area, django_assert_max_num_queries
):
    client = login(coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    noord = row_of(content, "Noordhoek")
    assert "40,0%" in noord and "30,2 – 49,8 · n 100" in noord  # willing, with its interval
    assert "8,3%" in noord  # the active core
    assert "31,8 procentpunt" in noord and "ongeveer 380 buren" in noord  # 31.75% of 1,200
    # The change since the previous round, with the interval of the difference.
    assert "+10,0 procentpunt" in noord and "95%-interval -2,6 – +22,6 · was 30,0%" in noord
    # The chart draws the path and the previous round; the target is labelled an assumption.
    assert 'class="grafiek pad"' in content and 'role="img"' in content
    assert chart(content).count('class="pad-vorige"') == 1
    assert "doel 20% (aanname)" in content and "Programma-aanname" in content


def test_nothing_is_computed_from_a_suppressed_figure(login, coordinator, area):
    content = login(coordinator).get(URL).content.decode()
    zuid = row_of(content, "Zuidhoek")  # active core below 10; willing suppressed before
    assert "&lt; 10 mensen" in zuid
    assert "niet te berekenen" in zuid
    assert "te weinig antwoorden om te vergelijken" in zuid
    assert "procentpunt" not in zuid
    klein = row_of(content, "Kleinhoek")  # too few answers now; 25% before stays unused
    assert "te weinig antwoorden" in klein
    assert "procentpunt" not in klein and "25,0" not in klein


def test_a_single_round_says_there_is_no_earlier_one(login, coordinator, wijk):
    buurt = factories.BuurtFactory(wijk=wijk, naam="Eenhoek")
    responses(closed_round(wijk, days_ago=20), buurt, {"bereidheid": 5})
    snapshot(buurt=buurt, eind=timezone.localdate(), waarden={"bereidheid": cel(50.0, 40)})
    snapshot(gemeente=wijk.gemeente, eind=timezone.localdate(), waarden={})
    content = login(coordinator).get(URL).content.decode()
    assert "geen eerdere peiling" in row_of(content, "Eenhoek")


def test_query_count_does_not_grow_with_buurten(
    login, coordinator, area, wijk, django_assert_max_num_queries
):
    client = login(coordinator)
    with django_assert_max_num_queries(16) as few:
        client.get(URL)
    old, now = _ends()
    for i in range(8):
        buurt = factories.BuurtFactory(wijk=wijk, naam=f"Extra {i}")
        snapshot(buurt=buurt, eind=old, waarden={"bereidheid": cel(20.0 + i, 50, [10.0, 30.0])})
        snapshot(buurt=buurt, eind=now, waarden={"bereidheid": cel(30.0, 50, [20.0, 40.0])})
    with django_assert_max_num_queries(len(few)):
        content = client.get(URL).content.decode()
    assert chart(content).count('class="pad-vorige"') == 9


def test_a_coordinator_elsewhere_sees_none_of_it(login, area, other_buurt):
    elsewhere = factories.professional("coordinator", other_buurt.wijk)
    client = login(elsewhere)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Noordhoek" not in response.content.decode()
    assert client.get(URL, {"wijk": area["noord"].wijk.code}).status_code == 404


@pytest.mark.parametrize("role", ["politie", "handhaving", "bewoner"])
def test_other_roles_are_refused(login, wijk, area, role):
    if role == "bewoner":
        user = factories.LidmaatschapFactory(buurt=area["noord"]).user
    else:
        user = factories.professional(role, wijk)
    assert login(user).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"periode": "gisteren"}, "geen geldige datum"),
        ({"wijk": "x" * 500}, "Onbekende wijk"),
    ],
)
def test_garbage_parameters_give_a_notice_not_an_error(login, coordinator, area, params, notice):
    response = login(coordinator).get(URL, params)
    assert response.status_code == 200
    assert notice in response.content.decode()
    assert "Noordhoek" in response.content.decode()


def test_the_dashboard_links_to_it(login, coordinator, area):
    content = login(coordinator).get(reverse("indicatoren:dashboard")).content.decode()
    assert f'href="{URL}"' in content


def test_a_jump_link_near_the_top_leads_to_inviting_starters(login, coordinator, area):
    """The page is many phone screens long and its one action comes last: a link before the
    tables jumps to the heading of the form."""
    content = login(coordinator).get(URL).content.decode()
    link = content.index('href="#starters-uitnodigen"')
    assert "Naar starters uitnodigen" in content[link : link + 200]
    assert link < content.index('id="bereid-tabel"')
    heading = re.search(r'<h3[^>]*id="starters-uitnodigen"[^>]*>([^<]*)</h3>', content)
    assert heading and heading.group(1) == "Starters uitnodigen"
    assert content.count('id="starters-uitnodigen"') == 1


def test_the_starters_table_breaks_its_headers_between_words_only(login, coordinator, area):
    content = login(coordinator).get(URL).content.decode()
    table = content[: content.index("Daarna meegedaan")]
    assert "tabel-woorden" in table[table.rindex("<table") :]
    css = (Path(settings.BASE_DIR) / "static/css/indicatoren.css").read_text()
    assert re.search(r"\.tabel-woorden\s*\{[^}]*overflow-wrap:\s*normal", css)
