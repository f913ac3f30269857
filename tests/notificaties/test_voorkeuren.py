"""What a person hears, when: each kind's default, a person's own choice, and quiet hours that
hold the message until the morning, on any night of the year (DST, midnight)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from meldingen.models import Doel, RoutingRegel
from notificaties import voorkeuren
from notificaties.models import Berichtinstelling, Keuze, Notificatie
from notificaties.services import berichtinstelling_save, notify
from notificaties.tasks import relay_notificaties
from tests import factories

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
Soort, Status = Notificatie.Soort, Notificatie.Status


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def _notify(soort, user, object_id=1) -> Notificatie:
    with transaction.atomic():
        notify(soort=soort, object_id=object_id, ontvangers=[user], relay=False)
    return Notificatie.objects.get(soort=soort, object_id=object_id, ontvanger=user)


# --- defaults -----------------------------------------------------------------------------------


def test_a_resident_who_chose_nothing_hears_at_once_only_what_is_about_her(member):
    about_me = [Soort.TERUGKOPPELING, Soort.VERZOEK_BESLUIT, Soort.WACHTLIJST, Soort.HERINNERING]
    for soort in about_me:
        assert _notify(soort, member).status == Status.WACHTEND
    activity = _notify(Soort.NIEUWE_ACTIVITEIT, member)
    assert (activity.status, activity.bundel) == (Status.GEBUNDELD, Keuze.WEEK)
    signup = _notify(Soort.AANMELDING, member)
    assert (signup.status, signup.bundel) == (Status.GEBUNDELD, Keuze.DAG)


def test_officers_hear_high_priority_and_overdue_meldingen_at_once(police):
    assert _notify(Soort.HOGE_PRIORITEIT, police).status == Status.WACHTEND
    assert _notify(Soort.TERMIJN_VERSTREKEN, police).status == Status.WACHTEND


def test_every_kind_a_role_can_choose_has_a_default_and_fixed_kinds_cannot_be_chosen():
    for role, onderwerpen in voorkeuren.PER_ROL.items():
        for onderwerp in onderwerpen:
            assert onderwerp in voorkeuren.STANDAARD, (role, onderwerp)
            assert onderwerp not in voorkeuren.VAST


def test_every_kind_on_the_settings_page_is_named_in_a_persons_words():
    """The page names what a notice is about, not the kind's name in the admin."""
    for role in voorkeuren.PER_ROL:
        for onderwerp in (*voorkeuren.onderwerpen(role), *voorkeuren.vaste(role)):
            assert onderwerp in voorkeuren.LABELS, (role, onderwerp)
            if onderwerp in Soort.values:
                assert voorkeuren.label(onderwerp) != Soort(onderwerp).label


def test_a_choice_per_kind_is_followed_and_a_fixed_kind_ignores_it(member):
    factories.kiest(
        member, {Soort.TERUGKOPPELING: Keuze.UIT, Soort.NIEUWE_ACTIVITEIT: Keuze.DIRECT}
    )
    off = _notify(Soort.TERUGKOPPELING, member)
    assert (off.status, off.finished_at is not None) == (Status.UIT, True)
    assert _notify(Soort.NIEUWE_ACTIVITEIT, member).status == Status.WACHTEND
    # A choice saved for a fixed kind (by hand in the database) changes nothing.
    Berichtinstelling.objects.filter(user=member).update(
        keuzes={Soort.ONTVANGSTBEVESTIGING: Keuze.UIT, Soort.TERUGKOPPELING: "altijd"}
    )
    assert _notify(Soort.ONTVANGSTBEVESTIGING, member).status == Status.WACHTEND
    assert _notify(Soort.TERUGKOPPELING, member, object_id=2).status == Status.WACHTEND


def test_the_service_refuses_a_fixed_kind_or_an_unknown_choice_and_saves_nothing(member):
    for keuzes in ({Soort.ONTVANGSTBEVESTIGING: Keuze.UIT}, {voorkeuren.BUURTNIEUWS: "direct"}):
        with pytest.raises(ValueError, match="cannot be"):
            berichtinstelling_save(
                user=member, keuzes=keuzes, stille_uren=True, stil_van=time(22), stil_tot=time(7)
            )
    assert not Berichtinstelling.objects.exists()


def test_a_team_address_hears_at_once_at_any_hour(stille_uren, wijk):
    team = factories.TeamFactory(email="team@example.org", wijken=[wijk])
    with time_machine.travel(_at(2026, 12, 5, 3, 0), tick=False), transaction.atomic():
        notify(soort=Soort.INTIMIDATIE, object_id=1, teams=[team], relay=False)
    row = Notificatie.objects.get(team=team)
    assert (row.status, row.next_attempt_at) == (Status.WACHTEND, _at(2026, 12, 5, 3, 0))


# --- quiet hours --------------------------------------------------------------------------------

NIGHT = voorkeuren.StilleUren(time(22), time(7))


@pytest.mark.parametrize(
    ("moment", "until"),
    [
        # An ordinary night, before and after midnight; New Year's Eve into the new year.
        (_at(2026, 12, 5, 23, 30), _at(2026, 12, 6, 7, 0)),
        (_at(2026, 12, 6, 3, 0), _at(2026, 12, 6, 7, 0)),
        (_at(2026, 12, 31, 23, 50), _at(2027, 1, 1, 7, 0)),
        # The night the clocks go forward (29 March 2026) and back (25 October 2026): 07:00 on
        # the wall, whatever the offset.
        (_at(2026, 3, 28, 23, 0), _at(2026, 3, 29, 7, 0)),
        (_at(2026, 10, 24, 23, 0), _at(2026, 10, 25, 7, 0)),
        (datetime(2026, 10, 25, 2, 30, tzinfo=AMS, fold=1), _at(2026, 10, 25, 7, 0)),
        # Its edges: 22:00 is quiet, 07:00 is not, 21:59 is not.
        (_at(2026, 12, 5, 22, 0), _at(2026, 12, 6, 7, 0)),
        (_at(2026, 12, 6, 7, 0), None),
        (_at(2026, 12, 5, 21, 59), None),
    ],
)
def test_quiet_hours_end_at_seven_on_the_wall_on_any_night(moment, until):
    end = NIGHT.einde(moment)
    assert end == until
    if end is not None:
        assert end.astimezone(AMS).hour == 7


def test_quiet_hours_ending_in_the_skipped_hour_end_when_it_is_skipped():
    """02:30 does not exist on 29 March: read with the offset before the jump it is 03:30
    summer time, an hour and a half after 01:00; never a moment that already passed."""
    short = voorkeuren.StilleUren(time(23), time(2, 30))
    end = short.einde(_at(2026, 3, 29, 1, 0))
    assert end.astimezone(AMS).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)
    assert end - _at(2026, 3, 29, 1, 0) == timedelta(hours=1, minutes=30)


def test_quiet_hours_within_a_day_and_none_when_start_equals_end():
    afternoon = voorkeuren.StilleUren(time(13), time(15))
    assert afternoon.einde(_at(2026, 12, 5, 14, 0)) == _at(2026, 12, 5, 15, 0)
    assert afternoon.einde(_at(2026, 12, 5, 16, 0)) is None
    assert voorkeuren.StilleUren(time(7), time(7)).einde(_at(2026, 12, 5, 3, 0)) is None


def test_a_notice_at_night_waits_for_the_morning_then_goes_out_once(stille_uren, member):
    with time_machine.travel(_at(2026, 10, 24, 23, 15), tick=False) as clock:
        row = _notify(Soort.WACHTLIJST, member)
        assert row.next_attempt_at == _at(2026, 10, 25, 7, 0)
        relay_notificaties()
        assert mail.outbox == []
        clock.move_to(_at(2026, 10, 25, 6, 59))
        relay_notificaties()
        assert mail.outbox == []
        clock.move_to(_at(2026, 10, 25, 7, 0))
        relay_notificaties()
        relay_notificaties()
    row.refresh_from_db()
    assert row.status in (Status.VERZONDEN, Status.VERVALLEN)  # (its sign-up does not exist)


def test_someone_who_switched_quiet_hours_off_hears_at_night(stille_uren, police):
    berichtinstelling_save(
        user=police, keuzes={}, stille_uren=False, stil_van=time(22), stil_tot=time(7)
    )
    with time_machine.travel(_at(2026, 12, 6, 3, 0), tick=False):
        row = _notify(Soort.HOGE_PRIORITEIT, police)
        assert row.next_attempt_at == _at(2026, 12, 6, 3, 0)


def test_own_quiet_hours_replace_the_default(stille_uren, member):
    berichtinstelling_save(
        user=member, keuzes={}, stille_uren=True, stil_van=time(23), stil_tot=time(8, 30)
    )
    with time_machine.travel(_at(2026, 12, 6, 7, 30), tick=False):
        assert _notify(Soort.WACHTLIJST, member).next_attempt_at == _at(2026, 12, 6, 8, 30)


def test_the_receipt_of_ones_own_melding_is_not_held_back(stille_uren, buurt):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    with time_machine.travel(_at(2026, 12, 6, 2, 0), tick=False):
        factories.melding(user=reporter, wanneer=_at(2026, 12, 6, 1, 50))
        receipt = Notificatie.objects.get(soort=Soort.ONTVANGSTBEVESTIGING)
        assert receipt.next_attempt_at == _at(2026, 12, 6, 2, 0)


def test_a_high_priority_melding_tells_the_handling_officers_not_others(buurt, police, coordinator):
    categorie = factories.CategorieFactory(naam="Drugshandel", ernst=3)
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    elsewhere = factories.professional("politie", factories.WijkFactory())
    melding = factories.melding(buurt=buurt, categorie=categorie)
    rows = Notificatie.objects.filter(soort=Soort.HOGE_PRIORITEIT)
    assert [row.ontvanger for row in rows] == [police]
    relay_notificaties()
    sent = [m for m in mail.outbox if m.to == [police.email]]
    assert len(sent) == 1
    assert sent[0].subject == f"[HOOG] Drugshandel in {buurt.naam}"
    assert melding.referentie in sent[0].body
    assert elsewhere.email not in {m.to[0] for m in mail.outbox}
    # A normal one tells nobody at once.
    factories.melding(buurt=buurt, categorie=factories.CategorieFactory(ernst=2))
    assert rows.count() == 1
