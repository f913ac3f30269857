"""The receipt after a report: a reference to quote, who handles it, by when the resident hears
from us and what happens next; on the page, in the resident's list and by e-mail, once."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from meldingen import services, tasks
from meldingen.models import Doel, Melding, Outbox, RoutingRegel
from meldingen.ontvangst import ontvangst
from meldingen.referentie import as_melding_reference
from meldingen.workflow import Actie
from notificaties.models import Notificatie
from notificaties.tasks import relay_notificaties
from tests import factories
from wijkaanpak.ids import REFERENCE_ALPHABET, as_reference, new_reference

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"M-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}")
# Wednesday 2 December 2026, 12:00 in Amsterdam; a term of 48 hours ends on Friday at 12:00.
WEDNESDAY_NOON = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)
FRIDAY_NOON = "vrijdag 4 december 12:00"
DESCRIPTION = "Twee mannen knippen fietsen los (KANARIE-BESCHRIJVING)"


@pytest.fixture
def categorie():
    categorie = factories.CategorieFactory(
        naam="Fietsendiefstal (ontvangst)", reactietermijn_uren=48
    )
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    return categorie


def report(client, categorie, **overrides):
    data = {
        "wat": DESCRIPTION,
        "waar": "Fietsenrek bij de supermarkt",
        "wanneer": "2026-12-02T11:50",
        "bescherming": "coordinator",
        **overrides,
    }
    url = reverse("meldingen:nieuw-categorie", kwargs={"categorie": categorie.pk})
    return client.post(url, data, follow=True)


# --- the reference ----------------------------------------------------------------------------


def test_a_reference_is_short_random_and_unambiguous():
    references = {new_reference("M") for _i in range(2000)}
    assert len(references) == 2000
    assert all(REFERENCE.fullmatch(reference) for reference in references)
    assert not set("01ILOU") & set(REFERENCE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("M-7K3Q-9PX2", "M-7K3Q-9PX2"),
        ("m-7k3q-9px2", "M-7K3Q-9PX2"),
        (" M 7K3Q 9PX2 ", "M-7K3Q-9PX2"),
        ("M7K3Q9PX2", "M-7K3Q-9PX2"),
    ],
)
def test_a_reference_as_people_type_it(typed, meant):
    assert as_reference(typed) == meant


@pytest.mark.parametrize(
    "typed", [None, "", "M-7K3Q", "M-7K3Q-9PX0", "12345", "M-7K3Q-9PX2-1", "²"]
)
def test_what_is_no_reference(typed):
    assert as_reference(typed) is None


def test_a_word_that_looks_like_a_reference_is_no_melding_reference():
    assert as_reference("Verdachte") == "V-ERDA-CHTE"  # nine letters of the alphabet
    assert as_melding_reference("Verdachte") is None
    assert as_melding_reference("m 7k3q 9px2") == "M-7K3Q-9PX2"


def test_every_melding_has_its_own_reference_and_a_taken_one_is_drawn_again(
    buurt, categorie, monkeypatch
):
    first = factories.melding(buurt=buurt, categorie=categorie)
    assert REFERENCE.fullmatch(first.referentie)
    draws = iter([first.referentie, first.referentie, "M-2345-6789"])
    field = Melding._meta.get_field("referentie")
    # Django asks the field's cached default function for each new row.
    monkeypatch.setattr(field, "_get_default", lambda: next(draws))
    second = factories.melding(buurt=buurt, categorie=categorie)
    assert second.referentie == "M-2345-6789"
    assert Melding.objects.count() == 2


# --- the page after reporting -----------------------------------------------------------------


def test_after_reporting_the_resident_reads_the_receipt_before_and_after_routing(
    login, member, categorie, django_capture_on_commit_callbacks
):
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        client = login(member)  # signed in on the day (CI may start the clock weeks away)
        response = report(client, categorie)
    melding = Melding.objects.get()
    page = response.content.decode()
    assert response.status_code == 200
    assert melding.referentie in page and REFERENCE.fullmatch(melding.referentie)
    assert "De politie" in page
    assert "we zetten je melding nu door" in page  # the routing task has not run yet
    assert f"Je hoort uiterlijk {FRIDAY_NOON} van ons." in page
    assert "De politie bekijkt je melding" in page

    # What the task decides is what the page announced.
    expected = ontvangst(melding)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.route_melding.apply(args=[Outbox.objects.get(melding=melding).pk])
    melding.refresh_from_db()
    assert (melding.doel, melding.deadline_at) == (expected.doel, expected.deadline)
    with time_machine.travel(WEDNESDAY_NOON + timedelta(minutes=1), tick=False):
        page = client.get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    page = page.content.decode()
    assert "we zetten je melding nu door" not in page
    assert f"Je hoort uiterlijk {FRIDAY_NOON} van ons." in page


def test_the_deadline_reads_in_the_readers_language():
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        melding = factories.melding(
            categorie=factories.CategorieFactory(naam="Taal (ontvangst)", reactietermijn_uren=48)
        )
    receipt = ontvangst(melding)
    assert receipt.deadline_text == FRIDAY_NOON
    with translation.override("en"):
        assert receipt.deadline_text == "Friday 4 December 12:00"


@pytest.mark.parametrize(
    ("doel", "handler", "next_step"),
    [
        (Doel.HANDHAVING, "Handhaving", "Handhaving bekijkt je melding"),
        (Doel.GEMEENTE, "De gemeente", "De gemeente plant het herstel"),
        (Doel.BUURT, "De wijkcoördinator, samen met de buurt", "met de buurt"),
        (Doel.COORDINATOR, "De wijkcoördinator", "zorgt dat de juiste partij"),
    ],
)
def test_each_handler_says_what_happens_next(login, member, doel, handler, next_step):
    categorie = factories.CategorieFactory(naam=f"Soort {doel}")
    if doel != Doel.COORDINATOR:  # no rule: the coordinator
        RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=doel)
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        page = report(login(member), categorie).content.decode()
    assert handler in page and next_step in page


def test_an_anonymous_reporter_is_told_who_and_when_but_gets_no_reference(login, member, categorie):
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        response = report(login(member), categorie, bescherming="anoniem")
    page = response.content.decode()
    melding = Melding.objects.get()
    assert "anoniem ontvangen" in page
    assert "de politie" in page and FRIDAY_NOON in page
    assert melding.referentie not in page  # nothing links the resident to it
    assert response.request["PATH_INFO"] == reverse("meldingen:mijn")


def test_a_neighbour_who_said_ik_ook_sees_the_receipt_without_the_report(login, buurt, categorie):
    melding = factories.melding(buurt=buurt, categorie=categorie, wat=DESCRIPTION)
    joiner = factories.LidmaatschapFactory(buurt=buurt).user
    services.melding_join(user=joiner, melding=melding, bescherming="coordinator")
    page = login(joiner).get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    page = page.content.decode()
    assert melding.referentie in page and "De politie" in page
    assert "KANARIE-BESCHRIJVING" not in page


def test_the_receipt_is_the_reporters_alone(login, buurt, other_buurt, categorie, police):
    melding = factories.melding(buurt=buurt, categorie=categorie)
    url = reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk})
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    elsewhere = factories.LidmaatschapFactory(buurt=other_buurt).user
    for user in (neighbour, elsewhere, police):
        assert login(user).get(url).status_code == 404
    client = login(neighbour)
    for bad in ("/meldingen/mijn/99999999/", "/meldingen/mijn/abc/", "/meldingen/mijn/1%27/"):
        assert client.get(bad).status_code == 404


# --- the e-mail -------------------------------------------------------------------------------


def test_the_receipt_is_mailed_once_even_when_routing_runs_twice(
    buurt, categorie, django_capture_on_commit_callbacks
):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        melding = factories.melding(user=reporter, categorie=categorie, route=False)
        joiner = factories.LidmaatschapFactory(buurt=buurt).user
        services.melding_join(user=joiner, melding=melding, bescherming="coordinator")
        outbox = Outbox.objects.get(melding=melding)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.route_melding.apply(args=[outbox.pk])
            tasks.route_melding.apply(args=[outbox.pk])  # redelivered
            services.melding_route(melding_id=melding.pk)  # and the service once more
        relay_notificaties()

    rows = Notificatie.objects.filter(soort=Notificatie.Soort.ONTVANGSTBEVESTIGING)
    assert list(rows.values_list("ontvanger", "object_id")) == [(reporter.pk, melding.pk)]
    (receipt,) = mail.outbox
    assert receipt.to == [reporter.email]
    assert melding.referentie in receipt.subject and melding.referentie in receipt.body
    assert "Wie pakt het op: de politie." in receipt.body
    assert f"Je hoort uiterlijk {FRIDAY_NOON} van ons." in receipt.body
    assert "De politie bekijkt je melding" in receipt.body
    # Not what was reported, and nothing of the neighbour who joined.
    assert "KANARIE" not in receipt.body
    assert joiner.email not in receipt.body and joiner.weergavenaam not in receipt.body


def test_no_receipt_mail_without_someone_to_write_to(buurt, categorie):
    anonymous = factories.LidmaatschapFactory(buurt=buurt).user
    factories.melding(user=anonymous, categorie=categorie, bescherming="anoniem")
    no_address = factories.UserFactory(email="")
    factories.LidmaatschapFactory(user=no_address, buurt=buurt)
    factories.melding(user=no_address, categorie=categorie)
    assert not Notificatie.objects.filter(soort=Notificatie.Soort.ONTVANGSTBEVESTIGING).exists()


def test_a_receipt_for_a_melding_erased_meanwhile_lapses(buurt, categorie):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=reporter, categorie=categorie)
    Melding.objects.filter(pk=melding.pk).update(anonymised_at=melding.created_at)
    relay_notificaties()
    assert mail.outbox == []
    row = Notificatie.objects.get(soort=Notificatie.Soort.ONTVANGSTBEVESTIGING)
    assert row.status == Notificatie.Status.VERVALLEN


# --- "Mijn meldingen" -------------------------------------------------------------------------


def test_my_list_shows_the_deadline_and_when_it_passed(login, buurt, categorie, police):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        melding = factories.melding(user=reporter, categorie=categorie)
    url = reverse("meldingen:mijn")

    with time_machine.travel(WEDNESDAY_NOON + timedelta(hours=47), tick=False):
        client = login(reporter)  # signed in on the day (CI may start the clock weeks away)
        page = client.get(url).content.decode()
    assert f"reactie verwacht uiterlijk {FRIDAY_NOON}" in page and "te laat" not in page

    with time_machine.travel(WEDNESDAY_NOON + timedelta(hours=49), tick=False):
        page = client.get(url).content.decode()
        detail = client.get(reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}))
    assert f"termijn verstreken op {FRIDAY_NOON}" in page and "te laat" in page
    assert f"De termijn is verstreken op {FRIDAY_NOON}" in detail.content.decode()

    with time_machine.travel(WEDNESDAY_NOON + timedelta(hours=50), tick=False):
        services.melding_transition(melding=melding, actie=Actie.ERKENNEN, by=police)
        page = client.get(url).content.decode()
    assert "termijn verstreken" not in page and "reactie verwacht" not in page


def test_the_admin_finds_a_melding_by_its_reference_as_quoted(login, buurt, categorie):
    wanted = factories.melding(buurt=buurt, categorie=categorie)
    other = factories.melding(buurt=buurt, categorie=categorie)
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    client = login(admin)
    quoted = wanted.referentie.lower().replace("-", " ")
    page = client.get("/beheer/meldingen/melding/", {"q": quoted})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [wanted]
    assert other.referentie not in page.content.decode()
    not_one = client.get("/beheer/meldingen/melding/", {"q": "M-0000-0000"})
    assert not_one.status_code == 200 and list(not_one.context["cl"].result_list) == []


def test_the_reference_stays_on_one_line_wherever_it_is_shown(
    login, buurt, categorie, police, member
):
    """ "M-7K3Q-" on one line and "9PX2" on the next cannot be quoted: each page that shows the
    reference keeps it whole (the receipt, my list, the officers' feed and case page)."""
    melding = factories.melding(user=member, categorie=categorie)
    whole = f'<span class="text-nowrap">{melding.referentie}</span>'
    resident = login(member)
    for url in (
        reverse("meldingen:mijn-detail", kwargs={"pk": melding.pk}),
        reverse("meldingen:mijn"),
    ):
        page = resident.get(url).content.decode()
        assert whole in page and page.count(melding.referentie) == page.count(whole), url
    officer = login(police)
    for url in (reverse("meldingen:feed"), reverse("meldingen:detail", kwargs={"pk": melding.pk})):
        page = officer.get(url).content.decode()
        assert whole in page and page.count(melding.referentie) == page.count(whole), url
