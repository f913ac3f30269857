"""The "ik ook" list shows what a neighbour can judge (when, the street, roughly how far from
their own pin, how many reported it) and nothing of the reporter: not their words, the house
number, the address, the exact point. The list fragment the map asks for per pin is an
endpoint of its own: per role, bad input, constant queries, and no oracle."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meldingen import ikook, services, views
from meldingen.models import Doel, Melding, RoutingRegel
from tests import factories

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Wednesday evening; the week before it holds a Monday, 30 November.
NOW = datetime(2026, 12, 2, 20, 30, tzinfo=AMSTERDAM)

OWN_WORDS = "Hij stond weer bij mijn voordeur op nummer 12"
OWN_PLACE = "Zoutkeetsgracht 12, mijn portiek"
OWN_DESCRIPTION = "Kevin van nummer 14, zoon van de bakker"
PLATE = "XX-123-Y"
ADRES = "Zoutkeetsgracht 12, 1013 LC Amsterdam"
STRAAT = "Zoutkeetsgracht"
# The pin the resident sets: the centre of a grid cell, so that the distances below are
# whole numbers of cells (about 100 m north-south, 102 m east-west).
PIN = ikook.cell_centre(52.3877, 4.8883)


def near(north: int, east: int = 0, jitter: tuple[float, float] = (0.0, 0.0)):
    """A point ``north`` and ``east`` cells from the pin's cell, moved by ``jitter`` degrees
    within its cell (less than half a cell keeps it in the same one)."""
    return (
        PIN[0] + north * ikook.CELL_LAT + jitter[0],
        PIN[1] + east * ikook.CELL_LON + jitter[1],
    )


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _limits(monkeypatch):
    monkeypatch.setattr(views, "IK_OOK_LIST_ASKS", "1000/h")


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Verdachte situatie (ik ook)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def reported(*, buurt, categorie, point=None, straat=STRAAT, wanneer=None, **kwargs):
    """A neighbour's melding with their own words, descriptions and exact point, and the
    address service's answer (``adres``, ``straat``) set as the intake keeps it."""
    lat, lon = point or (None, None)
    melding = factories.melding(
        buurt=buurt,
        categorie=categorie,
        wat=OWN_WORDS,
        waar=OWN_PLACE,
        wanneer=wanneer or NOW - timedelta(minutes=19),
        latitude=lat,
        longitude=lon,
        beschrijving=services.Beschrijving(
            persoon_kenmerken=OWN_DESCRIPTION, voertuig_kenteken=PLATE
        ),
        **kwargs,
    )
    Melding.objects.filter(pk=melding.pk).update(adres=ADRES, straat=straat)
    return melding


def private_of(melding: Melding) -> list[str]:
    """What of ``melding`` no neighbour may read: the words, the address and house number,
    the exact point as any page would write it."""
    texts = [OWN_WORDS, OWN_PLACE, OWN_DESCRIPTION, PLATE, ADRES, f"{STRAAT} 12", "1013 LC"]
    for value in (melding.latitude, melding.longitude):
        if value is not None:
            texts += [f"{value:.6f}", f"{value:.5f}", f"{value:.4f}", str(value)]
    texts += [melding.referentie, "data-punt"]
    return texts


def form_url(categorie) -> str:
    return reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})


def list_url(categorie, point=None) -> str:
    url = reverse("meldingen:ik-ook-lijst", kwargs={"categorie": categorie.pk})
    if point:
        url += f"?lat={point[0]:.6f}&lon={point[1]:.6f}"
    return url


def lines(html: str) -> list[str]:
    """The text of each line of the list, in order."""
    items = re.findall(r"<li[^>]*data-ik-ook-melding[^>]*>(.*?)</li>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_form_tells_when_and_in_which_street_newest_first(login, member, buurt, categorie):
    for wanneer in (
        datetime(2026, 11, 30, 9, 5, tzinfo=AMSTERDAM),
        datetime(2026, 12, 1, 22, 40, tzinfo=AMSTERDAM),
        datetime(2026, 12, 2, 20, 11, tzinfo=AMSTERDAM),
    ):
        with time_machine.travel(wanneer + timedelta(minutes=5), tick=False):
            reported(buurt=buurt, categorie=categorie, point=near(2), wanneer=wanneer)
    html = login(member).get(form_url(categorie)).content.decode()
    shown = lines(html)
    assert [line.split(" · ")[0] for line in shown] == [
        "vandaag 20:11",
        "gisteren 22:40",
        "ma 30 nov 09:05",
    ]
    assert all(f" · {STRAAT} · " in line for line in shown)
    # Without a pin there is no distance (the map asks for it when the pin is set).
    assert "van je speld" not in html
    assert "1 melder" in shown[0]


def test_the_list_for_a_pin_is_nearest_first_with_coarse_distances(login, member, buurt, categorie):
    far = reported(buurt=buurt, categorie=categorie, point=near(0, 12), straat="Haarlemmerdijk")
    at_the_pin = reported(buurt=buurt, categorie=categorie, point=near(0, jitter=(0.0003, -0.0004)))
    two_cells = reported(buurt=buurt, categorie=categorie, point=near(2), straat="Planciusstraat")
    no_point = reported(buurt=buurt, categorie=categorie, straat="")
    services.melding_join(
        user=factories.LidmaatschapFactory(buurt=buurt).user,
        melding=two_cells,
        bescherming="coordinator",
    )
    response = login(member).get(list_url(categorie, PIN))
    assert response.status_code == 200
    html = response.content.decode()
    texts = [re.split(r" · met | \d melders? ", line)[0] for line in lines(html)]
    assert texts == [
        f"vandaag 20:11 · {STRAAT} · minder dan 100 m van je speld",
        "vandaag 20:11 · Planciusstraat · ongeveer 200 m van je speld",
        "vandaag 20:11 · Haarlemmerdijk · meer dan 1 km van je speld",
        "vandaag 20:11",
    ]
    assert "2 melders" in lines(html)[1]
    assert "Dichtstbij je speld eerst" in html
    for melding in (far, at_the_pin, two_cells, no_point):
        assert f"/meldingen/{melding.pk}/ik-ook/" in html
        for private in private_of(melding):
            assert private not in html, private
    # The pin itself is not echoed either.
    assert f"{PIN[0]:.4f}" not in html and f"{PIN[1]:.4f}" not in html


def test_moving_the_pin_about_finds_no_more_than_the_cell(login, member, buurt, categorie):
    """Two reporters' exact points in the same cell give the very same answers, wherever the
    pin is: the distance is to the cell's centre, so probing finds at most that centre."""
    one = reported(buurt=buurt, categorie=categorie, point=near(3, 1, (0.0004, 0.0006)))
    client = login(member)
    pins = [near(0, 0, (dy * 0.0001, dx * 0.0001)) for dy in (-4, 0, 4) for dx in (-6, 0, 6)]
    pins += [near(3, 1, (0.0004, 0.0006)), near(3, 1, (-0.0004, -0.0006)), near(6, -2)]
    first = [client.get(list_url(categorie, pin)).content for pin in pins]
    Melding.objects.filter(pk=one.pk).update(latitude=near(3, 1, (-0.0004, -0.0006))[0])
    Melding.objects.filter(pk=one.pk).update(longitude=near(3, 1, (-0.0004, -0.0006))[1])
    again = [client.get(list_url(categorie, pin)).content for pin in pins]
    strip = lambda body: re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)  # noqa: E731
    assert [strip(body) for body in first] == [strip(body) for body in again]
    # Standing on the reporter's exact point says "less than 100 m", no closer.
    assert "minder dan 100 m van je speld" in first[9].decode()


def test_intimidation_other_buurten_closed_and_own_are_never_in_the_list(
    login, member, buurt, other_buurt, categorie
):
    intimidatie = factories.CategorieFactory(naam="Bedreigd (ik ook)", is_intimidatie=True)
    threat = reported(buurt=buurt, categorie=intimidatie, point=near(1))
    elsewhere = reported(buurt=other_buurt, categorie=categorie, point=near(1))
    own = reported(buurt=buurt, categorie=categorie, point=near(1), user=member)
    client = login(member)
    for url in (form_url(categorie), list_url(categorie), list_url(categorie, PIN)):
        html = client.get(url).content.decode()
        assert lines(html) == [], url
        for melding in (threat, elsewhere, own):
            assert f"/meldingen/{melding.pk}/ik-ook/" not in html
            for private in private_of(melding):
                assert private not in html
    for url in (form_url(intimidatie), list_url(intimidatie), list_url(intimidatie, PIN)):
        response = client.get(url)
        assert response.status_code == 200
        assert lines(response.content.decode()) == []
    # The neighbour in the other buurt does not see this buurt's melding either.
    ours = reported(buurt=buurt, categorie=categorie, point=near(1))
    stranger = factories.LidmaatschapFactory(buurt=other_buurt).user
    html = login(stranger).get(list_url(categorie, PIN)).content.decode()
    assert f"/meldingen/{ours.pk}/ik-ook/" not in html
    assert [line.split(" · ")[1] for line in lines(html)] == [STRAAT]  # their own buurt's


def test_who_may_ask_for_the_list(client, login, buurt, wijk, categorie):
    reported(buurt=buurt, categorie=categorie, point=near(1))
    url = list_url(categorie, PIN)
    signed_out = client.get(url)
    assert signed_out.status_code == 302 and "login" in signed_out["Location"]
    pending = factories.LidmaatschapFactory(buurt=buurt, status="aangevraagd").user
    assert login(pending).get(url).status_code == 404
    assert login(factories.UserFactory()).get(url).status_code == 404
    for role in ("politie", "coordinator"):
        assert login(factories.professional(role, wijk)).get(url).status_code in (403, 404)
    member = factories.LidmaatschapFactory(buurt=buurt).user
    client = login(member)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
    categorie.actief = False
    categorie.save()
    assert client.get(url).status_code == 404
    missing = reverse("meldingen:ik-ook-lijst", kwargs={"categorie": categorie.pk + 1000})
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "lat=abc&lon=4.89",
        "lat=52.37",
        "lon=4.89",
        "lat=52.37&lon=",
        "lat=nan&lon=4.89",
        "lat=52.37&lon=inf",
        "lat=1e400&lon=4.89",
        "lat=91&lon=4.89",
        "lat=52.37&lon=-181",
        "lat=52,37&lon=4,89",
    ],
)
def test_a_bad_point_is_a_400_that_says_what_is_expected(login, member, buurt, categorie, query):
    reported(buurt=buurt, categorie=categorie, point=near(1))
    response = login(member).get(f"{list_url(categorie)}?{query}")
    assert response.status_code == 400
    body = response.content.decode()
    assert "breedtegraad en lengtegraad" in body
    assert STRAAT not in body


def test_the_list_takes_the_same_queries_for_one_or_many(
    login, member, buurt, categorie, django_assert_max_num_queries
):
    client = login(member)
    reported(buurt=buurt, categorie=categorie, point=near(1))
    client.get(list_url(categorie, PIN))  # the session and the user, cached from here on
    with django_assert_max_num_queries(20) as one:
        assert len(lines(client.get(list_url(categorie, PIN)).content.decode())) == 1
    for north in range(2, 12):
        reported(buurt=buurt, categorie=categorie, point=near(north))
    with django_assert_max_num_queries(len(one)):
        assert len(lines(client.get(list_url(categorie, PIN)).content.decode())) == 5
    with django_assert_max_num_queries(len(one)):
        assert len(lines(client.get(list_url(categorie)).content.decode())) == 5


def test_the_list_is_rate_limited_per_resident(login, member, buurt, categorie, monkeypatch):
    monkeypatch.setattr(views, "IK_OOK_LIST_ASKS", "2/h")
    reported(buurt=buurt, categorie=categorie, point=near(1))
    client = login(member)
    answers = [client.get(list_url(categorie, PIN)) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Probeer het later opnieuw" in answers[2].content.decode()
    assert STRAAT not in answers[2].content.decode()
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    assert login(neighbour).get(list_url(categorie, PIN)).status_code == 200


@pytest.mark.parametrize(
    ("metres", "text"),
    [
        (0, "minder dan 100 m van je speld"),
        (99, "minder dan 100 m van je speld"),
        (100, "ongeveer 100 m van je speld"),
        (149, "ongeveer 150 m van je speld"),
        (163, "ongeveer 150 m van je speld"),
        (980, "ongeveer 1 km van je speld"),
        (1001, "meer dan 1 km van je speld"),
        (25_000, "meer dan 1 km van je speld"),
    ],
)
def test_distances_are_told_in_steps(metres, text):
    assert ikook.distance_text(ikook.coarse_distance(metres)) == text


def test_times_are_told_as_today_yesterday_or_the_day(settings):
    now = timezone.now()
    assert ikook.when_text(NOW.replace(hour=0, minute=1), now) == "vandaag 00:01"
    assert ikook.when_text(NOW - timedelta(days=1), now) == "gisteren 20:30"
    assert ikook.when_text(NOW.replace(day=1, hour=0, minute=0), now) == "gisteren 00:00"
    assert ikook.when_text(NOW.replace(day=30, month=11, hour=23, minute=59), now) == (
        "ma 30 nov 23:59"
    )
