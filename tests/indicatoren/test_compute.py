"""Indicators computed in the database, per buurt, wijk and gemeente, against hand-computed
figures; suppression boundaries; a query count that does not grow with the number of buurten."""

import math
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicatoren.compute import compute_snapshots, sql
from indicatoren.formulas import Z95
from indicatoren.models import IndicatorInstelling, Peiling
from indicatoren.services import default_periode
from indicatoren.survey import WEET_NIET_CODE
from meldingen.models import Melding, StatusWijziging
from tests import factories
from verzoeken.models import Verzoek

from .conftest import (
    EXAMPLE,
    at,
    closed_round,
    members,
    past_activity,
    responses,
    took_part,
)

pytestmark = pytest.mark.django_db

SHOWN = {"onderdrukt": False}


def _gemeente(code="GM0001"):
    return factories.GemeenteFactory(code=code, naam=f"Gemeente {code}")


def _buurt(gemeente, **kwargs):
    return factories.BuurtFactory(wijk=factories.WijkFactory(gemeente=gemeente), **kwargs)


def _counting_everything(gemeente):
    """Rules tests look at one rule at a time: no suppression of small counts."""
    IndicatorInstelling.objects.create(gemeente=gemeente, min_n_telling=1, min_n_enquete=1)


# --- Survey --------------------------------------------------------------------------------------
def test_worked_examples_in_the_database(compute):
    gemeente = _gemeente()
    buurt = _buurt(gemeente)
    responses(closed_round(buurt.wijk), buurt, EXAMPLE, count=30)

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["sociale_cohesie"] == {
        "waarde": 7.5,
        "n": 30,
        "ci": [7.5, 7.5],
        "onderdrukt": False,
        "drempel": 30,
    }
    assert figures["ce_isc"]["waarde"] == 18
    assert figures["ce_sct"]["waarde"] == 17
    assert figures["ce_totaal"]["waarde"] == 35
    # (35 - 10) / 4 = 6.25, published as shown: one decimal, rounded half up, once.
    assert figures["ce_0_10"]["waarde"] == 6.3
    assert figures["bereidheid"]["waarde"] == 100.0  # everyone answered "mee eens" (4)
    assert figures["aanspreken"]["waarde"] == 0.0  # everyone answered "mee oneens" (2)
    # Wilson: 30 of 30 agree, yet the interval admits less than 100%.
    assert figures["bereidheid"]["ci"][0] == pytest.approx(88.6, abs=0.1)
    assert figures["bereidheid"]["ci"][1] == 100.0


def test_missing_answers_and_reversed_items_by_hand(compute):
    gemeente = _gemeente()
    buurt = _buurt(gemeente)
    peiling = closed_round(buurt.wijk)
    responses(peiling, buurt, EXAMPLE, count=15)
    # "Weet niet" on the reversed first statement: k = 4, 16 x 10 / 16 = 10.
    # ISC with "weet niet" (midpoint 3): 4+3+3+5+2 = 17; SCT with "weet niet" on the reversed
    # sct4: 4+3+4+3+(6-2) = 18. Bereidheid 3: not agreeing.
    other = {
        **EXAMPLE,
        "sc1": WEET_NIET_CODE,
        "sc2": 4,
        "sc3": 4,
        "sc4": 4,
        "sc5": 4,
        "isc2": WEET_NIET_CODE,
        "sct4": WEET_NIET_CODE,
        "bereidheid": 3,
    }
    responses(peiling, buurt, other, count=15)
    # Only 3 CBS items answered and 2 ISC items skipped: no cohesion score, no ISC and so no
    # total; its valid SCT alone would be a group of one beside the total, so the subscales
    # stay on the total's base (weging.ce_base); bereidheid "weet niet".
    partial = {
        **EXAMPLE,
        "sc1": None,
        "sc2": WEET_NIET_CODE,
        "isc1": None,
        "isc2": None,
        "bereidheid": WEET_NIET_CODE,
    }
    responses(peiling, buurt, partial)

    figures = compute(gemeente)[("buurt", buurt.pk)]

    cohesie = figures["sociale_cohesie"]
    assert (cohesie["n"], cohesie["waarde"]) == (30, 8.8)  # 8.75, shown with one decimal
    half = Z95 * math.sqrt(30 * 1.25**2 / 29 / 30)  # sample sd of fifteen 7.5s and fifteen 10s
    assert cohesie["ci"] == [round(8.75 - half, 1), round(8.75 + half, 1)]
    assert (figures["ce_isc"]["n"], figures["ce_isc"]["waarde"]) == (30, 17.5)
    assert (figures["ce_sct"]["n"], figures["ce_sct"]["waarde"]) == (30, 17.5)
    assert (figures["ce_totaal"]["n"], figures["ce_totaal"]["waarde"]) == (30, 35)
    assert (figures["bereidheid"]["n"], figures["bereidheid"]["waarde"]) == (30, 50.0)


@pytest.mark.parametrize(("count", "shown"), [(29, False), (30, True), (31, True)])
def test_survey_figures_need_thirty_answers(compute, count, shown):
    gemeente = _gemeente()
    buurt = _buurt(gemeente)
    responses(closed_round(buurt.wijk), buurt, EXAMPLE, count=count)

    figure = compute(gemeente)[("buurt", buurt.pk)]["sociale_cohesie"]

    if shown:
        assert figure["waarde"] == 7.5 and figure["n"] == count
    else:
        assert figure == {
            "waarde": None,
            "n": None,
            "ci": None,
            "onderdrukt": True,
            "drempel": 30,
            "reden": "klein",
        }


def test_the_minimum_is_configurable_per_gemeente(compute):
    gemeente = _gemeente()
    IndicatorInstelling.objects.create(gemeente=gemeente, min_n_enquete=50)
    buurt = _buurt(gemeente)
    responses(closed_round(buurt.wijk), buurt, EXAMPLE, count=40)

    figure = compute(gemeente)[("buurt", buurt.pk)]["sociale_cohesie"]

    assert figure["onderdrukt"] and figure["drempel"] == 50


def test_only_the_latest_closed_round_in_the_period_counts(compute):
    gemeente = _gemeente()
    buurt = _buurt(gemeente)
    older = closed_round(buurt.wijk, days_ago=200)
    responses(older, buurt, {**EXAMPLE, "bereidheid": 1}, count=30)
    responses(closed_round(buurt.wijk, days_ago=20), buurt, EXAMPLE, count=30)
    too_old = closed_round(buurt.wijk, days_ago=500)
    responses(too_old, buurt, {**EXAMPLE, "sc2": 0}, count=30)
    # An open round shows nothing until it is closed.
    still_open = Peiling.objects.create(
        wijk=buurt.wijk,
        titel="Loopt nog",
        opened_by=older.opened_by,
        geopend_at=timezone.now(),
    )
    responses(still_open, buurt, {**EXAMPLE, "aanspreken": 5}, count=30)

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["bereidheid"]["waarde"] == 100.0
    assert figures["aanspreken"]["waarde"] == 0.0
    assert figures["sociale_cohesie"]["n"] == 30


def test_a_round_closed_without_answers_does_not_blank_the_figures(compute):
    """A coordinator opens a round by mistake and closes it at once: the wijk keeps the
    figures of its last round with answers instead of "te weinig antwoorden" everywhere."""
    gemeente = _gemeente()
    buurt = _buurt(gemeente)
    responses(closed_round(buurt.wijk, days_ago=60), buurt, EXAMPLE, count=30)
    closed_round(buurt.wijk, days_ago=0, titel="Per ongeluk geopend")

    figure = compute(gemeente)[("buurt", buurt.pk)]["sociale_cohesie"]

    assert figure["onderdrukt"] is False
    assert figure["waarde"] == 7.5 and figure["n"] == 30


# --- Activities ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("count", "shown"), [(9, False), (10, True), (11, True)])
def test_participation_counts_below_ten_are_suppressed(compute, count, shown):
    gemeente = _gemeente()
    buurt = _buurt(gemeente)  # P15 = 1,200 - 200 = 1,000
    activiteit = past_activity(buurt)
    for user in members(buurt, count):
        took_part(user, activiteit)

    figure = compute(gemeente)[("buurt", buurt.pk)]["bereik"]

    if shown:
        assert figure == {
            "waarde": round(count * 100 / 1000, 1),
            "n": count,
            "ci": None,
            "onderdrukt": False,
            "drempel": 10,
        }
    else:
        assert figure == {
            "waarde": None,
            "n": None,
            "ci": None,
            "onderdrukt": True,
            "drempel": 10,
            "reden": "klein",
        }


def test_actieve_kern_herhaling_hours_and_representativiteit_by_hand(compute):
    gemeente = _gemeente()
    _counting_everything(gemeente)
    buurt = _buurt(gemeente)
    first = timezone.localtime().replace(day=1)
    last_month = at(first - timedelta(days=20))
    two_months_ago = at(first - timedelta(days=50))
    same_month = [last_month.replace(day=d) for d in (2, 3, 4)]

    a, b, c, d, e, f, g, h, i, j = members(buurt, 10)
    for person, band in zip(
        (a, b, c, d, e), ("15_25", "25_45", "25_45", "45_65", "65_plus"), strict=True
    ):
        person.leeftijdsgroep = band
        person.save(update_fields=["leeftijdsgroep"])
    # a organises; b volunteers in a role for 3 hours; c takes part 3 times in 2 months.
    past_activity(buurt, organisator=a)
    took_part(b, past_activity(buurt), rol=True, uren=3)
    for start in (same_month[0], same_month[1], two_months_ago):
        took_part(c, past_activity(buurt, start=start), aanwezig=True)
    # d: 3 times in one month; e: twice in 2 months; f: once. Not the active core.
    for start in same_month:
        took_part(d, past_activity(buurt, start=start))
    took_part(e, past_activity(buurt, start=same_month[0]))
    took_part(e, past_activity(buurt, start=two_months_ago))
    took_part(f, past_activity(buurt))
    # Not taking part: absent, cancelled, more than a year ago, still to come.
    took_part(g, past_activity(buurt), aanwezig=False)
    took_part(h, past_activity(buurt, cancelled=True))
    took_part(i, past_activity(buurt, days_ago=400))
    took_part(j, past_activity(buurt, days_ago=-3))

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert (figures["bereik"]["n"], figures["bereik"]["waarde"]) == (6, 0.6)  # 6 / 1,000
    assert (figures["actieve_kern"]["n"], figures["actieve_kern"]["waarde"]) == (3, 0.3)
    assert (figures["herhaling"]["n"], figures["herhaling"]["waarde"]) == (6, 50.0)  # c, d, e
    assert figures["vrijwilligersuren"]["waarde"] == 0.3  # 3 hours per 1,000 -> per 100
    assert figures["uren_top10_aandeel"]["waarde"] == 100.0
    # Participants with a band: 1, 2, 1, 1 of 5 (.2 .4 .2 .2) against the CBS buurt
    # 150, 400, 300, 150 of 1,000 (.15 .4 .3 .15): D = (.05 + 0 + .1 + .05) / 2.
    assert figures["representativiteit"]["waarde"] == 0.1
    assert figures["representativiteit"]["n"] == 5
    # 20% of 1,000 is 200 neighbours; 3 are active.
    assert figures["streefwaarde_aantal"]["waarde"] == 200
    assert figures["actieve_kern_nodig"]["waarde"] == 197


def test_target_is_configurable(compute):
    gemeente = _gemeente()
    IndicatorInstelling.objects.create(
        gemeente=gemeente, streefwaarde_actieve_kern=25, min_n_telling=1
    )
    buurt = _buurt(gemeente)
    past_activity(buurt, organisator=members(buurt, 1)[0])

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["streefwaarde"]["waarde"] == 25
    assert figures["actieve_kern_nodig"]["waarde"] == 249


def test_residents_count_in_their_own_buurt_and_roll_up(compute):
    gemeente = _gemeente()
    buurt = _buurt(gemeente)
    neighbour = factories.BuurtFactory(wijk=buurt.wijk)
    activiteit = past_activity(buurt)
    for user in members(buurt, 10) + members(neighbour, 12):
        took_part(user, activiteit)  # neighbours from next door join this buurt's activity

    figures = compute(gemeente)

    assert figures[("buurt", buurt.pk)]["bereik"]["n"] == 10
    assert figures[("buurt", neighbour.pk)]["bereik"]["n"] == 12
    assert figures[("wijk", buurt.wijk_id)]["bereik"] == {
        "waarde": 1.1,  # 22 of 2,000
        "n": 22,
        "ci": None,
        "onderdrukt": False,
        "drempel": 10,
    }
    assert figures[("gemeente", gemeente.pk)]["bereik"]["n"] == 22


def test_top10_share_needs_a_top_group_of_at_least_the_minimum(compute):
    gemeente = _gemeente()
    buurt = _buurt(gemeente)
    activiteit = past_activity(buurt)
    # 100 volunteers: the top 10 gave 10 hours each, the other 90 one hour.
    for k, user in enumerate(members(buurt, 100)):
        took_part(user, activiteit, rol=True, uren=10 if k < 10 else 1)

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["uren_top10_aandeel"]["waarde"] == round(100 * 100 / 190, 1)
    assert figures["vrijwilligersuren"]["waarde"] == 19.0  # 190 hours per 1,000 -> per 100


def test_top10_share_of_fewer_than_91_volunteers_is_suppressed(compute):
    gemeente = _gemeente()
    buurt = _buurt(gemeente)
    activiteit = past_activity(buurt)
    for user in members(buurt, 90):
        took_part(user, activiteit, rol=True, uren=2)

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["uren_top10_aandeel"]["onderdrukt"]
    assert figures["vrijwilligersuren"]["waarde"] == 18.0


def test_top10_share_by_hand(compute):
    gemeente = _gemeente()
    _counting_everything(gemeente)
    twenty, eleven, none = _buurt(gemeente), _buurt(gemeente), _buurt(gemeente)
    for buurt, hours in ((twenty, [10, 10] + [1] * 18), (eleven, [5, 4] + [1] * 9)):
        activiteit = past_activity(buurt)
        for user, uren in zip(members(buurt, len(hours)), hours, strict=True):
            took_part(user, activiteit, rol=True, uren=uren)
    took_part(members(none, 1)[0], past_activity(none))  # took part, gave no hours

    figures = compute(gemeente)

    # 20 volunteers: the top 10% are 2 people with 10 hours each, of 38 hours in all.
    assert figures[("buurt", twenty.pk)]["uren_top10_aandeel"]["waarde"] == round(100 * 20 / 38, 1)
    # 11 volunteers: the top 10% rounds up to 2 people.
    assert figures[("buurt", eleven.pk)]["uren_top10_aandeel"]["waarde"] == round(100 * 9 / 18, 1)
    assert figures[("buurt", none.pk)]["uren_top10_aandeel"]["waarde"] is None


# --- Meldingen and verzoeken ---------------------------------------------------------------------
def _melding(buurt, doel, *, days_ago=30, feedback_after_hours=None, categorie=None):
    created = timezone.now() - timedelta(days=days_ago)
    melding = Melding.objects.create(
        buurt=buurt,
        categorie=categorie or factories.CategorieFactory(),
        wat="Iets",
        waar="Hier",
        wanneer=created,
        doel=doel,
    )
    Melding.objects.filter(pk=melding.pk).update(created_at=created)
    StatusWijziging.objects.create(melding=melding, naar="ontvangen")  # no message: no feedback
    if feedback_after_hours is not None:
        for extra in (0, 5):  # only the first message counts
            wijziging = StatusWijziging.objects.create(
                melding=melding, naar="in_behandeling", terugkoppeling="We kijken ernaar."
            )
            StatusWijziging.objects.filter(pk=wijziging.pk).update(
                created_at=created + timedelta(hours=feedback_after_hours + extra)
            )
    return melding


def test_meldingen_per_1000_by_target_and_time_to_feedback(compute):
    gemeente = _gemeente()
    _counting_everything(gemeente)
    buurt = _buurt(gemeente)  # 1,200 inwoners
    _melding(buurt, "politie", feedback_after_hours=2)
    _melding(buurt, "politie", feedback_after_hours=10)
    _melding(buurt, "handhaving", feedback_after_hours=4)
    _melding(buurt, "gemeente")
    _melding(buurt, "politie", days_ago=400, feedback_after_hours=1)  # outside the period

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["meldingen_per_1000"]["waarde"] == round(4 * 1000 / 1200, 1)
    assert figures["meldingen_politie"]["waarde"] == round(2 * 1000 / 1200, 1)
    assert figures["meldingen_handhaving"]["waarde"] == round(1000 / 1200, 1)
    assert figures["meldingen_gemeente"]["waarde"] == round(1000 / 1200, 1)
    assert figures["meldingen_buurt"]["onderdrukt"]  # none: 0 is below even a minimum of 1
    assert figures["feedback_mediaan_uren"]["waarde"] == 4.0
    assert figures["feedback_mediaan_uren"]["n"] == 3
    assert figures["feedback_aandeel"]["waarde"] == 75.0


def test_intimidation_cases_are_in_no_meldingen_figure(compute):
    """Only the coordinator and the police may know that an intimidation case exists: the
    figures count what Open311's public list shows, so their difference tells nobody."""
    gemeente = _gemeente()
    _counting_everything(gemeente)
    buurt = _buurt(gemeente)  # 1,200 inwoners
    bedreigd = factories.CategorieFactory(naam="Ik word bedreigd", is_intimidatie=True)
    _melding(buurt, "politie", feedback_after_hours=2)
    _melding(buurt, "politie", feedback_after_hours=4)
    _melding(buurt, "politie", categorie=bedreigd, feedback_after_hours=30)

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["meldingen_per_1000"]["waarde"] == round(2 * 1000 / 1200, 1)
    assert figures["meldingen_politie"]["n"] == 2
    assert (figures["feedback_mediaan_uren"]["waarde"], figures["feedback_mediaan_uren"]["n"]) == (
        3.0,
        2,
    )
    assert figures["feedback_aandeel"]["waarde"] == 100.0


def test_median_time_to_feedback_by_hand(compute):
    gemeente = _gemeente()
    _counting_everything(gemeente)
    odd, even, none = _buurt(gemeente), _buurt(gemeente), _buurt(gemeente)
    for hours in (3, 1, 2):
        _melding(odd, "politie", feedback_after_hours=hours)
    for hours in (4, 1, 2, 3):
        _melding(even, "politie", feedback_after_hours=hours)
    _melding(none, "politie")

    figures = compute(gemeente)

    assert figures[("buurt", odd.pk)]["feedback_mediaan_uren"]["waarde"] == 2
    assert figures[("buurt", even.pk)]["feedback_mediaan_uren"]["waarde"] == 2.5
    assert figures[("buurt", none.pk)]["feedback_mediaan_uren"]["waarde"] is None


def test_medians_over_grouping_sets_equal_the_windows_exactly(db):
    """Postgres takes each level's median from two ordered-set aggregates (issue 15: half the
    time of six window passes at ten times the demo data); the window query SQLite uses must
    give exactly the same medians and counts: odd and even groups, ties, single values, hours
    with many decimals as the periods' differences give them."""
    if connection.vendor != "postgresql":
        pytest.skip("the ordered-set aggregates are Postgres's")
    draw = random.Random(15)
    for _ in range(30):
        rows = []
        for wijk in range(1, draw.randint(2, 5)):
            for buurt in range(wijk * 10, wijk * 10 + draw.randint(1, 4)):
                for _ in range(draw.choice([1, 2, 3, draw.randint(4, 40)])):
                    seconds = draw.choice([3600, 5400, draw.randint(1, 10**6)])
                    rows.append((buurt, wijk, Decimal(seconds) / Decimal(3600)))
        values = ", ".join("(%s::bigint, %s::bigint, %s::numeric)" for _ in rows)
        values_sql = f"SELECT * FROM (VALUES {values}) AS v(buurt_id, wijk_id, x)"  # noqa: S608
        params = [value for row in rows for value in row]

        found = sql.medians(values_sql, params)
        by_windows = {
            (tag, key): (float(median), count)
            for tag, key, median, count in sql.fetch(sql._medians_windows(values_sql), params)
        }

        assert found == by_windows
        assert len(found) == len({row[0] for row in rows}) + len({row[1] for row in rows}) + 1


def _verzoek(buurt, status, *, ingediend_days_ago, decided_after=None, deadline_after=None):
    ingediend = timezone.now() - timedelta(days=ingediend_days_ago)
    return Verzoek.objects.create(
        buurt=buurt,
        aanvrager=factories.UserFactory(),
        soort="materialen",
        nodig_op=ingediend.date() + timedelta(days=30),
        toelichting="Hesjes",
        status=status,
        ingediend_at=ingediend,
        deadline=ingediend.date() + timedelta(days=deadline_after) if deadline_after else None,
        besloten_at=ingediend + timedelta(days=decided_after) if decided_after else None,
    )


def test_facilitation_decision_times_and_deadlines(compute):
    gemeente = _gemeente()
    _counting_everything(gemeente)
    buurt = _buurt(gemeente)
    _verzoek(buurt, "toegekend", ingediend_days_ago=40, decided_after=2, deadline_after=3)
    _verzoek(buurt, "afgewezen", ingediend_days_ago=40, decided_after=6, deadline_after=3)
    _verzoek(buurt, "uitgevoerd", ingediend_days_ago=40, decided_after=4, deadline_after=5)
    _verzoek(buurt, "ingediend", ingediend_days_ago=2, deadline_after=3)  # not yet due
    _verzoek(buurt, "ingediend", ingediend_days_ago=10, deadline_after=3)  # overdue: not in time
    _verzoek(buurt, "ingetrokken", ingediend_days_ago=10, deadline_after=3)  # withdrawn
    Verzoek.objects.create(  # a draft was never submitted
        buurt=buurt,
        aanvrager=factories.UserFactory(),
        soort="budget",
        nodig_op=timezone.localdate(),
        toelichting="Concept",
    )

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["verzoeken"]["waarde"] == 6  # every submitted one, not the draft
    assert isinstance(figures["verzoeken"]["waarde"], int)
    assert figures["verzoeken_toegekend_aandeel"]["waarde"] == round(200 / 3, 1)
    assert figures["verzoeken_besluit_mediaan_dagen"]["waarde"] == 4.0
    # In time: 2 of the 3 decided plus the overdue one.
    assert figures["verzoeken_binnen_termijn_aandeel"]["waarde"] == 50.0
    assert figures["verzoeken_binnen_termijn_aandeel"]["n"] == 4


# --- Queries -------------------------------------------------------------------------------------
def _busy_buurt(wijk):
    buurt = factories.BuurtFactory(wijk=wijk)
    responses(closed_round(wijk), buurt, EXAMPLE, count=3)
    activiteit = past_activity(buurt)
    for user in members(buurt, 2):
        took_part(user, activiteit, rol=True, uren=2)
    _melding(buurt, "politie", feedback_after_hours=3)
    _verzoek(buurt, "toegekend", ingediend_days_ago=10, decided_after=1, deadline_after=3)
    return buurt


def test_query_count_does_not_depend_on_the_number_of_buurten():
    gemeente = _gemeente()
    _busy_buurt(factories.WijkFactory(gemeente=gemeente))
    start, eind = default_periode()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            compute_snapshots(gemeente=gemeente, periode_start=start, periode_eind=eind)
        return len(captured)

    few = queries()
    for _ in range(3):
        wijk = factories.WijkFactory(gemeente=gemeente)
        for _ in range(4):
            _busy_buurt(wijk)
    many = queries()

    assert many == few
    # 13 before issue 12, plus the organisers' headcounts of neighbours without an account (the
    # activity statement gives buurten, wijken and the gemeente in one); on Postgres plus two
    # to raise and restore the working memory for the whole computation and two for the
    # activity statement's hash joins (issue 15), and one for which months the month
    # aggregates hold (``DeelnameMaandStand``, issue 15), and one for the window of the kept
    # counts of the live period (``DeelnamePeriodeStand``, issue 15).
    assert few == (20 if connection.vendor == "postgresql" else 16)
