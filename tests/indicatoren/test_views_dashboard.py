"""The coordinator's dashboard: map, table, target, trends; scope and bad parameters."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from indicatoren.models import Berekening, Snapshot
from tests import factories

from .views_support import PERIODE_EIND, cel, onderdrukt, publicatie, snapshot, square

URL = reverse("indicatoren:dashboard")


@pytest.fixture
def area(wijk):
    """Three buurten of one wijk with shapes and computed figures for two periods."""
    noord = factories.BuurtFactory(wijk=wijk, naam="Noordhoek", geometrie=square(0, 0))
    zuid = factories.BuurtFactory(wijk=wijk, naam="Zuidhoek", geometrie=square(0, 300))
    klein = factories.BuurtFactory(wijk=wijk, naam="Kleinhoek", geometrie=square(300, 0))
    old = date(2026, 5, 31)
    snapshot(buurt=noord, eind=old, waarden={"actieve_kern": cel(14.0)})
    snapshot(
        buurt=noord,
        waarden={"actieve_kern": cel(23.5), "sociale_cohesie": cel(7.12, 41, [6.8, 7.4])},
    )
    snapshot(buurt=zuid, waarden={"actieve_kern": cel(8.25), "sociale_cohesie": onderdrukt(30)})
    snapshot(
        buurt=klein, waarden={"actieve_kern": onderdrukt(10), "sociale_cohesie": onderdrukt(30)}
    )
    snapshot(wijk=wijk, eind=old, waarden={"actieve_kern": cel(11.0)})
    snapshot(
        wijk=wijk, waarden={"actieve_kern": cel(12.8), "sociale_cohesie": cel(6.9, 77, [6.6, 7.2])}
    )
    snapshot(gemeente=wijk.gemeente, eind=old, waarden={})
    snapshot(gemeente=wijk.gemeente, waarden={})
    # Two published quarters: the trends are drawn from these.
    for quarter, noord_kern, wijk_kern in (
        ((date(2026, 4, 1), date(2026, 6, 30)), 13.0, 10.5),
        ((date(2026, 7, 1), date(2026, 9, 30)), 21.0, 12.0),
    ):
        versie = publicatie(wijk.gemeente, kwartaal=quarter)
        snapshot(buurt=noord, publicatie=versie, waarden={"actieve_kern": cel(noord_kern)})
        snapshot(buurt=klein, publicatie=versie, waarden={"actieve_kern": onderdrukt(10)})
        snapshot(wijk=wijk, publicatie=versie, waarden={"actieve_kern": cel(wijk_kern)})
        snapshot(gemeente=wijk.gemeente, publicatie=versie, waarden={})
    return {"noord": noord, "zuid": zuid, "klein": klein}


def rows(content: str) -> list[str]:
    """Buurt names in table order."""
    return re.findall(r'<th scope="row" class="fw-normal"><a href="[^"]+">([^<]+)</a>', content)


def test_coordinator_sees_map_table_and_target(
    login, coordinator, area, django_assert_max_num_queries
):
    client = login(coordinator)
    with django_assert_max_num_queries(17):  # 16, and the menu's unread count (Berichten)
        response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    # The map: one shape per buurt, coloured by class, with the figure as a label.
    assert content.count('class="kaart-buurt') == 3
    assert "kaart-onderdrukt" in content
    assert ">23,5%</text>" in content
    assert "kaart-streefwaarde" in content  # the buurt above the target has the thick outline
    # The table and the target, labelled as a programme assumption.
    assert rows(content) == ["Kleinhoek", "Noordhoek", "Zuidhoek"]
    assert "1 buurt haalt het doel" in content
    assert "Programma-aanname" in content
    assert "Zuidhoek (8,3%)" in content  # rounded half up, not cut off
    assert "&lt; 10" in content
    # The wijk's trend, with its text alternative.
    assert "Cijfers van de grafiek als tabel" in content
    assert 'role="img"' in content
    assert "Bron: CBS" in content or "CBS, Kerncijfers" in content


def test_query_count_does_not_grow_with_buurten(
    login, coordinator, area, wijk, django_assert_max_num_queries
):
    client = login(coordinator)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for i in range(10):
        buurt = factories.BuurtFactory(wijk=wijk, geometrie=square(600 + i * 200, 0))
        snapshot(buurt=buurt, waarden={"actieve_kern": cel(float(i))})
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    assert response.content.decode().count('class="kaart-buurt') == 13


def test_suppressed_survey_figures_are_never_exact(login, coordinator, area):
    content = login(coordinator).get(URL, {"indicator": "sociale_cohesie"}).content.decode()
    assert "te weinig antwoorden" in content
    assert "7,1" in content and "41" in content  # the shown buurt has its value and n
    assert "6,8 – 7,4" in content  # and its confidence interval


def test_a_figure_hidden_for_protection_reads_so_in_the_table(login, coordinator, area):
    """Issue 12, 1.3: short in the cell, the full reason as tooltip and for screen readers,
    and never "< 10" for it."""
    zuid = Snapshot.objects.get(buurt=area["zuid"], periode_eind=PERIODE_EIND)
    zuid.waarden["actieve_kern"] = onderdrukt(10, reden="bescherming")
    zuid.save()

    content = login(coordinator).get(URL).content.decode()

    full = "niet getoond om kleine aantallen elders te beschermen"
    assert f'<span title="{full}">niet getoond</span>' in content
    assert f'<span class="visually-hidden"> ({full})</span>' in content
    assert f"“niet getoond”: {full}" in content  # the map legend
    assert "Zuidhoek: " + full in content  # the map shape's title
    assert content.count("&lt; 10 mensen") == 1  # only Kleinhoek, whose count is small
    # On the map too the two read apart without colour: a cross-hatch against a hatch.
    shape = re.search(r'<path class="([^"]*)"[^>]*><title>Zuidhoek:', content)[1]
    assert "kaart-beschermd" in shape and "kaart-onderdrukt" not in shape
    assert re.search(r'<path class="[^"]*kaart-onderdrukt[^"]*"[^>]*><title>Kleinhoek:', content)


def test_sorting_by_value_keeps_unknown_figures_last(login, coordinator, area):
    client = login(coordinator)
    ascending = client.get(URL, {"sorteer": "waarde"}).content.decode()
    assert rows(ascending) == ["Zuidhoek", "Noordhoek", "Kleinhoek"]
    descending = client.get(URL, {"sorteer": "-waarde"}).content.decode()
    assert rows(descending) == ["Noordhoek", "Zuidhoek", "Kleinhoek"]
    assert 'aria-sort="descending"' in descending


def test_an_earlier_period_can_be_chosen(login, coordinator, area):
    content = login(coordinator).get(URL, {"periode": "2026-05-31"}).content.decode()
    assert "14,0%" in content
    assert "23,5%" not in content


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"indicator": "geheim"}, "Die indicator kennen we niet"),
        ({"periode": "gisteren"}, "geen geldige datum"),
        ({"sorteer": "'; DROP TABLE"}, "Onbekende sortering"),
        ({"indicator": "x" * 5000, "periode": "2026-13-45"}, "Die indicator kennen we niet"),
    ],
)
def test_garbage_parameters_give_a_notice_not_an_error(login, coordinator, area, params, notice):
    response = login(coordinator).get(URL, params)
    assert response.status_code == 200
    assert notice in response.content.decode()
    assert 'class="kaart-buurt' in response.content.decode()


def test_a_wijk_of_another_area_is_not_found(login, coordinator, area, other_buurt):
    client = login(coordinator)
    assert client.get(URL, {"wijk": other_buurt.wijk.code}).status_code == 404
    assert client.get(URL, {"wijk": area["noord"].wijk.code}).status_code == 200


def test_other_areas_buurten_are_not_on_the_map(login, coordinator, area, other_buurt):
    other_buurt.geometrie = square(5000, 5000)
    other_buurt.save()
    snapshot(buurt=other_buurt, waarden={"actieve_kern": cel(55.5)})
    content = login(coordinator).get(URL).content.decode()
    assert other_buurt.naam not in content
    assert "55,5" not in content


@pytest.mark.parametrize("role", ["politie", "handhaving", "bewoner"])
def test_other_roles_are_refused(login, wijk, area, role):
    user = factories.professional(role, wijk) if role != "bewoner" else factories.UserFactory()
    assert login(user).get(URL).status_code == 403


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_without_figures_the_dashboard_says_so(login, coordinator, buurt):
    content = login(coordinator).get(URL).content.decode()
    assert "Nog geen berekende cijfers" in content
    assert "Nu herberekenen" in content


# --- One buurt's trends ---
def test_buurt_page_shows_trend_and_all_indicators(
    login, coordinator, area, django_assert_max_num_queries
):
    url = reverse("indicatoren:buurt", kwargs={"code": area["noord"].code})
    client = login(coordinator)
    with django_assert_max_num_queries(9):
        response = client.get(url, {"indicator": "actieve_kern"})
    content = response.content.decode()
    assert response.status_code == 200
    # The trend: the two published quarters, labelled as quarters.
    assert content.count("<circle") == 2
    assert "13,0%" in content and "21,0%" in content
    assert "apr–jun 2026" in content and "jul–sep 2026" in content
    assert "14,0%" not in content  # an old live period is no point of the trend
    assert "De stippellijn is het doel van 20%" in content
    # Beside it, the live figure, labelled as such; the table is live too.
    assert re.search(r"Voorlopig, alleen voor coördinatoren: 23,5% over 1 dec 2025", content)
    assert "Sociale cohesie" in content and "6,8 – 7,4" in content
    # The summary names quarters as open data does, and says why the live figure differs.
    assert "van 13,0% (apr–jun 2026) naar 21,0% (jul–sep 2026)" in content
    assert "Een kwartaalcijfer is geen twaalfmaandcijfer" in content


def test_buurt_page_of_another_area_is_not_found(login, coordinator, area, other_buurt):
    url = reverse("indicatoren:buurt", kwargs={"code": other_buurt.code})
    assert login(coordinator).get(url).status_code == 404
    missing = reverse("indicatoren:buurt", kwargs={"code": "BU9999XXXX"})
    assert login(coordinator).get(missing).status_code == 404


def test_buurt_page_suppressed_points_show_the_bound(login, coordinator, area):
    url = reverse("indicatoren:buurt", kwargs={"code": area["klein"].code})
    content = login(coordinator).get(url, {"indicator": "actieve_kern"}).content.decode()
    assert "grafiek-onderdrukt" in content
    assert "&lt; 10" in content


@pytest.mark.parametrize("role", ["politie", "bewoner"])
def test_buurt_page_refuses_other_roles(login, wijk, area, role):
    user = factories.professional(role, wijk) if role != "bewoner" else factories.UserFactory()
    url = reverse("indicatoren:buurt", kwargs={"code": area["noord"].code})
    assert login(user).get(url).status_code == 403


# --- Recomputing on demand ---
def test_recompute_runs_and_shows_progress(
    login, coordinator, area, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicatoren:herberekenen"))
    berekening = Berekening.objects.get()
    assert response.url == reverse("indicatoren:berekening", kwargs={"pk": berekening.pk})
    berekening.refresh_from_db()
    assert berekening.status == "klaar"
    page = client.get(response.url).content.decode()
    assert "<progress" in page and 'value="100"' in page
    assert "js/berekening.js" in page
    status = client.get(reverse("indicatoren:berekening-status", kwargs={"pk": berekening.pk}))
    assert status.json() == {
        "status": "klaar",
        "voortgang": 100,
        "tekst": "Klaar: de nieuwe cijfers staan op het dashboard.",
    }


def test_a_running_computation_refreshes_without_javascript(login, coordinator, wijk):
    berekening = Berekening.objects.create(
        gemeente=wijk.gemeente,
        periode_start=date(2025, 12, 1),
        periode_eind=date(2026, 11, 30),
        status="bezig",
        voortgang=40,
    )
    page = login(coordinator).get(reverse("indicatoren:berekening", kwargs={"pk": berekening.pk}))
    content = page.content.decode()
    assert '<noscript><meta http-equiv="refresh"' in content
    assert "Bezig: 40%" in content


def test_recompute_is_refused_for_other_roles_and_get(login, police, coordinator):
    assert login(police).post(reverse("indicatoren:herberekenen")).status_code == 403
    assert login(coordinator).get(reverse("indicatoren:herberekenen")).status_code == 405
    assert Berekening.objects.count() == 0


def test_computation_of_another_gemeente_is_not_found(login, coordinator):
    elsewhere = factories.GemeenteFactory(code="GM0599", naam="Rotterdam")
    berekening = Berekening.objects.create(
        gemeente=elsewhere, periode_start=date(2025, 12, 1), periode_eind=date(2026, 11, 30)
    )
    client = login(coordinator)
    assert (
        client.get(reverse("indicatoren:berekening", kwargs={"pk": berekening.pk})).status_code
        == 404
    )
    status_url = reverse("indicatoren:berekening-status", kwargs={"pk": berekening.pk})
    assert client.get(status_url).status_code == 404


def test_the_dashboard_in_english(login, coordinator, area):
    client = login(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(URL, {"indicator": "sociale_cohesie"}).content.decode()
    assert "Social cohesion per neighbourhood" in content
    assert "too few answers" in content
    assert "Recompute now" in content
    assert "7.1" in content  # English decimals


def test_buurt_page_links_coordinators_of_the_wijk_to_the_indicators(login, coordinator, buurt):
    link = reverse("indicatoren:buurt", kwargs={"code": buurt.code})
    assert link in login(coordinator).get(buurt.get_absolute_url()).content.decode()
    # A coordinator whose team only covers this single buurt, not its wijk: no dead link.
    loose = factories.professional("coordinator")
    loose.team.buurten.add(buurt)
    assert link not in login(loose).get(buurt.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["politie", "handhaving", "bewoner", "anoniem"])
def test_progress_pages_are_for_coordinators_only(client, login, wijk, role):
    berekening = Berekening.objects.create(
        gemeente=wijk.gemeente, periode_start=date(2025, 12, 1), periode_eind=date(2026, 11, 30)
    )
    if role == "bewoner":
        login(factories.UserFactory())
    elif role != "anoniem":
        login(factories.professional(role, wijk))
    for name in ("indicatoren:berekening", "indicatoren:berekening-status"):
        response = client.get(reverse(name, kwargs={"pk": berekening.pk}))
        assert response.status_code == (302 if role == "anoniem" else 403), name
        assert b"voortgang" not in response.content


def test_status_is_cheap_to_poll(login, coordinator, wijk, django_assert_max_num_queries):
    berekening = Berekening.objects.create(
        gemeente=wijk.gemeente, periode_start=date(2025, 12, 1), periode_eind=date(2026, 11, 30)
    )
    client = login(coordinator)
    url = reverse("indicatoren:berekening-status", kwargs={"pk": berekening.pk})
    with django_assert_max_num_queries(6):
        data = client.get(url).json()
    assert data == {"status": "wachtend", "voortgang": 0, "tekst": "Wacht op de rekenserver…"}


WEIGHTED = {
    **cel(6.5, 50, [6.0, 7.0]),
    "weging": "inwoners 15+",
    "dekking": {
        "gebieden": 3,
        "van": 6,
        "eenheid": "buurt",
        "inwoners_pct": 40,
        "zonder_bevolking": 0,
    },
}


def test_wijk_and_gemeente_survey_figures_say_what_they_cover(login, coordinator, area, wijk):
    from indicatoren.models import Niveau, Snapshot

    gemeente_weighted = {
        **WEIGHTED,
        "dekking": {**WEIGHTED["dekking"], "gebieden": 5, "van": 110, "eenheid": "wijk"},
    }
    Snapshot.objects.filter(wijk=wijk, periode_eind=date(2026, 11, 30)).update(
        waarden={"sociale_cohesie": WEIGHTED}
    )
    Snapshot.objects.filter(
        niveau=Niveau.GEMEENTE, gemeente=wijk.gemeente, periode_eind=date(2026, 11, 30)
    ).update(waarden={"sociale_cohesie": {**gemeente_weighted, "waarde": 6.53}})

    content = login(coordinator).get(URL, {"indicator": "sociale_cohesie"}).content.decode()

    assert "gebaseerd op 3 van 6 buurten, 40% van de inwoners van 15+" in content
    assert "gebaseerd op 5 van 110 wijken, 40% van de inwoners van 15+" in content
    assert "wegen elke buurt naar haar aantal inwoners van 15 jaar" in content  # how
    assert "toevalsmarge onder de buren die antwoordden" in content


def test_weet_niet_and_threat_figures_are_on_the_dashboard_with_an_explanation(
    login, coordinator, area
):
    client = login(coordinator)
    content = client.get(URL, {"indicator": "weet_niet_sc"}).content.decode()
    assert "buren elkaar weinig kennen" in content
    content = client.get(URL, {"indicator": "drugshandel"}).content.decode()
    assert "openlijk drugs gedeald" in content


def test_a_computation_nobody_picks_up_says_so(login, coordinator, wijk):
    """With the worker down the page would wait forever: after two minutes it says why."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        berekening = Berekening.objects.create(
            gemeente=wijk.gemeente, periode_start=date(2025, 12, 1), periode_eind=date(2026, 11, 30)
        )
    client = login(coordinator)
    url = reverse("indicatoren:berekening-status", kwargs={"pk": berekening.pk})
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        assert client.get(url).json()["tekst"] == "Wacht op de rekenserver…"
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        tekst = client.get(url).json()["tekst"]
        page = client.get(reverse("indicatoren:berekening", kwargs={"pk": berekening.pk}))
    assert "lijkt niet te draaien" in tekst and "meld het dan de beheerder" in tekst
    assert "lijkt niet te draaien" in page.content.decode()
