"""Web push with real `celery worker` processes, Redis and Postgres, and a push service on
127.0.0.1 (docs/adr/0015-web-push.md): a worker killed while a push service holds its POST
leaves every device with the notification, the one caught in the window with the same topic and
tag twice (which a push service and a device replace rather than add), the others once."""

import signal
import time
from collections import Counter

import pytest
from django.utils import timezone

from activiteiten import services as activiteiten
from notificaties import push, webpush
from notificaties.models import Notificatie, PushBericht
from notificaties.tasks import relay_notificaties
from tests import factories
from tests.celery_worker import Worker, wait_for
from tests.push_service import Device, LocalPushService
from tests.test_worker import _mails

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Status = Notificatie.Status


def _relay_runs(worker) -> int:
    return sum(
        "relay_notificaties" in line and "succeeded" in line
        for line in worker.log.read_text().splitlines()
    )


def _relay_and_wait(worker) -> None:
    before = _relay_runs(worker)
    relay_notificaties.delay()
    wait_for(lambda: _relay_runs(worker) > before, what="the relay", log=worker.log)


def test_a_worker_killed_mid_push_leaves_each_device_with_the_notification(
    tmp_path, queue, settings
):
    private, public = webpush.generate_keys()
    settings.WIJKAANPAK_VAPID_PRIVATE_KEY, settings.WIJKAANPAK_VAPID_PUBLIC_KEY = private, public
    lease = 20
    with LocalPushService(public) as service:
        settings.WIJKAANPAK_PUSH_SERVICES = [service.url]
        env = {
            "WIJKAANPAK_VAPID_PRIVATE_KEY": private,
            "WIJKAANPAK_VAPID_PUBLIC_KEY": public,
            "WIJKAANPAK_PUSH_SERVICES": service.url,
            "WIJKAANPAK_PUSH_TIMEOUT": "120",  # the worker waits: it is killed meanwhile
            "WIJKAANPAK_NOTIFICATIE_LEASE": str(lease),
        }
        buurt = factories.BuurtFactory()
        activiteit = factories.activiteit(buurt=buurt, capaciteit=1)
        first = factories.LidmaatschapFactory(buurt=buurt).user
        sanne = factories.LidmaatschapFactory(buurt=buurt).user
        signup = activiteiten.aanmelden(user=first, activiteit=activiteit)
        activiteiten.aanmelden(user=sanne, activiteit=activiteit)
        devices = {}
        for name in ("een", "traag", "drie"):
            devices[name] = Device()
            push.push_subscribe(
                user=sanne,
                endpoint=service.endpoint(name),
                p256dh=devices[name].p256dh,
                auth=devices[name].auth,
            )
        service.hang = "/push/traag"

        worker = Worker(tmp_path, queue, name="first", env=env)
        activiteiten.afmelden(aanmelding=signup, user=first)  # after commit: the relay
        assert service.hanging.wait(timeout=30), worker.log.read_text()[-3000:]
        second = Worker(tmp_path, queue, name="second", env=env)
        try:
            worker.process.send_signal(signal.SIGKILL)  # killed while the service holds it
            worker.process.wait(timeout=20)
            lease_ends = max(
                PushBericht.objects.exclude(claim=None).values_list("claimed_until", flat=True)
            )
            _relay_and_wait(second)  # within the lease: the dead worker's claims hold
            assert timezone.now() < lease_ends, "the machine was too slow for this check"
            assert Counter(r.path for r in service.received)["/push/traag"] == 1
            time.sleep(max(0.0, (lease_ends - timezone.now()).total_seconds() + 0.5))
            _relay_and_wait(second)
            _relay_and_wait(second)  # and the next run finds nothing
        finally:
            second.stop()

    posts = Counter(r.path for r in service.received)
    assert posts == {"/push/een": 1, "/push/drie": 1, "/push/traag": 2}
    assert [m["To"] for m in _mails(worker.mail_dir)] == [sanne.email]  # the e-mail once
    assert set(PushBericht.objects.values_list("status", flat=True)) == {Status.VERZONDEN}
    twice = [r for r in service.received if r.path == "/push/traag"]
    assert twice[0].headers["Topic"] == twice[1].headers["Topic"]
    messages = [devices["traag"].decrypt(r.body) for r in twice]
    assert messages[0] == messages[1]  # same tag: shown once on the device
