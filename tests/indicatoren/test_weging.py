"""Wijk and gemeente survey figures weight each buurt by its 15+ population, say what they cover,
and round once: answers stored, ``compute_snapshots`` run, the published figure read back and
checked against arithmetic done by hand here."""

import math

import pytest

from indicatoren import figures
from indicatoren.display import figure
from indicatoren.registry import INDICATORS
from tests import factories

from .conftest import EXAMPLE, closed_round, responses

pytestmark = pytest.mark.django_db

Z95 = 1.959963984540054
# Stored CBS answers (sc1 reversed) and the sociale-cohesie score they give.
SC_10 = {"sc1": 0, "sc2": 4, "sc3": 4, "sc4": 4, "sc5": 4}
SC_7_5 = {"sc1": 1, "sc2": 3, "sc3": 2, "sc4": 4, "sc5": 3}
SC_5 = {"sc1": 2, "sc2": 2, "sc3": 2, "sc4": 2, "sc5": 2}
SC_2_5 = {"sc1": 3, "sc2": 1, "sc3": 1, "sc4": 1, "sc5": 1}


def _buurt(wijk, p15: int | None):
    if p15 is None:
        return factories.BuurtFactory(wijk=wijk, inwoners=None)
    return factories.BuurtFactory(wijk=wijk, inwoners=p15 + 200, leeftijd_0_15=200)


@pytest.fixture
def city(compute):
    """Wijk A: a small buurt where many answered and liked it (P15 1,000: 20 x 10 and 20 x 7.5,
    half willing), a large one where few answered and did not (P15 4,000: 15 x 5 and 15 x 2.5,
    all willing), a buurt without answers (P15 1,000) and one without CBS figures (30 x 10).
    Wijk B: two buurten without answers (P15 1,000 each). Every count is 0 or at least 30, so
    nothing is suppressed."""
    gemeente = factories.GemeenteFactory()
    wijk_a = factories.WijkFactory(gemeente=gemeente)
    wijk_b = factories.WijkFactory(gemeente=gemeente)
    klein, groot, _stil, onbekend = (_buurt(wijk_a, p15) for p15 in (1000, 4000, 1000, None))
    for _ in range(2):
        _buurt(wijk_b, 1000)
    peiling = closed_round(wijk_a)
    responses(peiling, klein, {**EXAMPLE, **SC_10, "bereidheid": 4}, count=20)
    responses(peiling, klein, {**EXAMPLE, **SC_7_5, "bereidheid": 2}, count=20)
    responses(peiling, groot, {**EXAMPLE, **SC_5, "bereidheid": 5}, count=15)
    responses(peiling, groot, {**EXAMPLE, **SC_2_5, "bereidheid": 4}, count=15)
    responses(peiling, onbekend, {**EXAMPLE, **SC_10}, count=30)
    published = compute(gemeente)
    return {
        "wijk": published[("wijk", wijk_a.pk)],
        "gemeente": published[("gemeente", gemeente.pk)],
        "klein": published[("buurt", klein.pk)],
    }


def test_a_wijk_mean_weights_buurten_by_their_15_plus_population(city):
    cohesie = city["wijk"]["sociale_cohesie"]
    # Pooled, the 40 keen respondents of the small buurt would speak for the wijk:
    # (20 x 10 + 20 x 7.5 + 15 x 5 + 15 x 2.5) / 70 = 6.89. Weighted by population:
    mean = (1000 * 8.75 + 4000 * 3.75) / 5000
    assert mean == 4.75
    # Each respondent weighs P15 / n: 1000 / 40 = 25 in the small buurt, 4000 / 30 in the
    # large one. Kish: n_eff = (sum w)^2 / sum w^2.
    w_groot = 4000 / 30
    n_eff = 5000**2 / (40 * 25**2 + 30 * w_groot**2)
    assert n_eff == pytest.approx(44.78, abs=0.01)
    spread = 25 * 20 * ((10 - mean) ** 2 + (7.5 - mean) ** 2) + w_groot * 15 * (
        (5 - mean) ** 2 + (2.5 - mean) ** 2
    )
    variance = spread / 5000 * n_eff / (n_eff - 1)
    half = Z95 * math.sqrt(variance / n_eff)
    assert half == pytest.approx(0.699, abs=0.001)
    assert cohesie["waarde"] == 4.8  # 4.75, rounded once for display, half up
    assert cohesie["ci"] == [4.1, 5.4]  # 4.051 and 5.449
    # n is the respondents counted: the buurt without CBS figures is left out.
    assert cohesie["n"] == 70
    assert cohesie["weging"] == "inwoners 15+"
    # Covered: 2 of the 4 buurten, (1000 + 4000) / 6000 = 83% of the known 15+ population.
    assert cohesie["dekking"] == {
        "gebieden": 2,
        "van": 4,
        "eenheid": "buurt",
        "inwoners_pct": 83,
        "zonder_bevolking": 1,
    }


def test_a_weighted_share_takes_a_wilson_interval_on_the_effective_n(city):
    bereidheid = city["wijk"]["bereidheid"]
    # Pooled: 50 of 70 = 71%. Weighted: (1000 x 50% + 4000 x 100%) / 5000 = 90%.
    assert bereidheid["waarde"] == 90.0
    n_eff = 5000**2 / (40 * 25**2 + 30 * (4000 / 30) ** 2)
    centre = (0.9 + Z95**2 / (2 * n_eff)) / (1 + Z95**2 / n_eff)
    half = Z95 * math.sqrt(0.9 * 0.1 / n_eff + Z95**2 / (4 * n_eff**2)) / (1 + Z95**2 / n_eff)
    assert bereidheid["ci"] == [round(100 * (centre - half), 1), round(100 * (centre + half), 1)]
    assert bereidheid["ci"][1] - bereidheid["ci"][0] > 10  # wide: n_eff is 45, not 70
    assert bereidheid["n"] == 70


def test_the_gemeente_weights_every_buurt_and_counts_its_wijken(city):
    cohesie = city["gemeente"]["sociale_cohesie"]
    assert cohesie["waarde"] == 4.8
    # 1 of 2 wijken; 5,000 of the 8,000 known residents of 15+: 62.5%, shown as 63%.
    assert cohesie["dekking"]["gebieden"] == 1
    assert cohesie["dekking"]["van"] == 2
    assert cohesie["dekking"]["eenheid"] == "wijk"
    assert cohesie["dekking"]["inwoners_pct"] == 63


def test_coverage_in_words(city):
    wijk = figure(INDICATORS["sociale_cohesie"], city["wijk"]["sociale_cohesie"])
    assert wijk.dekking_tekst == (
        "gebaseerd op 2 van 4 buurten, 83% van de inwoners van 15+; "
        "1 buurt met antwoorden telt niet mee (geen CBS-bevolkingscijfer)"
    )
    gemeente = figure(INDICATORS["sociale_cohesie"], city["gemeente"]["sociale_cohesie"])
    assert gemeente.dekking_tekst.startswith(
        "gebaseerd op 1 van 2 wijken, 63% van de inwoners van 15+; 1 buurt met antwoorden"
    )


def test_a_buurt_figure_is_its_respondents_unweighted(city):
    cohesie = city["klein"]["sociale_cohesie"]
    assert "weging" not in cohesie and "dekking" not in cohesie


def test_one_buurt_weighted_is_the_plain_mean_and_interval(compute):
    gemeente = factories.GemeenteFactory()
    buurt = _buurt(factories.WijkFactory(gemeente=gemeente), 1000)
    peiling = closed_round(buurt.wijk)
    responses(peiling, buurt, {**EXAMPLE, **SC_10}, count=15)
    responses(peiling, buurt, {**EXAMPLE, **SC_7_5}, count=15)

    published = compute(gemeente)

    wijk = published[("wijk", buurt.wijk_id)]["sociale_cohesie"]
    own = published[("buurt", buurt.pk)]["sociale_cohesie"]
    assert (wijk["waarde"], wijk["ci"], wijk["n"]) == (own["waarde"], own["ci"], own["n"])


@pytest.mark.parametrize(("value", "shown"), [(6.548, "6,5"), (6.55, "6,6"), (6.549999, "6,5")])
def test_a_value_is_rounded_once(value, shown):
    """6.548 was stored as 6.55 and then shown as "6,6"."""
    area = figures.Area(figures.BUURT, 1)
    area.sums.update({"sc_n": 1000, "sc_s": value * 1000, "sc_ss": value * value * 1000})

    stored = figures.survey_mean(area, "sc", 30, 10)

    assert figure(INDICATORS["sociale_cohesie"], stored).tekst == shown
    assert stored["waarde"] == float(shown.replace(",", "."))
