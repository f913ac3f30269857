"""Every e-mail to a person is written in the language that person uses the site in
(``User.taal``), chosen when the relay sends it: the receipt of a melding, the alert to the
officers of a team. A team's shared address gets the site's language."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from meldingen import tasks
from meldingen.models import Doel, Melding, Outbox, RoutingRegel
from notificaties.models import Notificatie
from notificaties.tasks import relay_notificaties
from tests import factories

pytestmark = pytest.mark.django_db

WEDNESDAY_NOON = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(naam="Fietsendiefstal (taal)", reactietermijn_uren=48)
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def file_and_route(client, categorie, django_capture_on_commit_callbacks) -> Melding:
    """A melding filed through the form, routed by the task, its receipt sent by the relay."""
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    data = {
        "wat": "Twee mannen knippen fietsen los",
        "waar": "Fietsenrek bij de supermarkt",
        "wanneer": "2026-12-02T11:50",
        "bescherming": "coordinator",
    }
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        assert client.post(url, data).status_code == 302
        melding = Melding.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.route_melding.apply(args=[Outbox.objects.get(melding=melding).pk])
        relay_notificaties()
    return melding


def test_a_resident_who_uses_the_site_in_english_gets_the_receipt_in_english(
    login, member, categorie, django_capture_on_commit_callbacks
):
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        client = login(member)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
    melding = file_and_route(client, categorie, django_capture_on_commit_callbacks)

    (receipt,) = mail.outbox
    assert receipt.to == [member.email]
    assert receipt.subject == f"Your report has been received ({melding.referentie})"
    assert "Thank you for your report" in receipt.body
    assert "Who handles it: the police." in receipt.body
    assert "You will hear from us by Friday 4 December 12:00." in receipt.body
    assert "Dank je" not in receipt.body and "vrijdag" not in receipt.body


def test_the_receipt_is_dutch_by_default(
    login, member, categorie, django_capture_on_commit_callbacks
):
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        client = login(member)
    melding = file_and_route(client, categorie, django_capture_on_commit_callbacks)

    (receipt,) = mail.outbox
    assert receipt.subject == f"Je melding is ontvangen ({melding.referentie})"
    assert "Wie pakt het op: de politie." in receipt.body
    assert "Je hoort uiterlijk vrijdag 4 december 12:00 van ons." in receipt.body


def test_a_switch_after_the_event_but_before_sending_counts(buurt, categorie):
    """The row holds no language: the relay reads the recipient's preference when it sends."""
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    with time_machine.travel(WEDNESDAY_NOON, tick=False) as clock:
        factories.melding(user=reporter, categorie=categorie)
        row = Notificatie.objects.get(soort=Notificatie.Soort.ONTVANGSTBEVESTIGING)
        assert "taal" not in row.params
        clock.shift(timedelta(minutes=5))  # the relay runs after the event, on the same clock
        reporter.taal = "en"
        reporter.save(update_fields=["taal"])
        relay_notificaties()
    (receipt,) = mail.outbox
    assert receipt.subject.startswith("Your report has been received")


def test_each_recipient_reads_their_own_language_and_a_team_address_dutch(buurt, wijk):
    """One event, three recipients: the intimidation alert to an English-speaking coordinator,
    a Dutch-speaking one and their team's shared address."""
    categorie = factories.CategorieFactory(naam="Intimidatie (taal)", is_intimidatie=True)
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    english = factories.professional("coordinator", wijk, taal="en")
    dutch = factories.UserFactory(role="coordinator", team=english.team)
    english.team.email = "team@example.org"
    english.team.save()
    factories.melding(buurt=buurt, categorie=categorie)  # routed: the coordinators are told
    relay_notificaties()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert {english.email, dutch.email, "team@example.org"} <= set(by_address)
    assert by_address[english.email].subject.startswith("Request for support from a resident")
    assert by_address[dutch.email].subject.startswith("Steunverzoek van een bewoner")
    assert by_address["team@example.org"].subject.startswith("Steunverzoek van een bewoner")


def test_an_officer_who_uses_english_gets_the_overdue_alert_in_english(buurt, police, wijk):
    urgent = factories.CategorieFactory(naam="Drugshandel (taal)", ernst=3)
    RoutingRegel.objects.create(volgorde=1, categorie=urgent, doel=Doel.POLITIE)
    police.taal = "en"
    police.save(update_fields=["taal"])
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        melding = factories.melding(buurt=buurt, categorie=urgent)
        relay_notificaties()  # the reporter's receipt
    mail.outbox.clear()
    with time_machine.travel(melding.deadline_at + timedelta(minutes=1), tick=False):
        assert tasks.alert_overdue.apply().get() == 1
        relay_notificaties()
    (alert,) = mail.outbox
    assert alert.to == [police.email]
    assert alert.subject.startswith(f"Deadline passed: report {melding.referentie}")
