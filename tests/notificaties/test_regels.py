"""Each kind's line in the inbox (``notificaties.soorten.summarise``), for a cause made by the
app's own services: what it says, where it links, and that it goes when its cause does."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from activiteiten import services as activiteiten
from buurten import services as buurten
from meldingen import services as meldingen
from meldingen.models import Doel, RoutingRegel
from notificaties import soorten
from notificaties.models import Notificatie
from notificaties.services import notify
from tests import factories
from verzoeken import services as verzoeken

pytestmark = pytest.mark.django_db

Soort = Notificatie.Soort


def _line(user, soort) -> soorten.Regel | None:
    row = Notificatie.objects.get(ontvanger=user, soort=soort)
    return soorten.summarise([row]).get(row.pk)


def _notify(soort, object_id, user, **params):
    with transaction.atomic():
        notify(soort=soort, object_id=object_id, ontvangers=[user], params=params, relay=False)


def test_a_membership_request_tells_the_coordinator_the_buurt_not_the_person(buurt, coordinator):
    resident = factories.UserFactory(weergavenaam="Canarie-Kwetter")
    lidmaatschap = buurten.aanvraag_create(user=resident, buurt=buurt)
    line = _line(coordinator, Soort.LIDMAATSCHAP_AANVRAAG)
    assert line.tekst == f"Iemand wil lid worden van {buurt}."
    assert "Canarie" not in line.titel + line.tekst
    assert line.url == reverse("buurten:aanvragen")
    type(lidmaatschap).objects.filter(pk=lidmaatschap.pk).update(status="afgewezen")
    assert _line(coordinator, Soort.LIDMAATSCHAP_AANVRAAG) is None  # decided: no longer news


def test_welcome_links_to_the_buurt(member, buurt):
    _notify(Soort.WELKOM, member.lidmaatschappen.get().pk, member)
    line = _line(member, Soort.WELKOM)
    assert (line.titel, line.url) == ("Welkom in de buurt", buurt.get_absolute_url())


def test_a_reminder_stays_after_the_start_and_goes_when_given_up_or_cancelled(member, buurt):
    activiteit = factories.activiteit(buurt=buurt, titel="Opschoondag")
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    for person in (member, neighbour):
        aanmelding = activiteiten.aanmelden(user=person, activiteit=activiteit)
        _notify(Soort.HERINNERING, aanmelding.pk, person)
    line = _line(member, Soort.HERINNERING)
    assert line.tekst.startswith("Opschoondag · ") and line.url == activiteit.get_absolute_url()
    activiteiten.afmelden(aanmelding=aanmelding, user=neighbour)
    assert _line(neighbour, Soort.HERINNERING) is None
    type(activiteit).objects.filter(pk=activiteit.pk).update(
        start=timezone.now() - timedelta(hours=1)
    )
    assert _line(member, Soort.HERINNERING) is not None
    type(activiteit).objects.filter(pk=activiteit.pk).update(geannuleerd_at=timezone.now())
    assert _line(member, Soort.HERINNERING) is None


def test_the_day_overview_counts_what_still_stands(buurt):
    activiteit = factories.activiteit(buurt=buurt)
    organiser = activiteit.organisator
    people = [factories.LidmaatschapFactory(buurt=buurt).user for _ in range(3)]
    aanmeldingen = [activiteiten.aanmelden(user=p, activiteit=activiteit) for p in people]
    activiteiten.afmelden(aanmelding=aanmeldingen[0], user=people[0])
    _notify(Soort.DAGOVERZICHT, 20261203, organiser, aanmeldingen=[a.pk for a in aanmeldingen])
    line = _line(organiser, Soort.DAGOVERZICHT)
    assert (line.titel, line.tekst) == ("Dagoverzicht", "2 aanmeldingen")
    assert line.url == activiteit.get_absolute_url()


def test_a_decision_on_a_request_names_the_request_and_the_outcome(member, buurt, coordinator):
    verzoek = factories.submitted_verzoek(
        member,
        buurt,
        soort="contact",
        nodig_op=timezone.localdate() + timedelta(days=24),
        toelichting="Contact met de woningcorporatie",
    )
    verzoeken.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="toekennen")
    line = _line(member, Soort.VERZOEK_BESLUIT)
    assert line.tekst == f"{verzoek}: Toegekend"
    assert line.url == verzoek.get_absolute_url()


def test_a_submitted_request_tells_the_coordinator_its_deadline_then_its_outcome(
    member, buurt, coordinator
):
    verzoek = factories.submitted_verzoek(
        member,
        buurt,
        soort="contact",
        nodig_op=timezone.localdate() + timedelta(days=24),
        toelichting="Contact met de woningcorporatie",
    )
    deadline = date_format(verzoek.deadline, "j F")
    line = _line(coordinator, Soort.VERZOEK_NIEUW)
    assert (line.titel, line.tekst) == (
        "Nieuw verzoek ingediend",
        f"{verzoek} · besluit uiterlijk {deadline}",
    )
    assert line.url == verzoek.get_absolute_url()
    verzoeken.verzoek_besluiten(verzoek=verzoek, by=coordinator, actie="toekennen")
    assert _line(coordinator, Soort.VERZOEK_NIEUW).tekst == f"{verzoek} · Toegekend"


def test_an_overdue_melding_shows_while_it_waits_for_a_reaction(buurt, police):
    categorie = factories.CategorieFactory(naam="Drugshandel (regels)")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    melding = factories.melding(buurt=buurt, categorie=categorie, wat="Geheim detail")
    routed = melding.historie.get(naar="gerouteerd")
    _notify(Soort.TERMIJN_VERSTREKEN, routed.pk, police)
    line = _line(police, Soort.TERMIJN_VERSTREKEN)
    assert line.tekst == f"Drugshandel (regels) · {buurt} · {melding.referentie}"
    assert "Geheim" not in line.tekst and line.url == melding.get_absolute_url()
    meldingen.melding_transition(melding=melding, actie="erkennen", by=police)
    assert _line(police, Soort.TERMIJN_VERSTREKEN) is None


def test_activity_lines_write_their_moment_as_the_site_does_in_english_too(member, buurt):
    """The inbox writes moments one way ("12 dec 2026 19:00"); activity lines used the
    language's DATETIME_FORMAT, which reads "Dec. 12, 2026, 7 p.m." in English beside it."""
    from django.utils import translation

    activiteit = factories.activiteit(buurt=buurt, titel="Buurtkoffie")
    _notify(Soort.STARTER_UITNODIGING, activiteit.pk, member)
    start = timezone.localtime(activiteit.start)
    with translation.override("en"):
        tekst = _line(member, Soort.STARTER_UITNODIGING).tekst
        assert tekst == f"Buurtkoffie · {date_format(start, 'j b Y H:i')}"
    assert "m." not in tekst and f"{start:%H:%M}" in tekst


def test_a_starter_invitation_goes_once_the_activity_is_past(member, buurt):
    activiteit = factories.activiteit(buurt=buurt, titel="Buurtkoffie")
    _notify(Soort.STARTER_UITNODIGING, activiteit.pk, member)
    assert _line(member, Soort.STARTER_UITNODIGING).tekst.startswith("Buurtkoffie · ")
    type(activiteit).objects.filter(pk=activiteit.pk).update(
        start=timezone.now() - timedelta(minutes=1)
    )
    assert _line(member, Soort.STARTER_UITNODIGING) is None
