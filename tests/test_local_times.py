"""Times typed on the nights the clocks change: read as a person means them, never refused."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meldingen.models import Melding
from tests import factories
from wijkaanpak.forms import LocalDateTimeField

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def categorie(db):
    return factories.CategorieFactory(naam="Verdachte situatie (test)")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # Summer time ends: 02:30 happens twice; the first is meant (never in the future).
        ("2026-10-25T02:30", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # Summer time starts: 02:30 does not exist; the clock showed 03:30 at that moment.
        ("2027-03-28T02:30", datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        ("2026-12-31 23:50", datetime(2026, 12, 31, 22, 50, tzinfo=UTC)),
        ("29-02-2028 12:00", datetime(2028, 2, 29, 11, 0, tzinfo=UTC)),
    ],
)
def test_a_local_time_is_read_as_meant(typed, meant):
    assert LocalDateTimeField().clean(typed) == meant


@pytest.mark.parametrize("typed", ["gisteren", "2027-02-30T10:00", "2026-13-01T10:00"])
def test_a_time_that_is_no_time_is_refused(typed):
    with pytest.raises(ValidationError, match="geldige datum/tijd"):
        LocalDateTimeField().clean(typed)


@pytest.mark.parametrize(
    "typed", ["0001-01-01T00:00", "1899-12-31T23:59", "2101-01-01T00:00", "9999-12-31T23:59"]
)
def test_a_year_outside_1900_to_2100_is_refused(typed):
    # Year 1 overflowed on the way to UTC: an OverflowError, a 500 on every form with a time.
    with pytest.raises(ValidationError, match="Kies een datum tussen 1900 en 2100"):
        LocalDateTimeField().clean(typed)


@pytest.mark.django_db
def test_a_report_from_year_1_gets_a_message_and_saves_nothing(login, member, categorie):
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    response = login(member).post(
        url,
        {
            "wat": "Twee mannen proberen fietsen los te knippen.",
            "waar": "Fietsenrek bij de supermarkt",
            "wanneer": "0001-01-01T00:00",
            "bescherming": "coordinator",
        },
    )
    assert response.status_code == 200
    assert "Kies een datum tussen 1900 en 2100." in response.content.decode()
    assert not Melding.objects.exists()


def test_an_empty_optional_time_is_none():
    assert LocalDateTimeField(required=False).clean("") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the first 02:30 of the October night
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # the second 02:30
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),  # 03:30, just after the jump
    ],
    ids=["first 02:30", "second 02:30", "after the jump"],
)
def test_a_resident_reports_on_the_night_the_clocks_change(login, member, categorie, moment):
    """The form offers "now"; at 02:30 on the October night that time exists twice, and the
    resident must not be told her report has an impossible time."""
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    with time_machine.travel(moment, tick=False):
        now_on_the_clock = moment.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")
        response = login(member).post(
            url,
            {
                "wat": "Twee mannen proberen fietsen los te knippen.",
                "waar": "Fietsenrek bij de supermarkt",
                "wanneer": now_on_the_clock,
                "bescherming": "coordinator",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    melding = Melding.objects.get()
    assert melding.wanneer <= moment
    assert melding.wanneer.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M") == now_on_the_clock


def test_a_moment_given_as_a_datetime_is_read_the_same_way():
    aware = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert LocalDateTimeField().clean(aware) == aware
    assert LocalDateTimeField().clean(datetime(2026, 10, 25, 2, 30)) == aware
