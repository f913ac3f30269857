"""The notification outbox in-process: one row per recipient and event, written with the change,
each message delivered once, a refused address retried with backoff and then shown as failed."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from activiteiten import services as activiteiten
from notificaties.models import Notificatie
from notificaties.services import MAX_ATTEMPTS, notify
from notificaties.tasks import purge_notificaties, relay_notificaties
from tests import factories

pytestmark = pytest.mark.django_db

Status = Notificatie.Status


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingLocmemBackend"
    settings.TEST_REFUSED_ADDRESSES = ["weigert@example.org"]
    return settings


@pytest.fixture
def three_participants(buurt):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser)
    people = [
        factories.LidmaatschapFactory(buurt=buurt, user__email=email).user
        for email in ("een@example.org", "weigert@example.org", "drie@example.org")
    ]
    for person in people:
        activiteiten.aanmelden(user=person, activiteit=activiteit)
    return organiser, activiteit, people


def test_one_refused_address_does_not_send_the_others_twice(
    refusing, three_participants, django_capture_on_commit_callbacks
):
    """Before: send_bericht stopped at the refused address and its retry sent the whole list
    again (3 recipients, 4 mails)."""
    organiser, activiteit, _people = three_participants
    with django_capture_on_commit_callbacks(execute=True):
        activiteiten.bericht_versturen(activiteit=activiteit, by=organiser, tekst="Tot morgen!")
    assert sorted(m.to[0] for m in mail.outbox) == ["drie@example.org", "een@example.org"]


def test_a_refused_address_is_retried_with_backoff_then_failed_visibly(
    refusing, three_participants, django_capture_on_commit_callbacks
):
    organiser, activiteit, _people = three_participants
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            bericht = activiteiten.bericht_versturen(
                activiteit=activiteit, by=organiser, tekst="Tot morgen!"
            )
        refused = Notificatie.objects.get(ontvanger__email="weigert@example.org")
        waits = []
        for _attempt in range(1, MAX_ATTEMPTS):
            refused.refresh_from_db()
            assert refused.status == Status.WACHTEND
            assert refused.last_error == "SMTPRecipientsRefused 550"  # no address, no text
            wait = refused.next_attempt_at - timezone.now()
            waits.append(wait.total_seconds())
            clock.shift(wait - timedelta(seconds=1))
            assert relay_notificaties() == {}  # not due yet: nothing is tried
            clock.shift(timedelta(seconds=1))
            relay_notificaties()
        refused.refresh_from_db()
    assert waits[:4] == [60, 120, 240, 480]  # doubling from the default base
    assert refused.status == Status.MISLUKT and refused.attempts == MAX_ATTEMPTS
    assert refused.finished_at is not None
    # The others were delivered once, whatever happened to the refused address.
    assert sorted(m.to[0] for m in mail.outbox) == ["drie@example.org", "een@example.org"]
    assert Notificatie.objects.filter(object_id=bericht.pk, status=Status.VERZONDEN).count() == 2


def test_failed_messages_show_in_the_admin_and_can_be_retried_now(
    refusing, three_participants, django_capture_on_commit_callbacks, login
):
    organiser, activiteit, _people = three_participants
    with django_capture_on_commit_callbacks(execute=True):
        activiteiten.bericht_versturen(activiteit=activiteit, by=organiser, tekst="Geheim adres")
    refused = Notificatie.objects.get(ontvanger__email="weigert@example.org")
    Notificatie.objects.filter(pk=refused.pk).update(
        status=Status.MISLUKT, finished_at=timezone.now()
    )
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    client = login(admin)
    url = reverse("admin:notificaties_notificatie_changelist")

    page = client.get(url, {"status__exact": Status.MISLUKT}).content.decode()
    assert "SMTPRecipientsRefused 550" in page
    assert f"Gebruiker #{refused.ontvanger_id}" in page
    assert "weigert@example.org" not in page and "Geheim adres" not in page
    detail = client.get(reverse("admin:notificaties_notificatie_change", args=[refused.pk]))
    assert detail.status_code == 200 and "weigert@example.org" not in detail.content.decode()

    refusing.TEST_REFUSED_ADDRESSES = []  # the mailbox works again
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            url, {"action": "retry_now", "_selected_action": [refused.pk]}, follow=True
        )
    assert "1 bericht opnieuw aangeboden." in answer.content.decode()
    refused.refresh_from_db()
    assert refused.status == Status.VERZONDEN
    assert sorted(m.to[0] for m in mail.outbox) == [
        "drie@example.org",
        "een@example.org",
        "weigert@example.org",
    ]


def _a_change_that_fails(user):
    with transaction.atomic():
        notify(soort=Notificatie.Soort.WELKOM, object_id=1, ontvangers=[user])
        raise RuntimeError("the change fails: its message goes with it")


def test_a_message_exists_only_with_its_change_and_once_per_recipient_and_event(member):
    with pytest.raises(RuntimeError):
        _a_change_that_fails(member)
    assert not Notificatie.objects.exists()
    with transaction.atomic():
        for _again in range(3):  # a double click, a retried task
            notify(soort=Notificatie.Soort.WELKOM, object_id=1, ontvangers=[member])
    assert Notificatie.objects.count() == 1


def test_a_message_whose_cause_is_gone_lapses_unsent(buurt):
    activiteit = factories.activiteit(buurt=buurt, capaciteit=1)
    first, second = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))
    signup = activiteiten.aanmelden(user=first, activiteit=activiteit)
    activiteiten.aanmelden(user=second, activiteit=activiteit)
    promoted = activiteiten.afmelden(aanmelding=signup, user=first)  # relay not run yet
    activiteiten.afmelden(aanmelding=promoted, user=second)  # ...and the place is given up
    relay_notificaties()
    assert Notificatie.objects.get(soort=Notificatie.Soort.WACHTLIJST).status == Status.VERVALLEN
    assert mail.outbox == []  # the organiser hears of the sign-ups in the daily digest


def test_messages_are_rendered_in_the_sites_language_not_the_senders(
    three_participants, django_capture_on_commit_callbacks
):
    organiser, activiteit, _people = three_participants
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        activiteiten.bericht_versturen(activiteit=activiteit, by=organiser, tekst="Hoi")
    assert {m.subject for m in mail.outbox} == {f"Bericht over {activiteit.titel}"}


def test_handled_messages_are_forgotten_after_the_retention_period(
    three_participants, django_capture_on_commit_callbacks, settings
):
    organiser, activiteit, people = three_participants
    with django_capture_on_commit_callbacks(execute=True):
        activiteiten.bericht_versturen(activiteit=activiteit, by=organiser, tekst="Hoi")
    with transaction.atomic():
        notify(soort=Notificatie.Soort.WELKOM, object_id=99, ontvangers=[people[0]], relay=False)
    later = timezone.now() + timedelta(days=settings.WIJKAANPAK_NOTIFICATIE_KEEP_DAYS, hours=1)
    with time_machine.travel(later):
        # The three messages sent stay in their recipients' inboxes in the site...
        assert purge_notificaties() == 0
    # ... until the inbox's own period has passed too.
    later = timezone.now() + timedelta(days=settings.WIJKAANPAK_BERICHTEN_KEEP_DAYS, hours=1)
    with time_machine.travel(later):
        assert purge_notificaties() == 3
    # Still waiting: the welcome, and the sign-ups for the organiser's daily digest.
    assert sorted(Notificatie.objects.values_list("status", flat=True)) == [
        *[Status.GEBUNDELD] * 3,
        Status.WACHTEND,
    ]


def test_a_line_break_in_a_title_cannot_add_headers_or_stop_the_others(
    three_participants, django_capture_on_commit_callbacks
):
    organiser, activiteit, _people = three_participants
    type(activiteit).objects.filter(pk=activiteit.pk).update(  # posted past the form
        titel="Ronde\r\nBcc: buiten@example.net"
    )
    activiteit.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        activiteiten.bericht_versturen(activiteit=activiteit, by=organiser, tekst="Hoi")
    assert len(mail.outbox) == 3
    assert {m.subject for m in mail.outbox} == {"Bericht over Ronde Bcc: buiten@example.net"}
    assert all(m.bcc == [] and "buiten@example.net" not in m.recipients() for m in mail.outbox)
