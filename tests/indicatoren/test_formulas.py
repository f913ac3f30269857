"""The arithmetic on totals of DOMAIN.md ("Indicators") against hand-computed cases; the scores
per respondent and per person are computed in SQL and tested in test_survey_scores.py and
test_compute.py."""

import math

import pytest

from indicatoren import formulas
from indicatoren.survey import BY_KEY, ITEMS


def test_survey_has_the_instruments_of_domain_md():
    groups = [item.groep for item in ITEMS]
    assert groups.count("sc") == 5 and groups.count("isc") == 5 and groups.count("sct") == 5
    assert {"bereidheid", "aanspreken"} <= set(groups)
    # Reversed: CBS statement 1, and Sampson's "don't get along" and "don't share values".
    assert [item.key for item in ITEMS if item.omgekeerd] == ["sc1", "sct4", "sct5"]
    assert BY_KEY["sc1"].waarden == (0, 1, 2, 3, 4)
    assert BY_KEY["isc1"].waarden == BY_KEY["sct1"].waarden == (1, 2, 3, 4, 5)


def test_ce_0_10_range():
    assert formulas.ce_0_10(10) == 0 and formulas.ce_0_10(50) == 10
    assert formulas.ce_0_10(35) == 6.25  # DOMAIN.md's worked example


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


def test_still_needed_matches_the_issue_example():
    # "12% active; 45 more neighbours would reach 20%": P15 563, 68 active, 20% is 113 people.
    assert formulas.still_needed(68, 563, 20) == 45
    assert formulas.still_needed(200, 1000, 20) == 0
    assert formulas.still_needed(250, 1000, 20) == 0
