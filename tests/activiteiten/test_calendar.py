"""The .ics files read back as written, by a real parser (the icalendar library): the calendar's
name with commas, semicolons and backslashes, a charset, UIDs with the site's domain, and a
line break stored in a title (bypassing the forms) still gives a valid file."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests import factories

pytestmark = pytest.mark.django_db

AWKWARD = 'Buurtfeest, BBQ; muziek \\ dans "buiten"'


@pytest.fixture(autouse=True)
def _site(settings):
    settings.WIJKAANPAK_SITE_URL = "https://wijkaanpak.example.nl/"


def store_directly(activiteit, **values):
    """Write columns with SQL, as a direct POST before the fix or another app could have."""
    columns = ", ".join(f"{name} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE activiteiten_activiteit SET {columns} WHERE id = %s",  # noqa: S608
            [*values.values(), activiteit.pk],
        )


def test_one_activity_round_trips_name_charset_and_uid(login, buurt, member):
    activiteit = factories.activiteit(buurt=buurt, titel=AWKWARD, plek="Plein; bij de kerk")
    response = login(member).get(reverse("activiteiten:ics", kwargs={"pk": activiteit.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == AWKWARD
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == AWKWARD
    assert str(event["LOCATION"]) == "Plein; bij de kerk"
    assert str(event["UID"]) == f"activiteit-{activiteit.pk}@wijkaanpak.example.nl"


def test_the_buurt_feed_round_trips_too(buurt):
    buurt.naam = "Kinkerbuurt, noord; west \\ oost"
    buurt.save()
    activiteit = factories.activiteit(buurt=buurt, titel=AWKWARD, zichtbaarheid="openbaar")
    response = Client().get(reverse("activiteiten:buurt-ics", kwargs={"code": buurt.code}))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Kinkerbuurt, noord; west \\ oost"
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == AWKWARD
    assert str(event["UID"]) == f"activiteit-{activiteit.pk}@wijkaanpak.example.nl"


def test_a_line_break_stored_in_a_title_still_gives_a_valid_file(login, buurt, member):
    activiteit = factories.activiteit(buurt=buurt, zichtbaarheid="openbaar")
    store_directly(
        activiteit,
        titel="Avondronde\r\nDTSTART:20000101T000000Z",
        plek="Kerk\nplein",
        beschrijving="Eerste regel\r\nTweede regel\x07",
    )
    single = login(member).get(reverse("activiteiten:ics", kwargs={"pk": activiteit.pk}))
    feed = Client().get(reverse("activiteiten:buurt-ics", kwargs={"code": buurt.code}))
    for response in (single, feed):
        assert response.status_code == 200
        body = response.content.decode()
        assert "\r\nDTSTART:20000101" not in body  # no line of its own
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["SUMMARY"]) == "Avondronde DTSTART:20000101T000000Z"
        assert str(event["LOCATION"]) == "Kerk plein"
        assert str(event["DESCRIPTION"]) == "Eerste regel\nTweede regel"
    name = Calendar.from_ical(single.content)["X-WR-CALNAME"]
    assert str(name) == "Avondronde DTSTART:20000101T000000Z"
