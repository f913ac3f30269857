"""The formulas of DOMAIN.md ("Indicators") against its worked examples and hand-computed cases."""

import math

import pytest

from indicatoren import formulas
from indicatoren.survey import BY_KEY, ITEMS

SC_REVERSED = [BY_KEY[f"sc{i}"].omgekeerd for i in range(1, 6)]
ISC_REVERSED = [BY_KEY[f"isc{i}"].omgekeerd for i in range(1, 6)]
SCT_REVERSED = [BY_KEY[f"sct{i}"].omgekeerd for i in range(1, 6)]


def test_survey_has_the_instruments_of_domain_md():
    groups = [item.groep for item in ITEMS]
    assert groups.count("sc") == 5 and groups.count("isc") == 5 and groups.count("sct") == 5
    assert {"bereidheid", "aanspreken"} <= set(groups)
    # Reversed: CBS statement 1, and Sampson's "don't get along" and "don't share values".
    assert [item.key for item in ITEMS if item.omgekeerd] == ["sc1", "sct4", "sct5"]
    assert BY_KEY["sc1"].waarden == (0, 1, 2, 3, 4)
    assert BY_KEY["isc1"].waarden == BY_KEY["sct1"].waarden == (1, 2, 3, 4, 5)


def test_sociale_cohesie_worked_example():
    # DOMAIN.md: 3,3,2,4,3 (scored) -> 15 x 10 / 20 = 7.5. The first item is reversed, so the
    # resident answered 1 ("mee oneens") to "De mensen kennen elkaar nauwelijks".
    assert formulas.sociale_cohesie([1, 3, 2, 4, 3], SC_REVERSED) == 7.5


def test_sociale_cohesie_with_one_weet_niet_uses_the_answered_items():
    # k = 4: (3 + 2 + 4 + 3) x 10 / (4 x 4) = 120 / 16
    assert formulas.sociale_cohesie([None, 3, 2, 4, 3], SC_REVERSED) == 7.5
    assert formulas.sociale_cohesie([1, None, 2, 4, 3], SC_REVERSED) == pytest.approx(12 * 10 / 16)


def test_sociale_cohesie_needs_four_of_five_answers():
    assert formulas.sociale_cohesie([None, None, 2, 4, 3], SC_REVERSED) is None


def test_sociale_cohesie_extremes():
    assert formulas.sociale_cohesie([0, 4, 4, 4, 4], SC_REVERSED) == 10
    assert formulas.sociale_cohesie([4, 0, 0, 0, 0], SC_REVERSED) == 0


def test_collective_efficacy_worked_example():
    isc = formulas.ce_subscale([4, 4, 3, 5, 2], ISC_REVERSED)
    sct = formulas.ce_subscale([4, 3, 4, 4, 2], SCT_REVERSED)  # (4->2), (2->4)
    assert (isc, sct) == (18, 17)
    assert isc + sct == 35
    assert formulas.ce_0_10(isc + sct) == 6.25


def test_collective_efficacy_weet_niet_is_the_midpoint_and_one_may_be_missing():
    assert formulas.ce_subscale([4, None, 3, 5, 2], ISC_REVERSED) == 17
    # A reversed item left open also counts as 3 (6 - 3).
    assert formulas.ce_subscale([4, 3, 4, None, 2], SCT_REVERSED) == 4 + 3 + 4 + 3 + 4
    assert formulas.ce_subscale([4, None, None, 5, 2], ISC_REVERSED) is None


def test_collective_efficacy_range():
    assert formulas.ce_0_10(10) == 0 and formulas.ce_0_10(50) == 10
    assert formulas.ce_subscale([1, 1, 1, 5, 5], SCT_REVERSED) == 5


def test_agreeing_is_mee_eens_or_helemaal_mee_eens():
    assert [formulas.agrees(a) for a in (1, 2, 3, 4, 5, None)] == [
        False,
        False,
        False,
        True,
        True,
        None,
    ]


def test_mean_ci_by_hand():
    # 6, 7, 8: mean 7, sample variance 1, half width 1.96 x sqrt(1/3).
    mean, lo, hi = formulas.mean_ci(3, 21, 149)
    assert mean == 7
    assert hi - mean == pytest.approx(formulas.Z95 * math.sqrt(1 / 3))
    assert mean - lo == pytest.approx(hi - mean)
    assert formulas.mean_ci(0, 0, 0) is None


def test_wilson_interval_by_hand():
    p, lo, hi = formulas.wilson(15, 30)
    assert p == 0.5
    assert (round(lo, 3), round(hi, 3)) == (0.332, 0.668)
    # Near 0% the interval stays inside 0..1 (a plain p +/- 1.96 se would go below zero).
    p, lo, hi = formulas.wilson(0, 30)
    assert (p, lo) == (0, 0) and 0.1 < hi < 0.12


def test_dissimilarity():
    assert formulas.dissimilarity([10, 10, 0, 0], [25, 25, 25, 25]) == 0.5
    assert formulas.dissimilarity([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(0)
    assert formulas.dissimilarity([0, 0, 0, 5], [1, 1, 1, 1]) == 0.75
    assert formulas.dissimilarity([0, 0, 0, 0], [1, 1, 1, 1]) is None


def test_top10_share():
    # 20 volunteers: the top 10% are 2 people with 10 hours each, of 38 hours in all.
    assert formulas.top10_share([10, 10] + [1] * 18) == pytest.approx(20 / 38)
    # 11 volunteers: the top 10% rounds up to 2 people.
    assert formulas.top10_share([5, 4] + [1] * 9) == pytest.approx(9 / 18)
    assert formulas.top10_share([]) is None


def test_median():
    assert formulas.median([3, 1, 2]) == 2
    assert formulas.median([4, 1, 2, 3]) == 2.5
    assert formulas.median([]) is None


def test_still_needed_matches_the_issue_example():
    # "12% active; 45 more neighbours would reach 20%": P15 563, 68 active, 20% is 113 people.
    assert formulas.still_needed(68, 563, 20) == 45
    assert formulas.still_needed(200, 1000, 20) == 0
    assert formulas.still_needed(250, 1000, 20) == 0
