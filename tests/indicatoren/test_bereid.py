"""Van bereid naar actief, the arithmetic: the change between two rounds with its interval (by
hand), the gap, and that nothing is ever computed from a suppressed figure."""

import math

import pytest

from indicatoren.bereid import BEREIDHEID, KERN, change, gap, in_people, signed, standard_error
from indicatoren.display import figure

from .views_support import cel, onderdrukt


def test_change_between_two_rounds_by_hand():
    # Now 40% with a stored interval 30.2 - 49.8 (half-width 9.8 = 1.96 x 5.0: se 5.0 points);
    # before 30% with 22.16 - 37.84 (half-width 7.84 = 1.96 x 4.0: se 4.0 points).
    now = figure(BEREIDHEID, cel(40.0, 100, [30.2, 49.8]))
    before = figure(BEREIDHEID, cel(30.0, 120, [22.16, 37.84]))
    assert standard_error(now) == pytest.approx(5.0, abs=1e-3)
    assert standard_error(before) == pytest.approx(4.0, abs=1e-3)
    result = change(now, before)
    # 10 +/- 1.96 x sqrt(5^2 + 4^2) = 10 +/- 1.96 x 6.403 = 10 +/- 12.55
    assert result.waarde == pytest.approx(10.0)
    assert result.laag == pytest.approx(10 - 1.96 * math.sqrt(41), abs=0.01)
    assert result.hoog == pytest.approx(10 + 1.96 * math.sqrt(41), abs=0.01)
    assert (result.tekst, result.interval_tekst) == ("+10,0", "-2,6 – +22,6")


def test_without_a_stored_interval_the_standard_error_comes_from_n():
    # p = 0.5, n = 100: se = 100 x sqrt(0.25 / 100) = 5 points.
    assert standard_error(figure(BEREIDHEID, cel(50.0, 100))) == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("now", "before"),
    [
        (onderdrukt(30), cel(30.0, 120, [22.16, 37.84])),
        (cel(40.0, 100, [30.2, 49.8]), onderdrukt(30)),
        (onderdrukt(30), onderdrukt(30)),
    ],
)
def test_no_change_from_a_suppressed_figure(now, before):
    assert change(figure(BEREIDHEID, now), figure(BEREIDHEID, before)) is None


def test_gap_in_points_and_in_people_rounded_to_tens():
    bereid = figure(BEREIDHEID, cel(40.0, 100, [30.2, 49.8]))
    kern = figure(KERN, cel(8.25, 40))
    kloof = gap(bereid, kern)
    assert kloof.waarde == pytest.approx(31.75)
    assert kloof.zonder_teken == "31,8"
    # The active core is a count of everyone: the interval is the survey's, shifted.
    assert (kloof.laag, kloof.hoog) == pytest.approx((30.2 - 8.25, 49.8 - 8.25))
    assert in_people(kloof, 1000) == 320  # 317.5 residents 15+, an estimate: tens
    assert in_people(kloof, None) is None


@pytest.mark.parametrize(
    ("bereid", "kern"),
    [
        (onderdrukt(30), cel(8.25, 40)),  # too few answers
        (cel(40.0, 100, [30.2, 49.8]), onderdrukt(10)),  # fewer than 10 in the active core
        ({"waarde": None, "n": 0, "ci": None, "onderdrukt": False, "drempel": 30}, cel(8.0, 40)),
        (None, cel(8.0, 40)),  # no survey in the period
    ],
)
def test_the_gap_is_never_computed_from_a_hidden_or_missing_figure(bereid, kern):
    kloof = gap(figure(BEREIDHEID, bereid), figure(KERN, kern))
    assert kloof is None
    assert in_people(kloof, 1000) is None


def test_signs_read_well():
    assert [signed(v) for v in (3.14, -2.0, 0.0, -0.04)] == ["+3,1", "-2,0", "0,0", "0,0"]
