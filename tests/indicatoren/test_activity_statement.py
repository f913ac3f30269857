"""The activity statement of issue 15 (participations matched to membership intervals by a hash
join, grouped without a distinct count) gives the same sums as the statement it replaced
(windows over every participation and membership change: ``reference_activity.py``), on
random buurten, moves, endings, undone admissions, memberships older than the history, absent
and cancelled participations and organisers who also signed up."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activiteiten.models import Aanmelding, Activiteit, Rol
from buurten.models import Lidmaatschap, LidmaatschapHistorie
from indicatoren.compute.participation import activity_sums
from indicatoren.compute.sql import LARGE_WORK_MEM, large_statement
from indicatoren.services import default_periode
from tests import factories

from .conftest import _soort
from .reference_activity import reference_activity_sums

pytestmark = pytest.mark.django_db

BUURTEN = 4  # in two wijken
HOURS = (0, 9, 13, 23)  # local midnight and late evening: the day boundary in local time
# Each example writes a small town: kept few for the test run (also test_deelname_maand.py).
SMALL_TOWNS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

stint = st.fixed_dictionaries(
    {
        "buurt": st.integers(0, BUURTEN - 1),
        "days": st.integers(0, 40),  # after the previous change (0: the same day)
        "hour": st.sampled_from(HOURS),
        "history": st.booleans(),  # False: older than the history table
    }
)
resident = st.fixed_dictionaries(
    {
        "first_day": st.integers(-60, 330),  # from the period's start
        "stints": st.lists(stint, min_size=1, max_size=3),
        "end": st.sampled_from([None, "beeindigd", "afgewezen"]),
        "end_days": st.integers(0, 40),
        "band": st.sampled_from(["", "15_25", "25_45", "45_65", "65_plus"]),
    }
)
signup = st.fixed_dictionaries(
    {
        "who": st.integers(0, 7),
        "rol": st.booleans(),
        "uren": st.sampled_from([None, 1.5, 2, 3]),
        "aanwezig": st.sampled_from([None, True, False]),
    }
)
activity = st.fixed_dictionaries(
    {
        "buurt": st.integers(0, BUURTEN - 1),
        "day": st.integers(-5, 370),
        "hour": st.sampled_from(HOURS),
        "cancelled": st.integers(0, 9).map(lambda n: n == 0),
        "organiser": st.integers(0, 7),
        "signups": st.lists(signup, max_size=6, unique_by=lambda s: s["who"]),
    }
)


def _local(start, days: int, hour: int, minute: int = 0) -> datetime:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, datetime.min.time(), tzinfo=tz) + timedelta(
        days=days, hours=hour, minutes=minute
    )


def _memberships(user, start, buurten, plan) -> None:
    day = plan["first_day"]
    stints = plan["stints"]
    for i, s in enumerate(stints):
        day += s["days"] if i else 0
        begun = _local(start, day, s["hour"], minute=i)
        last = i == len(stints) - 1
        if last:
            ended_day = day + plan["end_days"]
            ended = _local(start, ended_day, 23, minute=59) if plan["end"] else None
            status = plan["end"] or Lidmaatschap.Status.LID
        else:  # a move: this membership ends when the next one begins
            nxt = stints[i + 1]
            ended = _local(start, day + nxt["days"], nxt["hour"], minute=i + 1)
            status = Lidmaatschap.Status.BEEINDIGD
        lid = Lidmaatschap.objects.create(
            user=user,
            buurt=buurten[s["buurt"]],
            status=status,
            via=Lidmaatschap.Via.CODE,
            decided_at=ended or begun,
            welcome_sent_at=begun,
        )
        Lidmaatschap.objects.filter(pk=lid.pk).update(created_at=begun)
        if not s["history"]:
            continue
        LidmaatschapHistorie.objects.create(
            lidmaatschap=lid, van="", naar="lid", actie="code", created_at=begun
        )
        if ended is not None:
            LidmaatschapHistorie.objects.create(
                lidmaatschap=lid, van="lid", naar=status, actie="beeindigen", created_at=ended
            )


def _activities(start, buurten, users, plans) -> None:
    for plan in plans:
        begins = _local(start, plan["day"], plan["hour"], minute=30)
        act = Activiteit.objects.create(
            buurt=buurten[plan["buurt"]],
            soort=_soort(),
            titel="Ronde",
            plek="Plein",
            start=begins,
            einde=begins + timedelta(hours=1),
            capaciteit=50,
            organisator=users[plan["organiser"] % len(users)],
            geannuleerd_at=begins if plan["cancelled"] else None,
        )
        for s in plan["signups"]:
            if s["who"] >= len(users):
                continue
            rol = Rol.objects.create(activiteit=act, naam="Loper", plaatsen=9) if s["rol"] else None
            Aanmelding.objects.create(
                activiteit=act,
                user=users[s["who"]],
                rol=rol,
                aanwezig=s["aanwezig"],
                uren=None if s["uren"] is None else Decimal(str(s["uren"])),
            )


@SMALL_TOWNS
@given(
    residents=st.lists(resident, min_size=1, max_size=8),
    activities=st.lists(activity, max_size=10),
)
def test_the_hash_join_statement_gives_the_sums_of_the_window_statement(residents, activities):
    with transaction.atomic():
        gemeente = factories.GemeenteFactory()
        wijken = [factories.WijkFactory(gemeente=gemeente) for _ in range(2)]
        buurten = [factories.BuurtFactory(wijk=wijken[i % 2]) for i in range(BUURTEN)]
        start, eind = default_periode()
        users = []
        for plan in residents:
            user = factories.UserFactory(leeftijdsgroep=plan["band"])
            _memberships(user, start, buurten, plan)
            users.append(user)
        _activities(start, buurten, users, activities)

        new = activity_sums(gemeente, start, eind)
        old = reference_activity_sums(gemeente, start, eind)

        sums, top, levels = new
        for counter in sums.values():
            counter.pop("zonder_account", None)  # the new function adds the headcounts
        assert ({k: v for k, v in sums.items() if v}, top, levels) == old
        transaction.set_rollback(True)


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_the_settings_for_large_statements_hold_inside_and_are_set_back_after():
    names = ("work_mem", "enable_nestloop", "enable_mergejoin")
    before = {name: _setting(name) for name in names}
    with large_statement():
        assert _setting("work_mem") == LARGE_WORK_MEM
        with large_statement(hash_joins=True):
            assert (_setting("enable_nestloop"), _setting("enable_mergejoin")) == ("off", "off")
        # The inner statement sets back what the outer one set, not the server's defaults.
        assert _setting("work_mem") == LARGE_WORK_MEM
        assert _setting("enable_nestloop") == before["enable_nestloop"]
    assert {name: _setting(name) for name in names} == before


@pytest.mark.postgres
def test_a_failing_statement_leaves_the_settings_as_they_were():
    before = _setting("work_mem")
    with (
        pytest.raises(DatabaseError, match="division by zero"),
        transaction.atomic(),
        large_statement(hash_joins=True) as cursor,
    ):
        cursor.execute("SELECT 1 / 0")
    assert _setting("work_mem") == before
    assert _setting("enable_nestloop") == "on"
