"""Web push end to end against a push service started by the test on 127.0.0.1: the relay
delivers a notification, pushes it to each of the recipient's devices with a VAPID token the
service verifies, and the device's own keys decrypt the text. Expired endpoints are forgotten,
a failing service is retried with the outbox's backoff and each device gets a notification
once; without keys nothing is pushed and nothing breaks."""

import json
from datetime import timedelta

import http_ece
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from activiteiten import services as activiteiten
from meldingen.models import Doel, RoutingRegel
from notificaties import push, webpush
from notificaties.models import Keuze, Notificatie, PushAbonnement, PushBericht
from notificaties.services import MAX_ATTEMPTS, _deliver, claim_due
from notificaties.tasks import relay_notificaties
from tests import factories
from tests.push_service import Device, LocalPushService

pytestmark = pytest.mark.django_db

Status = Notificatie.Status


@pytest.fixture
def vapid(settings):
    settings.WIJKAANPAK_VAPID_PRIVATE_KEY, settings.WIJKAANPAK_VAPID_PUBLIC_KEY = (
        webpush.generate_keys()
    )
    settings.WIJKAANPAK_SITE_URL = "https://wijk.example.nl"
    return settings


@pytest.fixture
def service(vapid):
    with LocalPushService(vapid.WIJKAANPAK_VAPID_PUBLIC_KEY) as running:
        vapid.WIJKAANPAK_PUSH_SERVICES = [running.url]
        yield running


def subscribe(user, service, name):
    device = Device()
    push.push_subscribe(
        user=user,
        endpoint=service.endpoint(name),
        p256dh=device.p256dh,
        auth=device.auth,
        apparaat="Chrome op Android",
    )
    return device


@pytest.fixture
def waiting(buurt):
    """A full activity: one place taken, Sanne first on the waiting list."""
    activiteit = factories.activiteit(buurt=buurt, capaciteit=1, titel="Opschoonochtend")
    first = factories.LidmaatschapFactory(buurt=buurt).user
    sanne = factories.LidmaatschapFactory(buurt=buurt, user__email="sanne@example.org").user
    signup = activiteiten.aanmelden(user=first, activiteit=activiteit)
    activiteiten.aanmelden(user=sanne, activiteit=activiteit)
    return activiteit, first, signup, sanne


def free_the_place(waiting, capture):
    _activiteit, first, signup, _sanne = waiting
    with capture(execute=True):  # the relay runs after the commit, in process
        activiteiten.afmelden(aanmelding=signup, user=first)


def test_a_freed_place_reaches_each_of_her_devices_signed_and_encrypted(
    service, waiting, django_capture_on_commit_callbacks
):
    activiteit, first, _signup, sanne = waiting
    phone, laptop = subscribe(sanne, service, "telefoon"), subscribe(sanne, service, "laptop")
    subscribe(first, service, "van-een-ander")

    free_the_place(waiting, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["sanne@example.org"]]  # the e-mail, as before
    assert sorted(r.path for r in service.received) == ["/push/laptop", "/push/telefoon"]
    assert service.refused == []  # every token verified against the public key
    notificatie = Notificatie.objects.get(soort=Notificatie.Soort.WACHTLIJST)
    for received in service.received:
        device = phone if received.path.endswith("telefoon") else laptop
        message = device.decrypt(received.body)
        assert message == {
            "titel": "Er is plek: je doet mee aan Opschoonochtend",
            "tekst": "Er is een plek voor je vrijgekomen.",
            "url": "https://wijk.example.nl" + activiteit.get_absolute_url(),
            "tag": f"n{notificatie.pk}",
        }
        assert received.headers["Content-Encoding"] == "aes128gcm"
        assert received.headers["TTL"] == str(24 * 3600)
        assert received.headers["Topic"] == f"n{notificatie.pk}"
        assert received.headers["Urgency"] == "normal"
        assert received.claims["aud"] == service.url
        # The other device cannot read it: the payload is encrypted for one browser.
        other = laptop if device is phone else phone
        with pytest.raises(http_ece.ECEException, match="Decryption error"):
            other.decrypt(received.body)
    assert set(PushBericht.objects.values_list("status", flat=True)) == {Status.VERZONDEN}
    assert PushAbonnement.objects.filter(user=sanne, last_success_at=None).count() == 0

    relay_notificaties()  # beat's sweep a minute later: nothing more
    assert len(service.received) == 2 and len(mail.outbox) == 1


def test_an_expired_endpoint_is_forgotten_and_the_other_device_still_gets_it(
    service, waiting, django_capture_on_commit_callbacks
):
    _activiteit, _first, _signup, sanne = waiting
    subscribe(sanne, service, "oud")
    phone = subscribe(sanne, service, "telefoon")
    service.gone = {"/push/oud"}  # the browser dropped that subscription

    free_the_place(waiting, django_capture_on_commit_callbacks)

    assert sorted(r.path for r in service.received) == ["/push/oud", "/push/telefoon"]
    kept = PushAbonnement.objects.get(user=sanne)  # the one answered 410 is gone
    assert kept.endpoint == service.endpoint("telefoon")
    delivered = next(r for r in service.received if r.path == "/push/telefoon")
    assert phone.decrypt(delivered.body)["tekst"] == "Er is een plek voor je vrijgekomen."
    assert PushBericht.objects.get().abonnement == kept
    wachtlijst = Notificatie.objects.get(soort=Notificatie.Soort.WACHTLIJST)
    assert wachtlijst.status == Status.VERZONDEN  # the e-mail is unaffected


def test_a_failing_push_service_is_retried_with_backoff_and_the_device_gets_it_once(
    service, waiting, django_capture_on_commit_callbacks
):
    _activiteit, _first, _signup, sanne = waiting
    phone = subscribe(sanne, service, "telefoon")
    service.answers = [500, 503]
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        free_the_place(waiting, django_capture_on_commit_callbacks)
        row = PushBericht.objects.get()
        assert (row.status, row.last_error, row.attempts) == (Status.WACHTEND, "PushRefused 500", 1)
        assert row.next_attempt_at == start + timedelta(seconds=60)

        clock.shift(timedelta(seconds=59))
        relay_notificaties()
        assert len(service.received) == 1  # not due yet: not tried
        clock.shift(timedelta(seconds=1))
        relay_notificaties()
        row.refresh_from_db()
        assert (row.last_error, row.next_attempt_at) == (
            "PushRefused 503",
            timezone.now() + timedelta(seconds=120),
        )
        clock.shift(timedelta(seconds=120))
        relay_notificaties()
        for _sweep in range(3):  # beat keeps running: nothing is pushed again
            clock.shift(timedelta(minutes=10))
            relay_notificaties()
    accepted = service.received[2:]
    assert len(service.received) == 3 and len(accepted) == 1
    assert phone.decrypt(accepted[0].body)["titel"].startswith("Er is plek")
    row.refresh_from_db()
    assert row.status == Status.VERZONDEN and row.attempts == 3
    assert len(mail.outbox) == 1  # the retries of the push send no e-mail again


def test_a_push_signed_with_another_key_is_refused_by_the_service(
    service, waiting, django_capture_on_commit_callbacks
):
    """The local service really checks the token: with the site's keys replaced by another
    pair after the device subscribed, its 403 leaves the push waiting for a retry."""
    _activiteit, _first, _signup, sanne = waiting
    subscribe(sanne, service, "telefoon")
    service.public_key = webpush.generate_keys()[1]  # what the device subscribed with
    free_the_place(waiting, django_capture_on_commit_callbacks)
    assert service.received == [] and len(service.refused) == 1
    row = PushBericht.objects.get()
    assert (row.status, row.last_error) == (Status.WACHTEND, "PushRefused 403")


def test_a_push_that_keeps_failing_ends_as_failed(
    service, waiting, django_capture_on_commit_callbacks
):
    _activiteit, _first, _signup, sanne = waiting
    subscribe(sanne, service, "telefoon")
    service.answers = [502] * MAX_ATTEMPTS
    with time_machine.travel(timezone.now(), tick=False) as clock:
        free_the_place(waiting, django_capture_on_commit_callbacks)
        for _attempt in range(MAX_ATTEMPTS):
            clock.shift(timedelta(hours=6))
            relay_notificaties()
    row = PushBericht.objects.get()
    assert (row.status, row.attempts, row.last_error) == (
        Status.MISLUKT,
        MAX_ATTEMPTS,
        "PushRefused 502",
    )
    assert len(service.received) == MAX_ATTEMPTS
    assert PushAbonnement.objects.filter(user=sanne).exists()  # not gone: only unreachable


def test_a_worker_that_died_holding_a_push_leaves_it_to_the_next_after_the_lease(
    service, waiting, settings
):
    """The broker is down, so nothing runs after the commit. A worker delivers the e-mail
    (which queues the push), claims the push and is killed before sending: its transaction
    rolls back, its claim stays. The sweep leaves the push alone until the lease ends, then
    pushes it once; later sweeps push nothing more."""
    _activiteit, first, signup, sanne = waiting
    phone = subscribe(sanne, service, "telefoon")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        activiteiten.afmelden(aanmelding=signup, user=first)
        token, ids = claim_due(Notificatie)
        assert _deliver(ids[0], token) == Status.VERZONDEN  # the e-mail, and the push queued
        _token, claimed = claim_due(PushBericht)  # ...and then the worker is killed
        assert len(claimed) == 1 and service.received == []
        relay_notificaties()
        assert service.received == []  # held by the dead worker's lease
        clock.shift(timedelta(seconds=settings.WIJKAANPAK_NOTIFICATIE_LEASE + 1))
        for _sweep in range(3):
            relay_notificaties()
            clock.shift(timedelta(minutes=1))
    assert len(service.received) == 1 and len(mail.outbox) == 1
    row = PushBericht.objects.get()
    assert phone.decrypt(service.received[0].body)["tag"] == f"n{row.notificatie_id}"
    assert row.status == Status.VERZONDEN and row.attempts == 2


def test_only_push_worthy_kinds_are_pushed(service, buurt, django_capture_on_commit_callbacks):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    activiteit = factories.activiteit(organisator=organiser)
    neighbour = factories.LidmaatschapFactory(buurt=buurt).user
    subscribe(neighbour, service, "telefoon")
    activiteiten.aanmelden(user=neighbour, activiteit=activiteit)
    with django_capture_on_commit_callbacks(execute=True):
        activiteiten.bericht_versturen(activiteit=activiteit, by=organiser, tekst="Tot morgen")
    assert len(mail.outbox) == 1  # the organiser's message goes by e-mail...
    assert service.received == [] and not PushBericht.objects.exists()  # ...not by push


def test_a_push_whose_cause_is_gone_lapses(service, waiting):
    _activiteit, first, signup, sanne = waiting
    subscribe(sanne, service, "telefoon")
    promoted = activiteiten.afmelden(aanmelding=signup, user=first)
    with time_machine.travel(timezone.now(), tick=False):
        token, ids = claim_due(Notificatie)  # the e-mail goes out...
        _deliver(ids[0], token)
        activiteiten.afmelden(aanmelding=promoted, user=sanne)  # ...she gives the place up
        relay_notificaties()
    assert service.received == []
    assert PushBericht.objects.get().status == Status.VERVALLEN


def test_without_keys_nothing_is_pushed_and_nothing_breaks(
    settings, waiting, django_capture_on_commit_callbacks
):
    settings.WIJKAANPAK_VAPID_PRIVATE_KEY = settings.WIJKAANPAK_VAPID_PUBLIC_KEY = ""
    _activiteit, _first, _signup, sanne = waiting
    PushAbonnement.objects.create(  # left from when keys were set
        user=sanne, endpoint="https://fcm.googleapis.com/fcm/send/x", p256dh="a", auth="b"
    )
    free_the_place(waiting, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert not PushBericht.objects.exists()
    call_command("check")  # no error for keys that are simply not set


def test_half_a_key_pair_or_a_wrong_pair_fails_the_check(settings):
    from django.core.management.base import SystemCheckError

    private, _public = webpush.generate_keys()
    _other_private, other_public = webpush.generate_keys()
    settings.WIJKAANPAK_VAPID_PRIVATE_KEY, settings.WIJKAANPAK_VAPID_PUBLIC_KEY = private, ""
    with pytest.raises(SystemCheckError, match="only one of"):
        call_command("check")
    settings.WIJKAANPAK_VAPID_PUBLIC_KEY = other_public
    with pytest.raises(SystemCheckError, match="does not belong"):
        call_command("check")


def test_the_command_makes_a_pair_that_passes_the_check(settings, capsys):
    call_command("vapid_sleutels")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    settings.WIJKAANPAK_VAPID_PRIVATE_KEY = lines["WIJKAANPAK_VAPID_PRIVATE_KEY"]
    settings.WIJKAANPAK_VAPID_PUBLIC_KEY = lines["WIJKAANPAK_VAPID_PUBLIC_KEY"]
    assert webpush.key_problem() is None
    call_command("check")


@pytest.mark.parametrize(
    ("endpoint", "allowed"),
    [
        ("https://fcm.googleapis.com/fcm/send/abc", True),
        ("https://web.push.apple.com/QG9", True),
        ("https://wns2-db5p.notify.windows.com/w/?token=x", True),
        ("http://fcm.googleapis.com/fcm/send/abc", False),  # not over TLS
        ("https://fcm.googleapis.com.evil.example/x", False),
        ("https://169.254.169.254/latest/meta-data", False),  # the worker is no proxy
        ("https://user:pw@fcm.googleapis.com/x", False),
        ("https://fcm.googleapis.com:8443/x", False),
        ("https://notify.windows.com.example/x", False),
    ],
)
def test_only_known_push_services_are_accepted(settings, endpoint, allowed):
    settings.WIJKAANPAK_PUSH_SERVICES = [
        "https://fcm.googleapis.com",
        "https://web.push.apple.com",
        "https://*.notify.windows.com",
    ]
    assert webpush.service_allowed(endpoint) is allowed


def test_the_deploy_check_stays_clean_with_a_pair_and_names_a_broken_one():
    import os
    import secrets

    from tests.test_operations import deploy_check

    private, public = webpush.generate_keys()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "wijk.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://wijk.example.org",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
        "WIJKAANPAK_SITE_URL": "https://wijk.example.org",
        "DJANGO_SETTINGS_MODULE": "wijkaanpak.settings",
        "WIJKAANPAK_VAPID_PRIVATE_KEY": private,
        "WIJKAANPAK_VAPID_PUBLIC_KEY": public,
    }
    result = deploy_check(env)
    assert result.returncode == 0 and "no issues" in result.stdout, result.stdout + result.stderr
    broken = deploy_check({**env, "WIJKAANPAK_VAPID_PUBLIC_KEY": webpush.generate_keys()[1]})
    assert broken.returncode != 0 and "notificaties.E001" in broken.stdout + broken.stderr


def test_a_failed_push_shows_in_the_admin_without_the_device_and_can_be_retried(
    service, waiting, django_capture_on_commit_callbacks, login
):
    _activiteit, _first, _signup, sanne = waiting
    phone = subscribe(sanne, service, "telefoon")
    free_the_place(waiting, django_capture_on_commit_callbacks)
    row = PushBericht.objects.get()
    PushBericht.objects.filter(pk=row.pk).update(
        status=Status.MISLUKT, last_error="PushRefused 502", finished_at=timezone.now()
    )
    service.received.clear()
    admin = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    client = login(admin)
    url = "/beheer/notificaties/pushbericht/"
    page = client.get(url, {"status__exact": Status.MISLUKT}).content.decode()
    assert "PushRefused 502" in page and f"Gebruiker #{sanne.pk}" in page
    assert service.url not in page and "telefoon" not in page  # no endpoint
    # Nor can a filter in the address find pushes by endpoint.
    assert client.get(url, {"abonnement__endpoint__contains": "tele"}).status_code == 400
    retry = {"action": "retry_now", "_selected_action": [row.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, retry, follow=True)
    assert "1 bericht opnieuw aangeboden." in answer.content.decode()
    assert len(service.received) == 1
    assert phone.decrypt(service.received[0].body)["titel"].startswith("Er is plek")
    row.refresh_from_db()
    assert row.status == Status.VERZONDEN


def test_an_officer_gets_a_push_for_a_high_priority_melding_in_the_area(
    service, buurt, police, django_capture_on_commit_callbacks
):
    categorie = factories.CategorieFactory(naam="Drugshandel", ernst=3)
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    phone = subscribe(police, service, "telefoon")
    with django_capture_on_commit_callbacks(execute=True):
        melding = factories.melding(buurt=buurt, categorie=categorie)
    relay_notificaties()
    [received] = service.received
    message = phone.decrypt(received.body)
    assert message["titel"] == f"[HOOG] Drugshandel in {buurt.naam}"
    assert message["tekst"] == "Een melding met hoge prioriteit in je gebied."
    assert message["url"].endswith(melding.get_absolute_url())
    assert received.headers["Urgency"] == "high"
    # Nothing of the reporter or the person seen goes to the device.
    assert melding.wat not in json.dumps(message)


def test_a_new_activity_is_pushed_to_a_neighbour_who_asked_for_it_at_once_only(
    service, buurt, django_capture_on_commit_callbacks
):
    organiser = factories.LidmaatschapFactory(buurt=buurt).user
    eager = factories.LidmaatschapFactory(buurt=buurt).user
    default = factories.LidmaatschapFactory(buurt=buurt).user
    factories.kiest(eager, {Notificatie.Soort.NIEUWE_ACTIVITEIT: Keuze.DIRECT})
    eager_phone = subscribe(eager, service, "eager")
    subscribe(default, service, "default")
    with django_capture_on_commit_callbacks(execute=True):
        activiteit = factories.activiteit(organisator=organiser, buurt=buurt, titel="Burendag")
    relay_notificaties()
    [received] = service.received  # the neighbour on the default hears it in her weekly digest
    assert received.path == "/push/eager"
    message = eager_phone.decrypt(received.body)
    assert message["tekst"] == "Een buur organiseert iets in je buurt."
    assert message["url"].endswith(activiteit.get_absolute_url())
