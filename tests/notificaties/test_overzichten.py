"""Digests: a new activity reaches the buurt's members (never its organiser) in their weekly
digest, sign-ups reach the organiser in a daily one; one digest per person and period, exactly
once, also when the task runs twice; the buurt news in counts that follow the indicators'
suppression rule."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from activiteiten import services as activiteiten
from buurten.models import Lidmaatschap, LidmaatschapHistorie
from notificaties.models import Keuze, Notificatie
from notificaties.services import berichtinstelling_save
from notificaties.tasks import relay_notificaties, send_daily_overzichten
from portaal.tasks import send_weekly_overzichten
from tests import factories

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
Soort, Status = Notificatie.Soort, Notificatie.Status
# A Monday morning, the hour beat runs the digests (New Year's week: ISO week 53 of 2026).
MONDAY = datetime(2026, 12, 28, 7, 0, tzinfo=AMS)


def _mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_new_activity_reaches_members_in_their_weekly_digest_never_the_organiser(buurt):
    organiser, neighbour = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    outsider = factories.LidmaatschapFactory().user  # another buurt
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        activiteit = factories.activiteit(
            organisator=organiser, titel="Zwerfvuil prikken", start=MONDAY + timedelta(days=2)
        )
        rows = Notificatie.objects.filter(soort=Soort.NIEUWE_ACTIVITEIT)
        assert [(r.ontvanger, r.status, r.bundel) for r in rows] == [
            (neighbour, Status.GEBUNDELD, Keuze.WEEK)
        ]
        relay_notificaties()
        assert mail.outbox == []
    with time_machine.travel(MONDAY, tick=False):
        send_weekly_overzichten()
        relay_notificaties()
    [digest] = _mails_to(neighbour)
    assert digest.subject == f"Deze week in {buurt.naam}"
    assert "Nieuw in je buurt: Zwerfvuil prikken" in digest.body
    assert activiteit.get_absolute_url() in digest.body
    # The organiser and the outsider get the buurt news of their own buurt, not this notice.
    assert "Nieuw in je buurt" not in _mails_to(organiser)[0].body
    assert "Zwerfvuil" not in _mails_to(outsider)[0].body
    assert rows.get().status == Status.IN_OVERZICHT


def test_a_member_who_wants_new_activities_at_once_gets_them_at_once(buurt):
    organiser, eager = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    berichtinstelling_save(
        user=eager,
        keuzes={Soort.NIEUWE_ACTIVITEIT: Keuze.DIRECT},
        stille_uren=False,
        stil_van=MONDAY.time(),
        stil_tot=MONDAY.time(),
    )
    factories.activiteit(organisator=organiser, titel="Buurtbarbecue")
    relay_notificaties()
    [sent] = _mails_to(eager)
    assert sent.subject.startswith("Nieuw in je buurt: Buurtbarbecue")


def test_sign_ups_reach_the_organiser_once_a_day_and_the_digest_is_written_once(buurt):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    people = [factories.LidmaatschapFactory(buurt=buurt).user for _ in range(3)]
    with time_machine.travel(MONDAY - timedelta(hours=20), tick=False):
        activiteit = factories.activiteit(organisator=organiser, titel="Avondronde")
        signups = [activiteiten.aanmelden(user=p, activiteit=activiteit) for p in people]
        activiteiten.afmelden(aanmelding=signups[0], user=people[0])
        relay_notificaties()
        assert _mails_to(organiser) == []
    with time_machine.travel(MONDAY, tick=False):
        assert send_daily_overzichten() == 1
        assert send_daily_overzichten() == 0  # beat twice, a restart: nothing more
        relay_notificaties()
    [digest] = _mails_to(organiser)
    assert digest.subject == "Je dagoverzicht: 3 berichten"
    assert digest.body.count("Nieuwe aanmelding voor Avondronde") == 2
    assert "Afmelding voor Avondronde" in digest.body
    row = Notificatie.objects.get(soort=Soort.OVERZICHT_DAG)
    assert row.object_id == 20261228


def test_what_comes_in_after_the_days_digest_waits_for_the_next_one(buurt):
    organiser, late = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    early = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = None
    with time_machine.travel(MONDAY - timedelta(hours=2), tick=False):
        activiteit = factories.activiteit(organisator=organiser, titel="Avondronde")
        activiteiten.aanmelden(user=early, activiteit=activiteit)
    with time_machine.travel(MONDAY, tick=False):
        send_daily_overzichten()
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        activiteiten.aanmelden(user=late, activiteit=activiteit)
        assert send_daily_overzichten() == 0  # that day's digest is written: it waits
        assert Notificatie.objects.filter(status=Status.GEBUNDELD, bundel="dag").count() == 1
    with time_machine.travel(MONDAY + timedelta(days=1), tick=False):
        assert send_daily_overzichten() == 1
        relay_notificaties()
    assert [m.subject for m in _mails_to(organiser)] == [
        "Je dagoverzicht: 1 bericht",
        "Je dagoverzicht: 1 bericht",
    ]
    assert Notificatie.objects.filter(soort=Soort.OVERZICHT_DAG).count() == 2


def test_nothing_waiting_and_no_buurt_news_means_no_digest(buurt):
    factories.LidmaatschapFactory(buurt=buurt, user__role="bewoner")
    member = Lidmaatschap.objects.get().user
    berichtinstelling_save(
        user=member,
        keuzes={"buurtnieuws": Keuze.UIT},
        stille_uren=True,
        stil_van=MONDAY.time(),
        stil_tot=(MONDAY + timedelta(hours=1)).time(),
    )
    with time_machine.travel(MONDAY, tick=False):
        assert send_daily_overzichten() == 0
        assert send_weekly_overzichten() == 0


def test_the_buurt_news_counts_follow_the_suppression_rule(buurt):
    """Neighbours who joined and meldingen handled in the week before: "< 10" below the
    gemeente's minimum (IndicatorInstelling.min_n_telling, default 10), exact from it."""
    members = [factories.LidmaatschapFactory(buurt=buurt) for _ in range(12)]
    reader = members[0].user
    last_week = MONDAY - timedelta(days=3)
    # 11 of them joined last week, one long ago (the history the membership workflow writes).
    for lid in members:
        moment = last_week if lid is not members[0] else last_week - timedelta(days=30)
        with time_machine.travel(moment, tick=False):
            LidmaatschapHistorie.objects.create(
                lidmaatschap=lid, van="aangevraagd", naar="lid", actie="goedkeuren"
            )
    with time_machine.travel(last_week, tick=False):
        for _ in range(3):
            melding = factories.melding(buurt=buurt)
            type(melding).objects.filter(pk=melding.pk).update(
                status="afgesloten", closed_at=timezone.now()
            )
        factories.activiteit(buurt=buurt, titel="Later", start=MONDAY + timedelta(days=3))
    with time_machine.travel(MONDAY, tick=False):
        send_weekly_overzichten()
        relay_notificaties()
    [digest] = _mails_to(reader)
    assert "Nieuwe buren vorige week: 11" in digest.body
    assert "Meldingen afgehandeld vorige week: < 10" in digest.body
    assert "- Later:" in digest.body


def test_the_weekly_digest_is_once_per_person_and_week_whatever_runs_twice(buurt):
    people = [factories.LidmaatschapFactory(buurt=buurt).user for _ in range(3)]
    with time_machine.travel(MONDAY, tick=False):
        assert send_weekly_overzichten() == 3
        assert send_weekly_overzichten() == 0
        relay_notificaties()
        relay_notificaties()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(Notificatie.objects.values_list("object_id", flat=True)) == {202653}


def test_professionals_get_no_buurt_news(buurt, police, coordinator):
    factories.LidmaatschapFactory(buurt=buurt)
    with time_machine.travel(MONDAY, tick=False):
        assert send_weekly_overzichten() == 1


def test_the_buurt_news_never_counts_an_intimidation_case(buurt):
    """The meldingen handled are those anyone may know exist: with an intimidation case closed
    the same week, the digest says 10, as Open311's public list would."""
    reader = factories.LidmaatschapFactory(buurt=buurt).user
    bedreigd = factories.CategorieFactory(naam="Ik word bedreigd (digest)", is_intimidatie=True)
    last_week = MONDAY - timedelta(days=3)
    with time_machine.travel(last_week, tick=False):
        for categorie in [None] * 10 + [bedreigd]:
            melding = factories.melding(
                buurt=buurt, **({"categorie": categorie} if categorie else {})
            )
            type(melding).objects.filter(pk=melding.pk).update(
                status="afgesloten", closed_at=timezone.now()
            )
    with time_machine.travel(MONDAY, tick=False):
        send_weekly_overzichten()
        relay_notificaties()
    [digest] = _mails_to(reader)
    assert "Meldingen afgehandeld vorige week: 10" in digest.body
