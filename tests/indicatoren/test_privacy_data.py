"""Privacy at the data layer: nothing stored or computed lets anyone recover one person's answers
or activity."""

import hashlib

import pytest
from django.contrib import admin
from django.db import models
from django.test import override_settings

from indicatoren import services
from indicatoren.models import Respons, ResponsMarker, Snapshot
from tests import factories

from .conftest import EXAMPLE, closed_round, members, past_activity, responses, took_part

pytestmark = pytest.mark.django_db

PERSONAL = {"waarde", "n", "ci"}


def test_responses_hold_no_person_no_time_and_no_order():
    fields = {f.name: f for f in Respons._meta.get_fields()}
    assert not any(
        isinstance(f, models.ForeignKey) and f.related_model._meta.label == "accounts.User"
        for f in fields.values()
    )
    assert not any(isinstance(f, models.DateField) for f in fields.values())  # incl. DateTime
    # A random key: row order says nothing about who answered when.
    assert isinstance(Respons._meta.pk, models.UUIDField)
    assert isinstance(ResponsMarker._meta.pk, models.UUIDField)
    assert {f.name for f in ResponsMarker._meta.get_fields()} == {"id", "peiling", "marker"}


def test_responses_are_not_browsable_in_the_admin():
    assert Respons not in admin.site._registry
    assert ResponsMarker not in admin.site._registry


def test_the_marker_is_one_way_and_keyed(member, wijk, coordinator):
    peiling = services.peiling_open(wijk=wijk, by=coordinator, titel="Voorjaar")
    services.respons_submit(peiling=peiling, user=member, antwoorden=EXAMPLE)
    marker = ResponsMarker.objects.get().marker

    assert len(marker) == 64  # an HMAC-SHA256, not an id
    plain = {
        hashlib.sha256(text.encode()).hexdigest()
        for text in (str(member.pk), f"{peiling.pk}:{member.pk}", member.email)
    }
    assert marker not in plain  # a guess of user ids without the secret key finds nothing
    with override_settings(SECRET_KEY="een-andere-sleutel-" + "x" * 40):
        assert services.respons_marker(user_id=member.pk, peiling_id=peiling.pk) != marker
    # The same person in the next round gets an unrelated marker: rounds cannot be linked.
    assert services.respons_marker(user_id=member.pk, peiling_id=peiling.pk + 1) != marker


def test_an_answer_in_an_open_round_changes_no_figure(compute, wijk, buurt, coordinator):
    responses(closed_round(wijk), buurt, EXAMPLE, count=40)
    before = compute(wijk.gemeente)
    peiling = services.peiling_open(wijk=wijk, by=coordinator, titel="Najaar")
    newcomer = factories.LidmaatschapFactory(buurt=buurt).user
    services.respons_submit(peiling=peiling, user=newcomer, antwoorden={"bereidheid": 1})

    after = compute(wijk.gemeente)

    assert after == before  # differencing two days' figures reveals nothing


def test_a_wijk_minus_its_published_buurten_never_gives_away_a_small_group(compute, wijk):
    groot, middel, klein = (factories.BuurtFactory(wijk=wijk) for _ in range(3))
    activiteit = past_activity(groot)
    for user in members(groot, 25) + members(middel, 15) + members(klein, 3):
        took_part(user, activiteit)

    figures = compute(wijk.gemeente)

    def bereik(buurt):
        return figures[("buurt", buurt.pk)]["bereik"]

    assert bereik(klein)["onderdrukt"] and bereik(klein)["reden"] == "klein"
    # Complementary: not the 15, since a figure hidden for protection holds at least 10 and
    # wijk - 25 - (at least 10) would leave the small buurt at most 8; the 25 leaves up to 18.
    assert bereik(groot)["onderdrukt"] and bereik(groot)["reden"] == "bescherming"
    assert bereik(middel)["n"] == 15
    assert figures[("wijk", wijk.pk)]["bereik"]["n"] == 43
    # The same participants, the same pattern, whichever figure reveals them.
    for buurt in (groot, klein):
        for key in ("herhaling", "representativiteit"):
            assert figures[("buurt", buurt.pk)][key]["onderdrukt"]


def test_a_small_wijk_hides_a_complement_wijk_not_the_gemeente(compute, buurt):
    """Issue 12, 1.4: the gemeente total stays; the smallest wijk that protects the small one
    is hidden, with enough of its buurten that it cannot be rebuilt from them."""
    gemeente = buurt.wijk.gemeente
    klein = factories.BuurtFactory(wijk=factories.WijkFactory(gemeente=gemeente))
    wijk_c = factories.WijkFactory(gemeente=gemeente)
    c1, c2 = factories.BuurtFactory(wijk=wijk_c), factories.BuurtFactory(wijk=wijk_c)
    rounds = {w: closed_round(w) for w in (buurt.wijk, klein.wijk, wijk_c)}
    for b, count in ((buurt, 40), (klein, 12), (c1, 60), (c2, 70)):
        responses(rounds[b.wijk], b, EXAMPLE, count=count)

    figures = compute(gemeente)

    def cohesie(tag, pk):
        return figures[(tag, pk)]["sociale_cohesie"]

    assert cohesie("gemeente", gemeente.pk)["n"] == 182
    assert cohesie("wijk", klein.wijk_id)["reden"] == "klein"
    # The 40 would not do (the small wijk would be at most 12 + 10); wijk C would, once one of
    # its buurten is hidden too.
    assert cohesie("wijk", buurt.wijk_id)["n"] == 40
    assert cohesie("wijk", wijk_c.pk)["reden"] == "bescherming"
    assert cohesie("buurt", c1.pk)["reden"] == "bescherming"
    assert cohesie("buurt", c2.pk)["n"] == 70


def test_suppressed_figures_keep_nothing_exact(compute, buurt):
    activiteit = past_activity(buurt)
    for user in members(buurt, 3):
        took_part(user, activiteit, rol=True, uren=4)
    responses(closed_round(buurt.wijk), buurt, EXAMPLE, count=7)

    compute(buurt.wijk.gemeente)

    for snapshot in Snapshot.objects.all():
        for key, figure in snapshot.waarden.items():
            if figure.get("onderdrukt"):
                assert all(figure[field] is None for field in PERSONAL), key
        # 3 active neighbours are too few to say how many more are needed: it would tell 3.
        assert snapshot.waarden["actieve_kern_nodig"]["waarde"] is None


def test_figures_depend_on_counts_not_on_who(compute):
    """The same numbers of people give the same stored figures whoever they are: nothing about
    a person is in a snapshot."""

    def world(code):
        buurt = factories.BuurtFactory(
            wijk=factories.WijkFactory(gemeente=factories.GemeenteFactory(code=code, naam=code))
        )
        activiteit = past_activity(buurt)
        for user in members(buurt, 12):
            took_part(user, activiteit, rol=True, uren=2)
        responses(closed_round(buurt.wijk), buurt, EXAMPLE, count=31)
        return buurt

    first, second = world("GM0001"), world("GM0002")

    one = compute(first.wijk.gemeente)[("buurt", first.pk)]
    two = compute(second.wijk.gemeente)[("buurt", second.pk)]

    assert one == two


def test_subscales_and_total_share_one_base(compute, buurt):
    """Otherwise ISC + SCT - total (times n) would give one respondent's subscale score."""
    peiling = closed_round(buurt.wijk)
    responses(peiling, buurt, EXAMPLE, count=30)
    responses(peiling, buurt, {**EXAMPLE, "isc1": None, "isc2": None, "sct1": 1})  # ISC invalid

    figures = compute(buurt.wijk.gemeente)[("buurt", buurt.pk)]

    assert figures["ce_isc"]["n"] == figures["ce_sct"]["n"] == figures["ce_totaal"]["n"] == 30
    assert figures["ce_sct"]["waarde"] == 17  # the 31st respondent's SCT is not in it
