"""The buurt news of the weekly digest counts calendar weeks here: from Monday 00:00 to Monday
00:00 on the clock in Amsterdam, 167 or 169 hours when the clocks change in between."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from indicatoren.models import IndicatorInstelling
from portaal.overzicht import buurtnieuws
from tests import factories

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")

# The ISO week after each switch (Sunday 28 March and Sunday 31 October 2027), and the Monday
# that began the week before it, the week the digest tells of.
AFTER_THE_SWITCH = [
    pytest.param(202713, datetime(2027, 3, 22), id="march"),
    pytest.param(202744, datetime(2027, 10, 25), id="october"),
]


@pytest.fixture
def exact(buurt):
    """Counts shown from one, so that a single case shows."""
    IndicatorInstelling.objects.create(gemeente=buurt.wijk.gemeente, min_n_telling=1)


def _closed(buurt, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        melding = factories.melding(buurt=buurt)
        type(melding).objects.filter(pk=melding.pk).update(
            status="afgesloten", closed_at=timezone.now()
        )


@pytest.mark.parametrize(("week", "monday"), AFTER_THE_SWITCH)
def test_the_week_before_starts_at_midnight_on_its_monday(buurt, exact, week, monday):
    half_hour = timedelta(minutes=30)
    _closed(buurt, (monday + half_hour).replace(tzinfo=AMS))  # 00:30 that Monday: inside
    _closed(buurt, (monday - half_hour).replace(tzinfo=AMS))  # 23:30 the Sunday before
    moment = datetime.fromisocalendar(week // 100, week % 100, 1).replace(hour=7, tzinfo=AMS)
    with time_machine.travel(moment, tick=False):
        nieuws = buurtnieuws(buurt.pk, week, now=timezone.now())
    assert nieuws.afgehandeld == "1"


@pytest.mark.parametrize(
    ("week", "inside", "outside"),
    [
        # The week of the March switch ends at 00:00 summer time, 167 hours after it began.
        (202712, datetime(2027, 3, 28, 23, 30), datetime(2027, 3, 29, 0, 30)),
        # The week of the October switch ends at 00:00 winter time, 169 hours after it began.
        (202743, datetime(2027, 10, 31, 23, 30), datetime(2027, 11, 1, 0, 30)),
    ],
)
def test_the_activities_planned_are_those_of_the_week_up_to_sunday_night(
    buurt, week, inside, outside
):
    moment = datetime.fromisocalendar(week // 100, week % 100, 1).replace(hour=7, tzinfo=AMS)
    with time_machine.travel(moment, tick=False):
        for titel, start in (("Binnen", inside), ("Daarna", outside)):
            factories.activiteit(buurt=buurt, titel=titel, start=start.replace(tzinfo=AMS))
        nieuws = buurtnieuws(buurt.pk, week, now=timezone.now())
    assert [a.titel for a in nieuws.activiteiten] == ["Binnen"]
