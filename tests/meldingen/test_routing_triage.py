"""Routing rules as data, and the priority and summary an officer reads first."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from meldingen import routing, services, triage
from meldingen.models import Categorie, Doel, Prioriteit, RoutingRegel
from tests import factories

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(hour, minute=0):
    return datetime(2026, 11, 28, hour, minute, tzinfo=AMS)


def test_first_matching_rule_wins_and_no_rule_goes_to_the_coordinator(buurt):
    RoutingRegel.objects.all().delete()
    categorie = factories.CategorieFactory()
    other = factories.CategorieFactory()
    specific = RoutingRegel.objects.create(
        volgorde=1, categorie=categorie, buurt=buurt, doel=Doel.BUURT
    )
    RoutingRegel.objects.create(volgorde=2, categorie=categorie, doel=Doel.HANDHAVING)

    assert routing.decide(categorie=categorie, buurt=buurt, at=at(12)).regel == specific
    elsewhere = factories.BuurtFactory()
    assert routing.decide(categorie=categorie, buurt=elsewhere, at=at(12)).doel == Doel.HANDHAVING
    fallback = routing.decide(categorie=other, buurt=buurt, at=at(12))
    assert (fallback.doel, fallback.regel) == (Doel.COORDINATOR, None)


def test_rules_by_wijk_time_of_day_over_midnight_and_inactive_rules(buurt):
    RoutingRegel.objects.all().delete()
    categorie = factories.CategorieFactory()
    RoutingRegel.objects.create(
        volgorde=1,
        categorie=categorie,
        wijk=buurt.wijk,
        vanaf=time(23),
        tot=time(7),
        doel=Doel.POLITIE,
    )
    RoutingRegel.objects.create(volgorde=2, categorie=categorie, doel=Doel.GEMEENTE, actief=False)
    RoutingRegel.objects.create(volgorde=3, doel=Doel.HANDHAVING)

    assert routing.decide(categorie=categorie, buurt=buurt, at=at(23, 30)).doel == Doel.POLITIE
    assert routing.decide(categorie=categorie, buurt=buurt, at=at(6, 59)).doel == Doel.POLITIE
    assert routing.decide(categorie=categorie, buurt=buurt, at=at(7)).doel == Doel.HANDHAVING
    assert routing.decide(categorie=categorie, buurt=buurt, at=at(14)).doel == Doel.HANDHAVING


def test_default_rules_send_nightly_nuisance_to_the_police(buurt):
    overlast = Categorie.objects.get(naam="Overlast")
    assert routing.decide(categorie=overlast, buurt=buurt, at=at(0, 30)).doel == Doel.POLITIE
    assert routing.decide(categorie=overlast, buurt=buurt, at=at(15)).doel == Doel.HANDHAVING
    dumping = Categorie.objects.get(naam="Afval of dumping")
    assert routing.decide(categorie=dumping, buurt=buurt, at=at(15)).doel == Doel.HANDHAVING
    feest = Categorie.objects.get(naam="Burenruzie of feestje")
    assert routing.decide(categorie=feest, buurt=buurt, at=at(15)).doel == Doel.BUURT
    anders = Categorie.objects.get(naam="Iets anders")
    assert routing.decide(categorie=anders, buurt=buurt, at=at(15)).doel == Doel.COORDINATOR


def test_summary_line_reads_in_two_seconds(buurt):
    drugs = factories.CategorieFactory(naam="Drugshandel", ernst=Prioriteit.HOOG)
    now = timezone.localtime(timezone.now(), AMS)
    saturday_evening = (now - timedelta(days=(now.weekday() - 5) % 7 or 7)).replace(
        hour=21, minute=40, second=0, microsecond=0
    )
    melding = factories.melding(
        buurt=buurt,
        categorie=drugs,
        wanneer=saturday_evening,
        beschrijving=services.Beschrijving(
            persoon_geslacht="man", persoon_kleding="donkere jas", voertuig_type="scooter"
        ),
    )
    for _i in range(2):
        other = factories.LidmaatschapFactory(buurt=buurt).user
        services.melding_join(user=other, melding=melding, bescherming="coordinator")
    melding.refresh_from_db()
    assert melding.samenvatting == (
        f"[HOOG] Drugshandel · {buurt.naam} · za 21:40 · 3 melders · man, donkere jas, scooter"
    )


def test_priority_rules(buurt):
    now = timezone.now()
    normal = factories.CategorieFactory(ernst=Prioriteit.NORMAAL)
    intimidatie = factories.CategorieFactory(ernst=Prioriteit.LAAG, is_intimidatie=True)

    assert factories.melding(buurt=buurt, categorie=normal).prioriteit == Prioriteit.NORMAAL
    assert factories.melding(buurt=buurt, categorie=intimidatie).prioriteit == Prioriteit.HOOG
    old_news = factories.melding(buurt=buurt, categorie=normal, wanneer=now - timedelta(days=5))
    assert old_news.prioriteit == Prioriteit.LAAG
    # The third of a kind within 30 days in the same buurt is a pattern.
    third = factories.melding(buurt=buurt, categorie=normal)
    assert triage.repeats_of(third) == 2
    assert third.prioriteit == Prioriteit.HOOG


def test_high_priority_gets_a_deadline_within_a_day(buurt):
    slow = factories.CategorieFactory(ernst=Prioriteit.HOOG, reactietermijn_uren=72)
    melding = factories.melding(buurt=buurt, categorie=slow)
    assert melding.deadline_at - melding.created_at == timedelta(hours=24)
    low = factories.CategorieFactory(ernst=Prioriteit.LAAG, reactietermijn_uren=120)
    later = factories.melding(buurt=buurt, categorie=low)
    assert later.deadline_at - later.created_at == timedelta(hours=120)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ({"voertuig_kleur": "wit", "voertuig_type": "scooter"}, "scooter (wit)"),
        (
            {"voertuig_kleur": "grijs", "voertuig_merk": "Ford", "voertuig_type": "busje"},
            "busje (Ford, grijs)",
        ),
        ({"voertuig_kleur": "rood"}, "rood"),
        ({"voertuig_type": "auto", "voertuig_kenteken": "XX-12"}, "auto, kenteken XX-12"),
    ],
)
def test_the_vehicle_reads_as_dutch_in_the_summary(buurt, typed, read):
    """The colour after the kind, so that no inflection is needed: "wit scooter" was wrong
    Dutch in the line an officer reads first ("witte scooter"), "scooter (wit)" is not."""
    melding = factories.melding(buurt=buurt, beschrijving=services.Beschrijving(**typed))
    melding.refresh_from_db()
    assert melding.samenvatting.endswith(f" · {read}")
