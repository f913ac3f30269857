"""Membership e-mails through a real Celery worker process, real Redis and Postgres.

The worker runs as its own process against the test database; tests commit their data
(transactional_db) and wait for the worker's side effects. A broker outage, a refused mailbox
and a worker killed mid-send: tests/test_worker_notificaties.py.
"""

from email import message_from_string
from pathlib import Path

import pytest
from django.conf import settings

from buurten import services
from notificaties.models import Notificatie
from notificaties.tasks import relay_notificaties
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

    sent = Notificatie.objects.filter(status=Notificatie.Status.VERZONDEN)
    lidmaatschap = services.aanvraag_create(user=resident, buurt=buurt)
    wait_for(lambda: sent.count() == 1, what="coordinator e-mail", log=worker.log)
    services.aanvraag_decide(lidmaatschap=lidmaatschap, by=coordinator, approve=True)
    wait_for(lambda: sent.count() == 2, what="welcome e-mail", log=worker.log)
    # Beat's run of the relay (the sweep) must not send again.
    relay_notificaties.delay()
    wait_for(lambda: worker.log.read_text().count("succeeded") >= 3, what="repeats", log=worker.log)

    # Each e-mail exactly once, whatever order the files were written in.
    mails = _mails(worker.mail_dir)
    assert sorted((m["To"], buurt.naam in m["Subject"]) for m in mails) == sorted(
        [(coordinator.email, True), (resident.email, True)]
    )
    assert resident.email not in worker.log.read_text()  # no personal data in logs
