"""The survey scores of DOMAIN.md ("Indicators") as production computes them: answers stored in
the database, ``compute_snapshots`` run, the published figure read back. One respondent per buurt
(with the minimum n set to 1), so each published mean is that respondent's score."""

import pytest

from indicatoren.models import IndicatorInstelling
from tests import factories

from .conftest import EXAMPLE, ISC_EXAMPLE, SC_EXAMPLE, SCT_EXAMPLE, closed_round, responses

pytestmark = pytest.mark.django_db

SC = ("sc1", "sc2", "sc3", "sc4", "sc5")
ISC = ("isc1", "isc2", "isc3", "isc4", "isc5")
SCT = ("sct1", "sct2", "sct3", "sct4", "sct5")


def _answers(keys, values) -> dict:
    return dict(zip(keys, values, strict=True))


def _published(compute, *respondents: dict) -> list[dict]:
    """The figures published for one buurt per respondent, each with its own closed round."""
    gemeente = factories.GemeenteFactory()
    IndicatorInstelling.objects.create(gemeente=gemeente, min_n_enquete=1, min_n_telling=1)
    buurten = []
    for answers in respondents:
        buurt = factories.BuurtFactory(wijk=factories.WijkFactory(gemeente=gemeente))
        responses(closed_round(buurt.wijk), buurt, answers)
        buurten.append(buurt)
    figures = compute(gemeente)
    return [figures[("buurt", buurt.pk)] for buurt in buurten]


def _sc(compute, *rows) -> list:
    """Sociale cohesie published for each row of five stored answers (the Sampson items full)."""
    published = _published(compute, *({**EXAMPLE, **_answers(SC, row)} for row in rows))
    return [figures["sociale_cohesie"]["waarde"] for figures in published]


def test_sociale_cohesie_worked_example(compute):
    # DOMAIN.md: 3,3,2,4,3 (scored) -> 15 x 10 / 20 = 7.5. The first item is reversed, so the
    # resident answered 1 ("mee oneens") to "De mensen kennen elkaar nauwelijks".
    assert _answers(SC, [1, 3, 2, 4, 3]) == SC_EXAMPLE
    assert _sc(compute, [1, 3, 2, 4, 3]) == [7.5]


def test_sociale_cohesie_with_one_weet_niet_uses_the_answered_items(compute):
    # k = 4: (3 + 2 + 4 + 3) x 10 / (4 x 4) = 120 / 16
    first, second = _sc(compute, [None, 3, 2, 4, 3], [1, None, 2, 4, 3])
    assert first == 7.5
    assert second == pytest.approx(12 * 10 / 16)


def test_sociale_cohesie_needs_four_of_five_answers(compute):
    assert _sc(compute, [None, None, 2, 4, 3]) == [None]


def test_sociale_cohesie_extremes(compute):
    assert _sc(compute, [0, 4, 4, 4, 4], [4, 0, 0, 0, 0]) == [10, 0]


def _ce(compute, *rows) -> list[dict]:
    """Collective efficacy published for each (ISC answers, SCT answers) pair."""
    published = _published(
        compute, *({**EXAMPLE, **_answers(ISC, isc), **_answers(SCT, sct)} for isc, sct in rows)
    )
    keys = ("ce_isc", "ce_sct", "ce_totaal", "ce_0_10")
    return [{key: figures[key]["waarde"] for key in keys} for figures in published]


def test_collective_efficacy_worked_example(compute):
    assert _answers(ISC, [4, 4, 3, 5, 2]) == ISC_EXAMPLE
    assert _answers(SCT, [4, 3, 4, 4, 2]) == SCT_EXAMPLE  # (4->2), (2->4)

    [figures] = _ce(compute, ([4, 4, 3, 5, 2], [4, 3, 4, 4, 2]))

    assert (figures["ce_isc"], figures["ce_sct"]) == (18, 17)
    assert figures["ce_totaal"] == 35
    assert figures["ce_0_10"] == 6.25


def test_collective_efficacy_weet_niet_is_the_midpoint_and_one_may_be_missing(compute):
    open_isc, open_reversed, two_open = _ce(
        compute,
        ([4, None, 3, 5, 2], [4, 3, 4, 4, 2]),
        # A reversed item left open also counts as 3 (6 - 3).
        ([4, 4, 3, 5, 2], [4, 3, 4, None, 2]),
        ([4, None, None, 5, 2], [4, 3, 4, 4, 2]),
    )
    assert open_isc["ce_isc"] == 17
    assert open_reversed["ce_sct"] == 4 + 3 + 4 + 3 + 4
    # Two open: no ISC, and so no SCT or total either (all share one base of respondents).
    assert two_open == {"ce_isc": None, "ce_sct": None, "ce_totaal": None, "ce_0_10": None}


def test_collective_efficacy_range(compute):
    lowest, highest = _ce(
        compute, ([1, 1, 1, 1, 1], [1, 1, 1, 5, 5]), ([5, 5, 5, 5, 5], [5, 5, 5, 1, 1])
    )
    assert lowest["ce_sct"] == 5
    assert (lowest["ce_totaal"], lowest["ce_0_10"]) == (10, 0)
    assert (highest["ce_totaal"], highest["ce_0_10"]) == (50, 10)


def test_agreeing_is_mee_eens_or_helemaal_mee_eens(compute):
    answers = (1, 2, 3, 4, 5, None)
    published = _published(compute, *({**EXAMPLE, "bereidheid": a} for a in answers))
    shares = [figures["bereidheid"]["waarde"] for figures in published]
    # 100% agreeing, 0% agreeing, or no answer at all (not counted, so nothing to publish).
    assert shares == [0.0, 0.0, 0.0, 100.0, 100.0, None]
