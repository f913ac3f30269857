"""Membership e-mails through a real Celery worker process, real Redis and Postgres.

The worker runs as its own process against the test database; tests commit their data
(transactional_db) and wait for the worker's side effects.
"""

import subprocess
import sys
from datetime import timedelta
from email import message_from_string
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from buurten import services, tasks
from buurten.models import Lidmaatschap
from tests import factories
from tests.celery_worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)


def _mails(mail_dir: Path):
    if not mail_dir.exists():
        return []
    # The file backend appends messages to one file per connection, each ended by a rule.
    texts = "".join(p.read_text() for p in sorted(mail_dir.iterdir())).split("-" * 79 + "\n")
    return [message_from_string(text.lstrip()) for text in texts if text.strip()]


def test_worker_tells_coordinators_and_welcomes_the_new_member_once(worker):
    buurt = factories.BuurtFactory()
    coordinator = factories.professional("coordinator", buurt.wijk)
    resident = factories.UserFactory()

    lidmaatschap = services.lidmaatschap_request(user=resident, buurt=buurt)
    wait_for(
        lambda: Lidmaatschap.objects.filter(
            pk=lidmaatschap.pk, coordinators_notified_at__isnull=False
        ).exists(),
        what="coordinator e-mail",
        log=worker.log,
    )
    services.lidmaatschap_decide(lidmaatschap=lidmaatschap, by=coordinator, approve=True)
    wait_for(
        lambda: Lidmaatschap.objects.filter(
            pk=lidmaatschap.pk, welcome_sent_at__isnull=False
        ).exists(),
        what="welcome e-mail",
        log=worker.log,
    )
    # A redelivered or swept task must not send again.
    tasks.send_welcome.delay(lidmaatschap.pk)
    tasks.notify_coordinators_of_request.delay(lidmaatschap.pk)
    wait_for(lambda: worker.log.read_text().count("succeeded") >= 4, what="repeats", log=worker.log)

    # Each e-mail exactly once, whatever order the files were written in.
    mails = _mails(worker.mail_dir)
    assert sorted((m["To"], buurt.naam in m["Subject"]) for m in mails) == sorted(
        [(coordinator.email, True), (resident.email, True)]
    )
    assert resident.email not in worker.log.read_text()  # no personal data in logs


def test_a_request_saved_during_a_broker_outage_is_delivered_by_the_sweep(worker):
    buurt = factories.BuurtFactory()
    coordinator = factories.professional("coordinator", buurt.wijk)
    resident = factories.UserFactory()

    # Another process whose broker is down: the request must still succeed.
    script = (
        "from accounts.models import User; from buurten.models import Buurt; "
        "from buurten import services; "
        f"services.lidmaatschap_request(user=User.objects.get(pk={resident.pk}), "
        f"buurt=Buurt.objects.get(pk={buurt.pk}))"
    )
    outage = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=BASE_DIR,
        env={**worker.env, "REDIS_URL": "redis://127.0.0.1:1/0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outage.returncode == 0, outage.stderr
    assert "left for the sweep" in outage.stderr
    lidmaatschap = Lidmaatschap.objects.get(user=resident)
    assert lidmaatschap.coordinators_notified_at is None

    # The broker is back; beat's sweep hands the waiting work to the worker.
    Lidmaatschap.objects.filter(pk=lidmaatschap.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert tasks.sweep_membership_mail() == 1
    wait_for(
        lambda: Lidmaatschap.objects.filter(
            pk=lidmaatschap.pk, coordinators_notified_at__isnull=False
        ).exists(),
        what="swept coordinator e-mail",
        log=worker.log,
    )
    assert [m["To"] for m in _mails(worker.mail_dir)] == [coordinator.email]
