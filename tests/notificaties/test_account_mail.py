"""allauth's account mail (verification, password reset, "unknown account") goes through the
notification outbox: a mail server that is down fails no request and loses no message; the
relay delivers each once, with its one-time link, and then the row no longer holds it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notificaties.models import Notificatie
from notificaties.services import MAX_ATTEMPTS, notificaties_retry, queue_account_mail
from notificaties.tasks import relay_notificaties
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

Soort, Status = Notificatie.Soort, Notificatie.Status
CONFIRM = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")
RESET = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)")


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingLocmemBackend"
    settings.TEST_REFUSED_ADDRESSES = ["sanne@example.org", "niemand@example.org"]
    return settings


def _later(minutes=10):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def _assert_erased(row: Notificatie) -> None:
    row.refresh_from_db()
    assert row.status == Status.VERZONDEN
    assert (row.adres, row.onderwerp, row.tekst, row.html) == ("", "", "", "")


def _signup(client):
    return client.post(
        reverse("account_signup"),
        {
            "email": "sanne@example.org",
            "weergavenaam": "Sanne",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_sign_up_while_the_mail_server_refuses_succeeds_and_the_link_arrives_once_later(
    client, refusing, django_capture_on_commit_callbacks
):
    """Before: allauth sent in the request, so the refusal answered 500 and the mail was lost."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="sanne@example.org")
    row = Notificatie.objects.get()
    assert (row.soort, row.status, row.attempts) == (Soort.ACCOUNT, Status.WACHTEND, 1)
    assert row.last_error == "SMTPRecipientsRefused 550"
    assert mail.outbox == []

    refusing.TEST_REFUSED_ADDRESSES = []  # the mail server works again
    with _later():
        relay_notificaties()
        relay_notificaties()  # a second run (beat) sends nothing twice
    (message,) = mail.outbox
    assert message.to == ["sanne@example.org"]
    assert message.subject.startswith("[Wijkaanpak] ")
    link = CONFIRM.search(message.body).group(1)
    _assert_erased(row)
    assert link not in str(Notificatie.objects.values().get())

    assert client.post(link).status_code == 302
    assert user.emailaddress_set.get().verified


def test_password_reset_for_a_known_and_an_unknown_address_is_delivered_once_each(client, resident):
    known = client.post(reverse("account_reset_password"), {"email": resident.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    rows = Notificatie.objects.filter(soort=Soort.ACCOUNT, status=Status.WACHTEND)
    assert rows.count() == 2  # queued with the request, not sent in it
    assert mail.outbox == []

    relay_notificaties()
    relay_notificaties()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([resident.email, "niemand@example.org"])
    (to_resident,) = (m for m in mail.outbox if m.to == [resident.email])
    (to_unknown,) = (m for m in mail.outbox if m.to == ["niemand@example.org"])
    link = RESET.search(to_resident.body).group(1)
    assert not RESET.search(to_unknown.body)
    for row in Notificatie.objects.all():
        _assert_erased(row)
    assert link not in str(list(Notificatie.objects.values()))
    # The link works: it leads to the form to choose a new password.
    assert Client().get(link, follow=True).status_code == 200


def test_each_verification_resend_is_a_message_of_its_own(client, refusing):
    """The event key is per message: asking again queues a new one, not nothing."""
    refusing.TEST_REFUSED_ADDRESSES = []
    for _ in range(2):
        client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert Notificatie.objects.filter(soort=Soort.ACCOUNT).count() == 2
    relay_notificaties()
    assert len(mail.outbox) == 2


def test_the_admin_shows_neither_the_address_nor_the_link(login):
    resident = factories.UserFactory(email="bewoner@example.org")
    anonymous = Client()
    anonymous.post(reverse("account_reset_password"), {"email": resident.email})
    anonymous.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    rows = list(Notificatie.objects.filter(soort=Soort.ACCOUNT))
    assert len(rows) == 2 and all(row.tekst for row in rows)

    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    client = login(admin)
    pages = [client.get(reverse("admin:notificaties_notificatie_changelist"))]
    pages += [
        client.get(reverse("admin:notificaties_notificatie_change", args=[row.pk])) for row in rows
    ]
    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200 and "Accountbericht" in text
        for secret in ("bewoner@example.org", "niemand@example.org", "/password/reset/key/"):
            assert secret not in text
        assert "een e-mailadres (niet getoond)" in text
    # Nor does a filter on them answer "this address asked for a reset" (no oracle).
    changelist = reverse("admin:notificaties_notificatie_changelist")
    for lookup in ("adres", "tekst__contains", "onderwerp__icontains"):
        probe = client.get(changelist, {lookup: "niemand@example.org"})
        assert probe.status_code == 400


def test_an_account_mail_failing_for_good_is_erased_and_not_offered_again(refusing, client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
        row = Notificatie.objects.get()
        for _attempt in range(MAX_ATTEMPTS):
            relay_notificaties()
            clock.shift(timedelta(hours=7))
    row.refresh_from_db()
    assert row.status == Status.MISLUKT and row.last_error == "SMTPRecipientsRefused 550"
    assert (row.adres, row.onderwerp, row.tekst, row.html) == ("", "", "", "")
    assert notificaties_retry(ids=[row.pk]) == 0  # nothing left to send: one asks anew
    assert mail.outbox == []


def test_an_html_alternative_is_delivered_with_the_text_and_then_erased():
    """allauth renders an HTML body too when the project has a *_message.html template."""
    message = EmailMultiAlternatives("Onderwerp", "Tekst met link", to=["iemand@example.org"])
    message.attach_alternative("<p>HTML met link</p>", "text/html")
    queue_account_mail(message)
    relay_notificaties()
    (sent,) = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (
        ["iemand@example.org"],
        "Onderwerp",
        "Tekst met link",
    )
    assert sent.alternatives[0][:2] == ("<p>HTML met link</p>", "text/html")
    _assert_erased(Notificatie.objects.get())
