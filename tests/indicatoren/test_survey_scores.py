"""The survey scores of DOMAIN.md ("Indicators") as production computes them: answers stored in
the database, ``compute_snapshots`` run, the published figure read back. One respondent per buurt
(with the minimum n set to 1), so each published mean is that respondent's score.

"Weet niet" (``WN``) and a skipped item (``None``) are stored apart and scored apart: for
sociale cohesie both are missing; for collective efficacy "weet niet" is the midpoint 3 and only
a skipped item is missing."""

import pytest

from indicatoren.models import IndicatorInstelling
from indicatoren.survey import WEET_NIET_CODE as WN
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


def test_sociale_cohesie_with_one_weet_niet_or_skipped_uses_the_answered_items(compute):
    # k = 4: (3 + 2 + 4 + 3) x 10 / (4 x 4) = 7.5, whether sc1 is "weet niet" or skipped
    weet_niet, skipped, second = _sc(
        compute, [WN, 3, 2, 4, 3], [None, 3, 2, 4, 3], [0, WN, 2, 4, 3]
    )
    assert weet_niet == skipped == 7.5
    assert second == 8.1  # (4 + 2 + 4 + 3) x 10 / 16 = 8.125, shown with one decimal


def test_sociale_cohesie_needs_four_of_five_answers(compute):
    # "weet niet" is missing here, like a skipped item (DOMAIN: "weet niet" = missing)
    assert _sc(compute, [None, None, 2, 4, 3], [WN, WN, 2, 4, 3], [WN, None, 2, 4, 3]) == [
        None,
        None,
        None,
    ]


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
    # (35 - 10) / 4 = 6.25, published with the one decimal it is shown with (half up).
    assert figures["ce_0_10"] == 6.3


def test_collective_efficacy_weet_niet_is_the_midpoint(compute):
    weet_niet, weet_niet_reversed, two_weet_niet = _ce(
        compute,
        ([4, WN, 3, 5, 2], [4, 3, 4, 4, 2]),
        # "Weet niet" on a reversed item also counts as 3 (6 - 3).
        ([4, 4, 3, 5, 2], [4, 3, 4, WN, 2]),
        # Any number of "weet niet" keeps the subscale valid: nothing is missing.
        ([4, WN, WN, 5, 2], [4, 3, 4, 4, 2]),
    )
    assert weet_niet["ce_isc"] == 4 + 3 + 3 + 5 + 2
    assert weet_niet_reversed["ce_sct"] == 4 + 3 + 4 + 3 + 4
    assert two_weet_niet["ce_isc"] == 4 + 3 + 3 + 5 + 2
    assert two_weet_niet["ce_totaal"] == 17 + 17


def test_collective_efficacy_one_skipped_item_is_prorated_two_make_the_subscale_invalid(compute):
    skipped, skipped_and_weet_niet, two_skipped = _ce(
        compute,
        # One skipped: 5 x the mean of the other four, (4 + 3 + 5 + 2) x 5 / 4.
        ([4, None, 3, 5, 2], [4, 3, 4, 4, 2]),
        ([4, None, WN, 5, 2], [4, 3, 4, 4, 2]),  # (4 + 3 + 5 + 2) x 5 / 4 again
        ([4, None, None, 5, 2], [4, 3, 4, 4, 2]),
    )
    assert skipped["ce_isc"] == 17.5
    assert skipped["ce_totaal"] == 17.5 + 17
    assert skipped_and_weet_niet["ce_isc"] == 17.5
    # Two skipped: no ISC and no total, but SCT is valid and reported on its own.
    assert two_skipped == {"ce_isc": None, "ce_sct": 17, "ce_totaal": None, "ce_0_10": None}


def test_collective_efficacy_range(compute):
    lowest, highest = _ce(
        compute, ([1, 1, 1, 1, 1], [1, 1, 1, 5, 5]), ([5, 5, 5, 5, 5], [5, 5, 5, 1, 1])
    )
    assert lowest["ce_sct"] == 5
    assert (lowest["ce_totaal"], lowest["ce_0_10"]) == (10, 0)
    assert (highest["ce_totaal"], highest["ce_0_10"]) == (50, 10)


@pytest.mark.parametrize("key", ["bereidheid", "aanspreken", "drugshandel", "intimidatie"])
def test_agreeing_is_mee_eens_or_helemaal_mee_eens(compute, key):
    answers = (1, 2, 3, 4, 5, WN, None)
    published = _published(compute, *({**EXAMPLE, key: a} for a in answers))
    shares = [figures[key]["waarde"] for figures in published]
    # 100% agreeing, 0% agreeing, or no answer at all ("weet niet" and skipped are not
    # counted, so there is nothing to publish).
    assert shares == [0.0, 0.0, 0.0, 100.0, 100.0, None, None]


def _weet_niet(compute, *rows) -> list[dict]:
    """The share of "weet niet" per scale published for each full set of answers."""
    published = _published(compute, *({**EXAMPLE, **row} for row in rows))
    keys = ("weet_niet_sc", "weet_niet_isc", "weet_niet_sct")
    return [{key: figures[key]["waarde"] for key in keys} for figures in published]


def test_the_share_of_weet_niet_per_scale(compute):
    mixed, none_known, all_skipped = _weet_niet(
        compute,
        # 1 of the 4 CBS items answered (one skipped); 2 of 5 ISC; no SCT "weet niet".
        {**_answers(SC, [WN, 3, 2, 4, None]), "isc1": WN, "isc4": WN},
        {**_answers(SC, [WN] * 5), **_answers(ISC, [WN] * 5), **_answers(SCT, [WN] * 5)},
        # A scale skipped altogether says nothing about knowing the neighbours.
        _answers(SC, [None] * 5),
    )
    assert mixed == {"weet_niet_sc": 25.0, "weet_niet_isc": 40.0, "weet_niet_sct": 0.0}
    assert none_known == {"weet_niet_sc": 100.0, "weet_niet_isc": 100.0, "weet_niet_sct": 100.0}
    assert all_skipped["weet_niet_sc"] is None


def _ce_buurt(compute, sct_only: int) -> dict:
    """One buurt at the default minimums: 30 respondents with both subscales valid (the worked
    example) and ``sct_only`` whose ISC has two items skipped and whose SCT is 25."""
    gemeente = factories.GemeenteFactory()
    buurt = factories.BuurtFactory(wijk=factories.WijkFactory(gemeente=gemeente))
    peiling = closed_round(buurt.wijk)
    responses(peiling, buurt, EXAMPLE, count=30)
    high_sct = {**_answers(ISC, [None, None, 3, 5, 2]), **_answers(SCT, [5, 5, 5, 1, 1])}
    responses(peiling, buurt, {**EXAMPLE, **high_sct}, count=sct_only)
    return compute(gemeente)[("buurt", buurt.pk)]


def test_a_subscale_never_gives_away_a_small_group_beside_the_total(compute):
    """ISC + SCT - total = the scores of those valid on one subscale only. One such respondent
    beside 30 would be given away, so the buurt publishes both subscales over the total's
    respondents; from 10 (the minimum count) on, each subscale over its own."""
    one = _ce_buurt(compute, 1)
    assert (one["ce_sct"]["n"], one["ce_sct"]["waarde"]) == (30, 17)
    assert (one["ce_totaal"]["n"], one["ce_isc"]["n"]) == (30, 30)

    ten = _ce_buurt(compute, 10)
    assert ten["ce_sct"]["n"] == 40
    assert ten["ce_sct"]["waarde"] == (30 * 17 + 10 * 25) / 40
    assert (ten["ce_totaal"]["n"], ten["ce_isc"]["n"]) == (30, 30)
