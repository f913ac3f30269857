"""A reminder goes out once, even when beat fires again after the worker was restarted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activiteiten import services, tasks
from activiteiten.models import Aanmelding
from tests import factories
from tests.celery_worker import Worker, wait_for
from tests.test_worker import _mails

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_reminder_is_sent_once_across_a_worker_restart(worker, tmp_path):
    buurt = factories.BuurtFactory()
    activiteit = factories.activiteit(buurt=buurt, start=timezone.now() + timedelta(hours=20))
    person = factories.LidmaatschapFactory(buurt=buurt).user
    signup = services.aanmelden(user=person, activiteit=activiteit)

    tasks.send_reminders.delay()
    wait_for(
        lambda: Aanmelding.objects.filter(pk=signup.pk, herinnerd_at__isnull=False).exists(),
        what="reminder",
        log=worker.log,
    )
    worker.stop()

    restarted = Worker(tmp_path, worker.queue, name="restarted")
    try:
        tasks.send_reminders.delay()  # beat fires again after the restart
        wait_for(
            lambda: "succeeded" in restarted.log.read_text(), what="second run", log=restarted.log
        )
    finally:
        restarted.stop()
    mails = _mails(worker.mail_dir)
    assert [m["To"] for m in mails] == [person.email]
    assert activiteit.titel in mails[0]["Subject"]
