"""Who counts where (issue 12, 3.3; ADR 0006): taking part counts in the buurt where the
resident was a verified member on the day of the activity, through the real membership
services; a mover counts once in each buurt he lived in, and wijk and gemeente figures are
the sums of their buurten (so that suppression holds); neighbours without an account are a separate
estimate, never part of the figures about residents."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from buurten import services as buurten_services
from buurten.models import Lidmaatschap
from indicatoren import display
from indicatoren.models import IndicatorInstelling
from indicatoren.registry import ACTIVITEIT, INDICATORS
from tests import factories

from .conftest import EIND, members, past_activity, took_part

pytestmark = pytest.mark.django_db


def _gemeente():
    gemeente = factories.GemeenteFactory(code="GM0012", naam="Gemeente twaalf")
    # One rule at a time: no suppression, not even of zero (the headcount test has its own).
    IndicatorInstelling.objects.create(gemeente=gemeente, min_n_telling=0, min_n_enquete=1)
    return gemeente


def _buurt(wijk):
    return factories.BuurtFactory(wijk=wijk)


def _at(moment):
    """The clock at ``moment`` (not ticking): the services stamp history with it."""
    return time_machine.travel(moment, tick=False)


def _join(user, buurt, moment) -> Lidmaatschap:
    with _at(moment):
        code = factories.UitnodigingscodeFactory(buurt=buurt)
        return buurten_services.lidmaatschap_join_with_code(user=user, code=code.code)


def _leave(lidmaatschap, moment) -> None:
    with _at(moment):
        buurten_services.lidmaatschap_end(lidmaatschap=lidmaatschap, user=lidmaatschap.user)


def _bereik_n(figures, niveau, pk):
    return figures[(niveau, pk)]["bereik"]["n"]


def test_a_mover_counts_where_he_lived_and_the_past_stays_as_it_was(compute):
    gemeente = _gemeente()
    old = _buurt(factories.WijkFactory(gemeente=gemeente))
    new = _buurt(factories.WijkFactory(gemeente=gemeente))
    now = timezone.now()
    mover = factories.UserFactory()
    membership = _join(mover, old, now - timedelta(days=300))
    took_part(mover, past_activity(old, start=now - timedelta(days=200)))
    # A neighbour of the old buurt keeps both buurten non-empty before and after the move.
    took_part(members(old, 1)[0], past_activity(old, start=now - timedelta(days=200)))
    before_move = (now - timedelta(days=150)).date()
    with _at(now - timedelta(days=150)):
        then = compute(gemeente, eind=before_move)
    assert _bereik_n(then, "buurt", old.pk) == 2
    assert then[("buurt", new.pk)]["bereik"]["n"] == 0  # nobody took part there yet

    _leave(membership, now - timedelta(days=100))
    _join(mover, new, now - timedelta(days=100))
    # After the move he takes part in an activity of his old buurt: it counts in the new one.
    took_part(mover, past_activity(old, start=now - timedelta(days=50)))

    today = compute(gemeente)
    assert _bereik_n(today, "buurt", old.pk) == 2  # his first activity, and the neighbour
    assert _bereik_n(today, "buurt", new.pk) == 1  # his activity after moving
    # Wijken and the gemeente add up their buurten: the mover counts in each buurt he lived in.
    assert _bereik_n(today, "wijk", old.wijk_id) == 2
    assert _bereik_n(today, "wijk", new.wijk_id) == 1
    assert _bereik_n(today, "gemeente", gemeente.pk) == 3
    # Recomputing the period before the move after it gives the same figures.
    again = compute(gemeente, eind=before_move)
    assert again[("buurt", old.pk)]["bereik"] == then[("buurt", old.pk)]["bereik"]
    assert again[("gemeente", gemeente.pk)]["bereik"] == then[("gemeente", gemeente.pk)]["bereik"]


def test_a_mover_within_the_wijk_counts_in_each_buurt_and_the_wijk_adds_them_up(compute):
    gemeente = _gemeente()
    wijk = factories.WijkFactory(gemeente=gemeente)
    first, second = _buurt(wijk), _buurt(wijk)
    now = timezone.localtime()
    mover = factories.UserFactory()
    membership = _join(mover, first, now - timedelta(days=300))
    took_part(mover, past_activity(first, start=now - timedelta(days=200)))
    _leave(membership, now - timedelta(days=120))
    _join(mover, second, now - timedelta(days=120))
    took_part(mover, past_activity(second, start=now - timedelta(days=60)))
    took_part(mover, past_activity(second, start=now - timedelta(days=30)))

    figures = compute(gemeente)

    assert _bereik_n(figures, "buurt", first.pk) == 1
    assert _bereik_n(figures, "buurt", second.pk) == 1
    # The wijk is the sum of its buurten (a published wijk minus its published buurten must
    # give exactly the hidden ones): the mover is counted in both of his buurten.
    assert _bereik_n(figures, "wijk", wijk.pk) == 2
    # Three times in different months, but never three times while living in one buurt: not
    # active core in either buurt, so not in the wijk either.
    assert figures[("buurt", first.pk)]["actieve_kern"]["n"] == 0
    assert figures[("buurt", second.pk)]["actieve_kern"]["n"] == 0
    assert figures[("wijk", wijk.pk)]["actieve_kern"]["n"] == 0
    assert figures[("gemeente", gemeente.pk)]["actieve_kern"]["n"] == 0
    # Twice in the new buurt: a repeater there; in the wijk one of two counted participants.
    assert figures[("buurt", first.pk)]["herhaling"]["waarde"] == 0.0
    assert figures[("buurt", second.pk)]["herhaling"]["waarde"] == 100.0
    assert figures[("wijk", wijk.pk)]["herhaling"]["waarde"] == 50.0


def test_a_leaver_still_counts_for_the_time_he_lived_there(compute):
    gemeente = _gemeente()
    buurt = _buurt(factories.WijkFactory(gemeente=gemeente))
    now = timezone.now()
    leaver = factories.UserFactory()
    membership = _join(leaver, buurt, now - timedelta(days=300))
    took_part(leaver, past_activity(buurt, start=now - timedelta(days=200)))
    _leave(membership, now - timedelta(days=100))
    # After leaving he is nobody's resident: a later sign-up counts nowhere.
    took_part(leaver, past_activity(buurt, start=now - timedelta(days=50)))

    figures = compute(gemeente)

    assert _bereik_n(figures, "buurt", buurt.pk) == 1
    assert figures[("buurt", buurt.pk)]["herhaling"]["waarde"] == 0.0  # only the first counted


def test_taking_part_before_being_verified_counts_nowhere(compute):
    gemeente = _gemeente()
    buurt = _buurt(factories.WijkFactory(gemeente=gemeente))
    coordinator = factories.professional("coordinator", buurt.wijk)
    now = timezone.now()
    newcomer = factories.UserFactory()
    with _at(now - timedelta(days=300)):
        aanvraag = buurten_services.aanvraag_create(user=newcomer, buurt=buurt)
    took_part(newcomer, past_activity(buurt, start=now - timedelta(days=200)))  # still asking
    with _at(now - timedelta(days=100)):
        buurten_services.aanvraag_decide(lidmaatschap=aanvraag, by=coordinator, approve=True)
    took_part(newcomer, past_activity(buurt, start=now - timedelta(days=50)))

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["bereik"]["n"] == 1
    assert figures["herhaling"]["waarde"] == 0.0  # the activity before verification not counted


def test_verified_later_on_the_day_of_the_activity_counts(compute):
    """A flyer with an invite code handed out at the activity itself: member that day."""
    gemeente = _gemeente()
    buurt = _buurt(factories.WijkFactory(gemeente=gemeente))
    day = timezone.localtime() - timedelta(days=40)
    start = day.replace(hour=10, minute=0, second=0, microsecond=0)
    newcomer = factories.UserFactory()
    took_part(newcomer, past_activity(buurt, start=start))
    _join(newcomer, buurt, start + timedelta(hours=3))
    too_late = factories.UserFactory()
    took_part(too_late, past_activity(buurt, start=start))
    _join(too_late, buurt, start + timedelta(days=1))

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["bereik"]["n"] == 1


def test_memberships_older_than_the_history_count_from_their_verification(compute):
    """Memberships from before the history table (buurten migration 0006) have no history
    rows: they count from ``decided_at``, or until ``decided_at`` when they ended."""
    gemeente = _gemeente()
    buurt = _buurt(factories.WijkFactory(gemeente=gemeente))
    now = timezone.now()
    old_member = factories.LidmaatschapFactory(buurt=buurt, decided_at=now - timedelta(days=100))
    took_part(old_member.user, past_activity(buurt, start=now - timedelta(days=200)))  # not yet
    took_part(old_member.user, past_activity(buurt, start=now - timedelta(days=50)))
    ended = factories.LidmaatschapFactory(
        buurt=buurt,
        status=Lidmaatschap.Status.BEEINDIGD,
        welcome_sent_at=now - timedelta(days=300),
        decided_at=now - timedelta(days=100),  # the ending overwrote the verification date
    )
    took_part(ended.user, past_activity(buurt, start=now - timedelta(days=200)))
    took_part(ended.user, past_activity(buurt, start=now - timedelta(days=50)))  # had left

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["bereik"]["n"] == 2
    assert figures["herhaling"]["waarde"] == 0.0  # one activity each


def test_a_sign_up_marked_absent_does_not_count(compute):
    gemeente = _gemeente()
    buurt = _buurt(factories.WijkFactory(gemeente=gemeente))
    came, absent, unrecorded = members(buurt, 3)
    activiteit = past_activity(buurt)
    took_part(came, activiteit, aanwezig=True)
    took_part(absent, activiteit, aanwezig=False)
    took_part(unrecorded, activiteit)  # attendance not recorded: signed up counts

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["bereik"]["n"] == 2


def test_neighbours_without_an_account_are_a_separate_estimate(compute):
    gemeente = factories.GemeenteFactory(code="GM0013")
    busy = _buurt(factories.WijkFactory(gemeente=gemeente))
    # Elsewhere: a small count is hidden, and hiding it would hide its neighbours' too.
    elsewhere = factories.GemeenteFactory(code="GM0014")
    quiet = _buurt(factories.WijkFactory(gemeente=elsewhere))
    counted = past_activity(busy, days_ago=60)
    counted.extra_bezoekers = 7
    counted.save()
    again = past_activity(busy, days_ago=20)
    again.extra_bezoekers = 5
    again.save()
    past_activity(busy, days_ago=10)  # the organiser filled in no headcount: 0
    for ignored in (
        past_activity(busy, days_ago=5, cancelled=True),
        past_activity(busy, days_ago=-3),  # still to come
        past_activity(quiet, days_ago=400),  # before the period
    ):
        ignored.extra_bezoekers = 9
        ignored.save()
    few = past_activity(quiet, days_ago=15)
    few.extra_bezoekers = 4
    few.save()
    for user in members(busy, 10):
        took_part(user, counted)

    figures = compute(gemeente)
    small = compute(elsewhere)

    estimate = figures[("buurt", busy.pk)]["deelnemers_zonder_account"]
    assert (estimate["waarde"], estimate["onderdrukt"]) == (12, False)
    assert figures[("wijk", busy.wijk_id)]["deelnemers_zonder_account"]["waarde"] == 12
    # Suppressed below the minimum like every count about people.
    hidden = small[("buurt", quiet.pk)]["deelnemers_zonder_account"]
    assert hidden["onderdrukt"] is True
    # ... and it says what it counts: visits, not people.
    shown = display.figure(INDICATORS["deelnemers_zonder_account"], hidden)
    assert shown.tekst == "< 10 bezoeken"
    # Never mixed into the figures about residents: the 10 members who signed up (the
    # organisers are nobody's members here).
    assert figures[("buurt", busy.pk)]["bereik"]["n"] == 10


# --- Saying so -----------------------------------------------------------------------------------
def test_every_activity_figure_says_it_is_about_taking_part_through_the_platform(
    client, login, coordinator, published, buurt
):
    for indicator in INDICATORS.values():
        if indicator.bron == ACTIVITEIT:
            assert "via het platform" in str(indicator.toelichting) or (
                indicator.key == "deelnemers_zonder_account"
                and "zonder account" in str(indicator.label)
            )
    dashboard = login(coordinator).get(reverse("indicatoren:dashboard"), {"indicator": "bereik"})
    assert "Activiteitencijfers gaan over meedoen via het platform" in dashboard.content.decode()
    trend = login(coordinator).get(reverse("indicatoren:buurt", args=[buurt.code]))
    assert "Activiteitencijfers gaan over meedoen via het platform" in trend.content.decode()
    open_data = client.get(reverse("indicatoren:open-data"))
    assert "Activiteitencijfers gaan over meedoen via het platform" in open_data.content.decode()
    download = client.get(
        reverse(
            "indicatoren:export",
            kwargs={"gemeente_code": "GM0363", "periode": EIND.isoformat(), "formaat": "json"},
        )
    ).json()
    assert "via het platform" in download["deelname"]
    bereik = next(i for i in download["indicatoren"] if i["key"] == "bereik")
    assert "geverifieerd lid" in bereik["toelichting"]


def test_an_admission_the_coordinator_undid_never_counts(compute):
    """Two neighbours vouched, the coordinator undid it within the review period: the vouching
    did not show that the person lives there, so the days in between count nowhere."""
    gemeente = _gemeente()
    buurt = _buurt(factories.WijkFactory(gemeente=gemeente))
    coordinator = factories.professional("coordinator", buurt.wijk)
    vouchers = members(buurt, 2)  # members of standing (factory: verified a year ago)
    now = timezone.now()
    newcomer = factories.UserFactory()
    with _at(now - timedelta(days=30)):
        aanvraag = buurten_services.aanvraag_create(user=newcomer, buurt=buurt)
        for borg in vouchers:
            aanvraag = buurten_services.lidmaatschap_vouch(lidmaatschap=aanvraag, borg=borg)
    assert aanvraag.status == Lidmaatschap.Status.LID
    took_part(newcomer, past_activity(buurt, start=now - timedelta(days=28)))
    took_part(vouchers[0], past_activity(buurt, start=now - timedelta(days=28)))
    with _at(now - timedelta(days=27)):
        buurten_services.lidmaatschap_undo_vouched(
            lidmaatschap=aanvraag, by=coordinator, reden="Woont niet in de buurt."
        )

    figures = compute(gemeente)[("buurt", buurt.pk)]

    assert figures["bereik"]["n"] == 1  # the neighbour who vouched, not the newcomer
