"""The activity figures from month aggregates (``DeelnameMaand``, issue 15) equal a full
recomputation from the participations, whatever changed after the aggregates were built and
whether or not the nightly maintenance ran since; and every write path that changes a
resident's past months marks the resident (a path that forgot would leave the aggregates stale
and fail the comparison)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from activiteiten import services as activiteiten_services
from activiteiten.models import Aanmelding, Activiteit
from buurten import services as buurten_services
from buurten.models import Lidmaatschap, LidmaatschapHistorie
from indicatoren import kwartaal
from indicatoren.compute import compute_snapshots, participation
from indicatoren.compute.activity import held_months
from indicatoren.compute.participation import activity_sums
from indicatoren.compute.sql import bounds
from indicatoren.deelname import deelname_maanden_bijwerken
from indicatoren.figures import WIJK
from indicatoren.models import (
    DeelnameGewijzigd,
    DeelnameMaand,
    DeelnameMaandStand,
    DeelnamePeriodeStand,
    Snapshot,
)
from indicatoren.services import default_periode
from tests import factories

from .conftest import members, past_activity, took_part
from .test_activity_statement import (
    BUURTEN,
    SMALL_TOWNS,
    _activities,
    _memberships,
    activity,
    resident,
)

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")

# When the aggregates are built: New Year's night, both DST nights, the last minutes of a
# month, an ordinary afternoon (local time).
BUILT_AT = (
    datetime(2026, 1, 1, 0, 30, tzinfo=AMS),
    datetime(2026, 3, 29, 3, 30, tzinfo=AMS),
    datetime(2026, 10, 25, 3, 30, tzinfo=AMS),
    datetime(2026, 11, 30, 23, 50, tzinfo=AMS),
    datetime(2026, 12, 4, 15, 0, tzinfo=AMS),
)
KINDS = (
    "move",
    "cancel",
    "organiser",
    "absent",
    "hours",
    "afmelden",
    "delete_signup",
    "undo_admission",
    "leave",
    "late_signup",
    "band",
)
change = st.tuples(st.sampled_from(KINDS), st.integers(0, 9), st.integers(-40, 40))


def _signup(activities, i, k):
    if not activities:
        return None
    signups = list(activities[i % len(activities)].aanmeldingen.order_by("pk"))
    return signups[k % len(signups)] if signups else None


def _apply(kind, i, k, users, activities) -> None:
    """One change through the ORM as the admin or a service would make it (model signals)."""
    now = timezone.now()
    act = activities[i % len(activities)] if activities else None
    user = users[abs(k) % len(users)]
    if kind == "move" and act:
        act.start += timedelta(days=k, hours=k % 5)
        act.einde = act.start + timedelta(hours=1)
        act.save()
    elif kind == "cancel" and act:
        act.geannuleerd_at = now
        act.save()
    elif kind == "organiser" and act:
        act.organisator = user
        act.save()
    elif kind in ("absent", "hours", "afmelden", "delete_signup"):
        signup = _signup(activities, i, k)
        if signup is None:
            return
        if kind == "absent":
            signup.aanwezig = False
        elif kind == "hours":
            signup.uren = Decimal("1.3") * (abs(k) % 4)
        elif kind == "afmelden":
            signup.status = Aanmelding.Status.AFGEMELD
        if kind == "delete_signup":
            signup.delete()
        else:
            signup.save()
    elif kind in ("undo_admission", "leave"):
        membership = user.lidmaatschappen.filter(status=Lidmaatschap.Status.LID).first()
        if membership is None:
            return
        naar = Lidmaatschap.Status.AFGEWEZEN if kind == "undo_admission" else "beeindigd"
        membership.status, membership.decided_at = naar, now
        membership.save()
        LidmaatschapHistorie.objects.create(
            lidmaatschap=membership, van="lid", naar=naar, actie="x", created_at=now
        )
    elif kind == "band":
        # A resident's age band, as the profile page changes it.
        user.leeftijdsgroep = ("", "15_25", "25_45", "45_65", "65_plus")[abs(k) % 5]
        user.save()
    elif kind == "late_signup" and act and not act.aanmeldingen.filter(user=user).exists():
        Aanmelding.objects.create(activiteit=act, user=user, uren=Decimal("0.7"))


def _periods(today: date, offset: int, length: int):
    start, eind = default_periode(today)
    odd = start + timedelta(days=offset)
    return [
        (start, eind),
        kwartaal.last_ended(today),
        (odd, min(odd + timedelta(days=length), today)),
        (date(today.year - 1, 12, 1), date(today.year, 1, 31)),  # across New Year
    ]


def _same(gemeente, periods) -> None:
    for start, eind in periods:
        assert activity_sums(gemeente, start, eind) == activity_sums(
            gemeente, start, eind, months=False
        ), (start, eind)


@SMALL_TOWNS
@given(
    residents=st.lists(resident, min_size=1, max_size=8),
    activities=st.lists(activity, max_size=10),
    built=st.sampled_from(BUILT_AT),
    # Within a week the live period is taken from the kept counts, later from the statement.
    later=st.one_of(st.integers(0, 6), st.integers(7, 70)),
    hour=st.sampled_from((0, 1, 13, 23)),
    changes=st.lists(change, max_size=6),
    again=st.booleans(),
    offset=st.integers(0, 300),
    length=st.integers(0, 120),
)
def test_figures_from_month_aggregates_equal_the_full_recomputation(
    residents, activities, built, later, hour, changes, again, offset, length
):
    with transaction.atomic():
        with time_machine.travel(built.astimezone(UTC), tick=False):
            # Two wijken of one gemeente and one of another: a resident who moves between
            # gemeenten counts in each gemeente's own statement, and the months must agree.
            gemeenten = [factories.GemeenteFactory(code=f"GM900{i}") for i in range(2)]
            wijken = [factories.WijkFactory(gemeente=gemeenten[i // 2]) for i in range(3)]
            buurten = [factories.BuurtFactory(wijk=wijken[i % 3]) for i in range(BUURTEN)]
            start = timezone.localdate() - timedelta(days=300)
            users = []
            for plan in residents:
                user = factories.UserFactory(leeftijdsgroep=plan["band"])
                _memberships(user, start, buurten, plan)
                users.append(user)
            _activities(start, buurten, users, activities)
            deelname_maanden_bijwerken()
            assert not DeelnameGewijzigd.objects.exists()

        moment = datetime.combine(
            built.date() + timedelta(days=later), datetime.min.time(), tzinfo=AMS
        ) + timedelta(hours=hour, minutes=15)
        with time_machine.travel(moment.astimezone(UTC), tick=False):
            acts = list(Activiteit.objects.filter(buurt__in=buurten).order_by("pk"))
            for kind, i, k in changes:
                _apply(kind, i, k, users, acts)
            today = timezone.localdate()
            periods = _periods(today, offset, length)
            # The default period holds whole months that were built: the test is not vacuous.
            assert held_months(*periods[0], timezone.now()) is not None
            for gemeente in gemeenten:
                _same(gemeente, periods)
            if again:
                deelname_maanden_bijwerken()
                assert not DeelnameGewijzigd.objects.exists()
                for gemeente in gemeenten:
                    _same(gemeente, periods)
        transaction.set_rollback(True)


# --- Each write path marks whom it changes -------------------------------------------------
MONTH_AGO = datetime(2026, 11, 10, 19, 0, tzinfo=AMS)
NOW = datetime(2026, 12, 4, 15, 0, tzinfo=AMS)


@pytest.fixture
def clock():
    with time_machine.travel(NOW.astimezone(UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def town(clock):
    """A buurt with three members who took part in an activity last month (one in a role with
    hours, the organiser signed up too), and the month aggregates built: no marks left."""
    gemeente = factories.GemeenteFactory()
    buurt = factories.BuurtFactory(wijk=factories.WijkFactory(gemeente=gemeente))
    organiser, guest, helper = members(buurt, 3)
    act = past_activity(buurt, start=MONTH_AGO, organisator=organiser)
    signups = {
        "organiser": took_part(organiser, act),
        "guest": took_part(guest, act),
        "helper": took_part(helper, act, rol=True, uren=2),
    }
    deelname_maanden_bijwerken()
    assert DeelnameMaand.objects.filter(persoon=guest).exists()
    assert not DeelnameGewijzigd.objects.exists()
    return gemeente, buurt, act, signups


def _marked() -> set[int]:
    return set(DeelnameGewijzigd.objects.values_list("persoon_id", flat=True))


def _still_right(gemeente) -> None:
    """Without the maintenance: the marks alone keep the figures right."""
    _same(gemeente, [default_periode(), (date(2026, 11, 1), date(2026, 11, 30))])


def test_attendance_in_bulk_marks_everyone_it_changed(town):
    gemeente, _buurt, act, signups = town
    activiteiten_services.aanwezigheid_registreren(
        activiteit=act,
        by=act.organisator,
        extra_bezoekers=0,
        aanwezigheid=[
            activiteiten_services.Aanwezigheid(signups["guest"].pk, False),
            activiteiten_services.Aanwezigheid(signups["helper"].pk, True, Decimal("3.5")),
        ],
    )
    assert {signups["guest"].user_id, signups["helper"].user_id} <= _marked()
    _still_right(gemeente)


@pytest.mark.parametrize("field", ["start", "geannuleerd_at", "organisator"])
def test_moving_cancelling_or_handing_over_an_activity_marks_its_people(town, field):
    gemeente, buurt, act, signups = town
    old_organiser = act.organisator_id
    if field == "start":
        act.start = MONTH_AGO - timedelta(days=40)
    elif field == "geannuleerd_at":
        act.geannuleerd_at = timezone.now()
    else:
        act.organisator = members(buurt, 1)[0]
    act.save()
    assert {old_organiser, act.organisator_id, *(s.user_id for s in signups.values())} <= (
        _marked()
    )
    _still_right(gemeente)


def test_an_activity_saved_without_a_change_that_counts_marks_no_one(town):
    _gemeente, _buurt, act, _signups = town
    act.verslag = "Mooie ronde."
    act.save()
    assert _marked() == set()


def test_a_deleted_activity_marks_its_organiser_and_participants(town):
    gemeente, _buurt, act, signups = town
    organiser = act.organisator_id
    act.delete()
    assert {organiser, *(s.user_id for s in signups.values())} <= _marked()
    _still_right(gemeente)


def _deletion_queries(buurt, count: int) -> tuple[int, set[int], set[int]]:
    """Delete an activity with ``count`` participants: the queries it took, who took part
    and who is marked after."""
    act = past_activity(buurt, start=MONTH_AGO)
    people = {took_part(user, act).user_id for user in members(buurt, count)}
    DeelnameGewijzigd.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        act.delete()
    return len(queries), people | {act.organisator_id}, _marked()


def test_deleting_an_activity_marks_everyone_at_once_whatever_its_size(town):
    gemeente, buurt, _act, _signups = town
    few, few_people, few_marked = _deletion_queries(buurt, 2)
    many, many_people, many_marked = _deletion_queries(buurt, 12)
    assert few_marked == few_people
    assert many_marked == many_people
    assert many == few  # not one mark per sign-up
    _still_right(gemeente)


def test_a_deleted_account_is_marked_once_whatever_it_took_part_in(town):
    gemeente, buurt, _act, _signups = town
    queries = {}
    for count in (1, 6):
        user = members(buurt, 1)[0]
        for _ in range(count):
            took_part(user, past_activity(buurt, start=MONTH_AGO))
        DeelnameGewijzigd.objects.all().delete()
        user_id = user.pk
        with CaptureQueriesContext(connection) as captured:
            user.delete()
        queries[count] = len(captured)
        assert _marked() == {user_id}
    assert queries[6] == queries[1]  # not one mark per sign-up
    _still_right(gemeente)


def test_a_save_of_other_fields_reads_nothing_and_marks_no_one(town, django_assert_num_queries):
    _gemeente, _buurt, act, signups = town
    act.verslag = "Mooie ronde."
    with django_assert_num_queries(1):  # the UPDATE alone: no read of the old activity
        act.save(update_fields=["verslag"])
    assert _marked() == set()
    act.start = MONTH_AGO - timedelta(days=40)
    act.save(update_fields=["start", "einde"])
    assert {s.user_id for s in signups.values()} <= _marked()


def test_an_undone_admission_marks_the_resident_and_changes_the_past(town, clock):
    """Undoing an admission by vouching makes that membership never count, also in months the
    aggregates already hold."""
    gemeente, buurt, _act, _signups = town
    coordinator = factories.professional("coordinator", buurt.wijk)
    vouchers = members(buurt, 2)
    newcomer = factories.UserFactory()
    clock.move_to((MONTH_AGO - timedelta(days=5)).astimezone(UTC))
    aanvraag = buurten_services.aanvraag_create(user=newcomer, buurt=buurt)
    for borg in vouchers:
        aanvraag = buurten_services.lidmaatschap_vouch(lidmaatschap=aanvraag, borg=borg)
    took_part(newcomer, past_activity(buurt, start=MONTH_AGO))
    clock.move_to(NOW.astimezone(UTC))
    deelname_maanden_bijwerken()
    assert DeelnameMaand.objects.filter(persoon=newcomer).exists()

    clock.move_to((NOW + timedelta(days=1)).astimezone(UTC))
    buurten_services.lidmaatschap_undo_vouched(
        lidmaatschap=aanvraag, by=coordinator, reden="Woont niet in de buurt."
    )
    assert newcomer.pk in _marked()
    november = (date(2026, 11, 1), date(2026, 11, 30))
    sums, _top, _levels = activity_sums(gemeente, *november)
    assert sums[buurt.pk]["deelnemers"] == 3  # the town's three members: not the newcomer
    _still_right(gemeente)
    deelname_maanden_bijwerken()  # rebuilt: the newcomer's month is gone, the mark too
    assert not DeelnameMaand.objects.filter(persoon=newcomer).exists()
    assert _marked() == set()
    _still_right(gemeente)


def test_leaving_and_cancelling_a_signup_mark_the_resident(town):
    gemeente, _buurt, _act, signups = town
    guest = signups["guest"].user
    buurten_services.lidmaatschap_end(
        lidmaatschap=guest.lidmaatschappen.get(status=Lidmaatschap.Status.LID), user=guest
    )
    upcoming = factories.activiteit(organisator=signups["organiser"].user)
    helper = signups["helper"].user
    aanmelding = activiteiten_services.aanmelden(user=helper, activiteit=upcoming)
    DeelnameGewijzigd.objects.all().delete()
    activiteiten_services.afmelden(aanmelding=aanmelding, user=helper)
    assert helper.pk in _marked()
    _still_right(gemeente)


def test_a_deleted_account_takes_its_months_with_it(town):
    gemeente, _buurt, _act, signups = town
    guest = signups["guest"].user
    guest.delete()
    assert not DeelnameMaand.objects.filter(persoon_id=guest.pk).exists()
    _still_right(gemeente)


def test_the_first_run_builds_every_past_month_and_the_next_only_the_new_one(town, clock):
    gemeente, _buurt, _act, _signups = town
    stand = DeelnameMaandStand.objects.get()
    assert stand.tot == 2026 * 12 + 11  # December 2026: November is the last month held
    # Nothing changed: no month to build, no resident to read again for the live period.
    assert deelname_maanden_bijwerken() == {
        "gemarkeerd": 0,
        "herbouwd": 0,
        "nieuw": 0,
        "periode": 0,
    }
    clock.move_to(datetime(2027, 1, 1, 0, 5, tzinfo=AMS).astimezone(UTC))
    deelname_maanden_bijwerken()
    assert DeelnameMaandStand.objects.get().tot == 2027 * 12
    _still_right(gemeente)


def test_the_computation_gives_the_same_snapshots_with_and_without_the_aggregates(town):
    gemeente, _buurt, _act, _signups = town
    start, eind = default_periode()

    def waarden():
        compute_snapshots(gemeente=gemeente, periode_start=start, periode_eind=eind)
        return {
            (s.niveau, s.buurt_id, s.wijk_id): s.waarden
            for s in Snapshot.objects.filter(gemeente=gemeente, periode_start=start)
        }

    kept = waarden()
    # As before the first run: no month is held, no count of the live period kept.
    DeelnameMaandStand.objects.all().delete()
    DeelnamePeriodeStand.objects.all().delete()
    assert kept == waarden()


def test_memberships_in_two_gemeenten_that_overlap_count_in_each_as_its_own_statement(clock):
    """Memberships older than the history stand in with their own dates, which can overlap
    (the new buurt's in another gemeente began before the old one ended). Each gemeente's
    statement reads only its own memberships; the months, built for every gemeente at once,
    must agree with each."""
    here, there = (
        factories.BuurtFactory(
            wijk=factories.WijkFactory(gemeente=factories.GemeenteFactory(code=c))
        )
        for c in ("GM9001", "GM9002")
    )
    resident = factories.UserFactory()
    for buurt, status, began, ended in (
        (here, "beeindigd", MONTH_AGO - timedelta(days=60), MONTH_AGO + timedelta(days=5)),
        (there, "lid", MONTH_AGO - timedelta(days=20), None),
    ):
        Lidmaatschap.objects.create(
            user=resident,
            buurt=buurt,
            status=status,
            decided_at=ended or began,
            welcome_sent_at=began,
        )
    took_part(resident, past_activity(there, start=MONTH_AGO))
    deelname_maanden_bijwerken()
    for gemeente in (here.wijk.gemeente, there.wijk.gemeente):
        sums, _top, _levels = activity_sums(gemeente, date(2026, 11, 1), date(2026, 11, 30))
        assert sum(c["deelnemers"] for c in sums.values()) == 1
    _same(here.wijk.gemeente, [(date(2026, 11, 1), date(2026, 11, 30))])
    _same(there.wijk.gemeente, [(date(2026, 11, 1), date(2026, 11, 30))])


def test_the_command_builds_them_again_from_scratch(town):
    gemeente, _buurt, _act, signups = town
    guest = signups["guest"].user_id
    # A change the marks cannot see (SQL, QuerySet.update): only building again repairs it.
    Aanmelding.objects.filter(user_id=guest).update(aanwezig=False)
    DeelnameGewijzigd.objects.all().delete()
    call_command("deelname_maanden", "--opnieuw", stdout=StringIO())
    assert not DeelnameMaand.objects.filter(persoon_id=guest).exists()
    _still_right(gemeente)


# --- The kept counts of the live period ------------------------------------------------------
def test_the_live_period_is_taken_from_the_kept_counts_while_the_windows_are_close(town, clock):
    """Right after the maintenance, and the next days, the live period comes from the kept
    counts, corrected for the residents with an activity in between (here one that began after
    the maintenance, for which no one was marked); three weeks on, from the statement. The
    figures equal the full recomputation either way."""
    gemeente, buurt, _act, signups = town
    tomorrow = past_activity(buurt, start=NOW + timedelta(days=1))
    took_part(signups["guest"].user, tomorrow)
    took_part(members(buurt, 1)[0], tomorrow, rol=True, uren=3)
    deelname_maanden_bijwerken()
    assert participation._kept_counts(gemeente, *bounds(*default_periode())) is not None
    _same(gemeente, [default_periode()])
    clock.move_to((NOW + timedelta(days=2)).astimezone(UTC))
    assert not _marked()
    later = default_periode()
    assert participation._kept_counts(gemeente, *bounds(*later)) is not None
    sums, _top, _levels = activity_sums(gemeente, *later)
    assert sums[buurt.pk]["deelnemers"] == 4  # the new volunteer counts now
    _same(gemeente, [later])
    clock.move_to((NOW + timedelta(days=21)).astimezone(UTC))
    assert participation._kept_counts(gemeente, *bounds(*default_periode())) is None
    _same(gemeente, [default_periode()])


def test_a_changed_age_band_marks_the_resident_and_moves_them_to_the_new_band(town):
    gemeente, buurt, _act, signups = town
    guest = signups["guest"].user
    before, _top, _levels = activity_sums(gemeente, *default_periode())
    guest.leeftijdsgroep = "65_plus" if guest.leeftijdsgroep != "65_plus" else "15_25"
    guest.save()
    assert _marked() == {guest.pk}
    after, _top, _levels = activity_sums(gemeente, *default_periode())
    assert after[buurt.pk][f"l_{guest.leeftijdsgroep}"] == (
        before[buurt.pk][f"l_{guest.leeftijdsgroep}"] + 1
    )
    _still_right(gemeente)
    deelname_maanden_bijwerken()
    _still_right(gemeente)


def test_a_login_does_not_read_or_mark_for_the_age_band(town, django_assert_num_queries):
    _gemeente, _buurt, _act, signups = town
    guest = signups["guest"].user
    with django_assert_num_queries(1):
        guest.save(update_fields=["last_login"])
    assert not _marked()


def test_a_buurt_moved_to_another_wijk_is_counted_in_its_new_wijk(town):
    gemeente, buurt, _act, _signups = town
    old_wijk = buurt.wijk
    buurt.wijk = factories.WijkFactory(gemeente=gemeente)
    buurt.save()
    _sums, _top, levels = activity_sums(gemeente, *default_periode())
    assert (WIJK, buurt.wijk_id) in levels
    assert (WIJK, old_wijk.pk) not in levels
    _still_right(gemeente)
    deelname_maanden_bijwerken()
    _still_right(gemeente)
