"""The officers' daily summary of their area: counts of the day's meldingen for their team and
of those still waiting, once a day, only their own area and target, and not for whoever
switched it off."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from meldingen import notices
from meldingen.models import Doel, RoutingRegel
from meldingen.tasks import send_gebiedsoverzicht
from notificaties.models import Keuze, Notificatie
from notificaties.services import berichtinstelling_save
from notificaties.tasks import relay_notificaties
from tests import factories

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
MORNING = datetime(2026, 10, 25, 7, 0, tzinfo=AMS)  # the night the clocks went back
Soort = Notificatie.Soort


@pytest.fixture
def politie_categorie():
    categorie = factories.CategorieFactory(naam="Drugshandel", ernst=3)
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def test_each_officer_gets_the_summary_of_their_area_once_a_day(
    buurt, police, enforcement, politie_categorie
):
    elsewhere = factories.professional("politie", factories.WijkFactory())
    with time_machine.travel(MORNING - timedelta(hours=10), tick=False):
        for _ in range(2):
            factories.melding(buurt=buurt, categorie=politie_categorie)
        factories.melding(buurt=buurt, categorie=factories.CategorieFactory(ernst=1))
    with time_machine.travel(MORNING, tick=False):
        assert send_gebiedsoverzicht() == 3
        assert send_gebiedsoverzicht() == 3  # the same rows: the outbox holds them once
        mail.outbox.clear()
        relay_notificaties()
    assert Notificatie.objects.filter(soort=Soort.GEBIEDSOVERZICHT).count() == 3
    summaries = [m for m in mail.outbox if m.subject.startswith("Je gebied")]
    [summary] = [m for m in summaries if m.to == [police.email]]
    assert summary.subject == "Je gebied: 2 nieuwe meldingen, 2 met hoge prioriteit"
    assert "Nu wachten 2 meldingen op een reactie, waarvan 0 over de termijn." in summary.body
    assert elsewhere.email not in {m.to[0] for m in summaries}  # nothing there: lapses


def test_an_officer_who_switched_it_off_gets_none(buurt, police, politie_categorie):
    berichtinstelling_save(
        user=police,
        keuzes={Soort.GEBIEDSOVERZICHT: Keuze.UIT},
        stille_uren=True,
        stil_van=time(22),
        stil_tot=time(7),
    )
    factories.melding(buurt=buurt, categorie=politie_categorie)
    send_gebiedsoverzicht()
    mail.outbox.clear()
    relay_notificaties()
    assert Notificatie.objects.get(soort=Soort.GEBIEDSOVERZICHT).status == "uit"
    assert not [m for m in mail.outbox if m.subject.startswith("Je gebied")]


@pytest.mark.parametrize(
    ("saturday", "sunday", "routed", "counted"),
    [
        # 28 March 2027: Sunday's summary comes 23 hours after Saturday's, at 07:00 again.
        (datetime(2027, 3, 27, 7, 0), datetime(2027, 3, 28, 7, 0), time(6, 30), [1, 0]),
        # 31 October 2027: 25 hours after it.
        (datetime(2027, 10, 30, 7, 0), datetime(2027, 10, 31, 7, 0), time(7, 30), [0, 1]),
    ],
)
def test_each_morning_counts_from_the_morning_before_across_a_dst_switch(
    buurt, police, politie_categorie, saturday, sunday, routed, counted
):
    with time_machine.travel(datetime.combine(saturday.date(), routed, tzinfo=AMS), tick=False):
        factories.melding(buurt=buurt, categorie=politie_categorie)
    nieuw = []
    for morning in (saturday, sunday):
        with time_machine.travel(morning.replace(tzinfo=AMS), tick=False):
            send_gebiedsoverzicht()
            row = Notificatie.objects.get(
                soort=Soort.GEBIEDSOVERZICHT,
                ontvanger=police,
                object_id=int(morning.strftime("%Y%m%d")),
            )
            _template, context = notices.gebiedsoverzicht(row)
        nieuw.append(context["nieuw"])
    assert nieuw == counted
