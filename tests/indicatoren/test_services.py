"""Survey rounds, anonymous responses and computation requests through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from buurten.models import Lidmaatschap
from indicatoren import selectors, services
from indicatoren.models import Berekening, Peiling, Respons, ResponsMarker, Snapshot
from indicatoren.survey import ITEM_KEYS, WEET_NIET_CODE
from tests import factories

from .conftest import EXAMPLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def peiling(wijk, coordinator):
    return services.peiling_open(wijk=wijk, by=coordinator, titel="Voorjaar 2026")


# --- Rounds --------------------------------------------------------------------------------------
def test_the_coordinator_of_the_wijk_opens_and_closes_a_round(wijk, coordinator):
    peiling = services.peiling_open(wijk=wijk, by=coordinator, titel="  Voorjaar 2026 ")

    assert (peiling.titel, peiling.is_open, peiling.opened_by) == (
        "Voorjaar 2026",
        True,
        coordinator,
    )
    services.peiling_close(peiling=peiling, by=coordinator)
    peiling.refresh_from_db()
    assert not peiling.is_open


def test_one_open_round_per_wijk(wijk, coordinator, peiling):
    with pytest.raises(ValidationError, match="loopt al een peiling"):
        services.peiling_open(wijk=wijk, by=coordinator, titel="Nog een")
    services.peiling_close(peiling=peiling, by=coordinator)
    assert services.peiling_open(wijk=wijk, by=coordinator, titel="Najaar").is_open


def test_a_title_is_required(wijk, coordinator):
    with pytest.raises(ValidationError) as error:
        services.peiling_open(wijk=wijk, by=coordinator, titel="   ")
    assert "titel" in error.value.message_dict
    assert not Peiling.objects.exists()


def test_closing_twice_is_refused(coordinator, peiling):
    services.peiling_close(peiling=peiling, by=coordinator)
    with pytest.raises(ValidationError, match="al gesloten"):
        services.peiling_close(peiling=peiling, by=coordinator)


def test_others_cannot_open_or_close_rounds(wijk, police, member, peiling):
    other_coordinator = factories.professional("coordinator", factories.WijkFactory())
    for user in (police, member, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.peiling_open(wijk=wijk, by=user, titel="X")
        with pytest.raises(PermissionDenied):
            services.peiling_close(peiling=peiling, by=user)
    assert Peiling.objects.get().is_open


def test_a_coordinator_of_one_loose_buurt_does_not_run_the_whole_wijk(buurt):
    team = factories.TeamFactory()
    team.buurten.add(buurt)
    coordinator = factories.UserFactory(role="coordinator", team=team)
    with pytest.raises(PermissionDenied):
        services.peiling_open(wijk=buurt.wijk, by=coordinator, titel="X")


# --- Responses -----------------------------------------------------------------------------------
def test_a_member_answers_once_and_the_answer_carries_no_link_to_them(peiling, member, buurt):
    assert selectors.open_peiling_for(member) == peiling
    assert not selectors.has_responded(member, peiling)

    services.respons_submit(peiling=peiling, user=member, antwoorden=EXAMPLE)

    respons = Respons.objects.get()
    assert (respons.buurt, respons.sc1, respons.sct4) == (buurt, 1, 4)
    assert selectors.has_responded(member, peiling)
    with pytest.raises(ValidationError, match="al ingevuld"):
        services.respons_submit(peiling=peiling, user=member, antwoorden=EXAMPLE)
    assert Respons.objects.count() == ResponsMarker.objects.count() == 1


def test_items_may_be_skipped_but_not_all_of_them(peiling, member):
    with pytest.raises(ValidationError, match="minstens één vraag"):
        services.respons_submit(peiling=peiling, user=member, antwoorden=dict.fromkeys(ITEM_KEYS))
    services.respons_submit(peiling=peiling, user=member, antwoorden={"bereidheid": 5})
    respons = Respons.objects.get()
    assert respons.bereidheid == 5
    assert all(getattr(respons, key) is None for key in ITEM_KEYS if key != "bereidheid")


def test_weet_niet_is_stored_apart_from_a_skipped_item(peiling, member):
    antwoorden = {**EXAMPLE, "sc1": WEET_NIET_CODE, "isc2": None}
    services.respons_submit(peiling=peiling, user=member, antwoorden=antwoorden)
    respons = Respons.objects.get()
    assert (respons.sc1, respons.isc2, respons.sc2) == (WEET_NIET_CODE, None, 3)


@pytest.mark.parametrize(
    ("antwoorden", "error_key"),
    [
        ({**EXAMPLE, "sc1": 5}, "sc1"),  # CBS scale is 0-4
        ({**EXAMPLE, "isc1": 0}, "isc1"),  # Sampson scale is 1-5
        ({**EXAMPLE, "bereidheid": "ja"}, "bereidheid"),
    ],
)
def test_answers_off_the_scale_are_refused_and_nothing_is_saved(
    peiling, member, antwoorden, error_key
):
    with pytest.raises(ValidationError) as error:
        services.respons_submit(peiling=peiling, user=member, antwoorden=antwoorden)
    assert list(error.value.message_dict) == [error_key]
    assert not Respons.objects.exists() and not ResponsMarker.objects.exists()
    assert not selectors.has_responded(member, peiling)


def test_unknown_questions_are_refused(peiling, member):
    with pytest.raises(ValidationError, match="Onbekende vraag"):
        services.respons_submit(peiling=peiling, user=member, antwoorden={"leeftijd": 40})


def test_only_verified_members_of_a_buurt_in_the_wijk_answer(peiling, buurt, resident, police):
    pending = factories.LidmaatschapFactory(
        buurt=buurt, status=Lidmaatschap.Status.AANGEVRAAGD
    ).user
    elsewhere = factories.LidmaatschapFactory().user
    for user in (resident, pending, elsewhere, police):
        with pytest.raises(PermissionDenied):
            services.respons_submit(peiling=peiling, user=user, antwoorden=EXAMPLE)
        assert selectors.open_peiling_for(user) is None
    assert not Respons.objects.exists()


def test_members_of_every_buurt_in_the_wijk_answer_for_their_own_buurt(peiling, wijk):
    next_door = factories.BuurtFactory(wijk=wijk)
    neighbour = factories.LidmaatschapFactory(buurt=next_door).user
    services.respons_submit(peiling=peiling, user=neighbour, antwoorden=EXAMPLE)
    assert Respons.objects.get().buurt == next_door


def test_a_closed_round_takes_no_answers(peiling, coordinator, member):
    services.peiling_close(peiling=peiling, by=coordinator)
    with pytest.raises(ValidationError, match="gesloten"):
        services.respons_submit(peiling=peiling, user=member, antwoorden=EXAMPLE)
    assert selectors.open_peiling_for(member) is None
    assert not ResponsMarker.objects.exists()


# --- Computations --------------------------------------------------------------------------------
def test_a_coordinator_requests_a_computation_and_it_runs(
    buurt, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        berekening = services.berekening_request(gemeente=buurt.wijk.gemeente, by=coordinator)

    berekening.refresh_from_db()  # the task ran in-process after commit
    assert (berekening.status, berekening.voortgang) == (Berekening.Status.KLAAR, 100)
    assert berekening.gevraagd_door == coordinator
    start, eind = services.default_periode()
    assert (berekening.periode_start, berekening.periode_eind) == (start, eind)
    assert Snapshot.objects.filter(buurt=buurt, periode_eind=eind).exists()


def test_a_waiting_request_is_not_started_twice(buurt, coordinator):
    gemeente = buurt.wijk.gemeente
    start, eind = services.default_periode()
    waiting = Berekening.objects.create(gemeente=gemeente, periode_start=start, periode_eind=eind)

    again = services.berekening_request(gemeente=gemeente, by=coordinator)

    assert again == waiting
    assert Berekening.objects.count() == 1


def test_only_coordinators_of_the_gemeente_request_computations(buurt, police, member):
    other = factories.professional(
        "coordinator",
        factories.WijkFactory(gemeente=factories.GemeenteFactory(code="GM0002")),
    )
    for user in (police, member, other):
        with pytest.raises(PermissionDenied):
            services.berekening_request(gemeente=buurt.wijk.gemeente, by=user)
    assert not Berekening.objects.exists()


def test_periods_must_make_sense(buurt, coordinator):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="toekomst"):
        services.berekening_request(
            gemeente=buurt.wijk.gemeente, by=coordinator, periode_eind=today + timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="begint na"):
        services.berekening_request(
            gemeente=buurt.wijk.gemeente,
            by=coordinator,
            periode_start=today,
            periode_eind=today - timedelta(days=1),
        )
    assert not Berekening.objects.exists()


def test_default_period_is_the_last_twelve_months():
    from datetime import date

    assert services.default_periode(date(2026, 6, 30)) == (date(2025, 7, 1), date(2026, 6, 30))
    assert services.default_periode(date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))
