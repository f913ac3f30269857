"""A computation requested from the dashboard runs on a real Celery worker and reports progress."""

import pytest

from indicatoren import services
from indicatoren.models import Berekening, Snapshot
from tests import factories
from tests.celery_worker import wait_for

from .conftest import EXAMPLE, closed_round, members, past_activity, responses, took_part

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_requested_computation_completes_on_the_worker(worker):
    buurt = factories.BuurtFactory()
    coordinator = factories.professional("coordinator", buurt.wijk)
    responses(closed_round(buurt.wijk), buurt, EXAMPLE, count=30)
    activiteit = past_activity(buurt)
    for user in members(buurt, 10):
        took_part(user, activiteit)

    berekening = services.berekening_request(gemeente=buurt.wijk.gemeente, by=coordinator)
    seen = set()

    def finished():
        current = Berekening.objects.get(pk=berekening.pk)
        seen.add(current.voortgang)
        return current.status == Berekening.Status.KLAAR

    wait_for(finished, what="computation", log=worker.log)

    berekening.refresh_from_db()
    assert berekening.voortgang == 100 and berekening.klaar_at is not None
    assert max(seen) == 100
    waarden = Snapshot.objects.get(buurt=buurt).waarden
    assert waarden["sociale_cohesie"]["waarde"] == 7.5
    assert waarden["bereik"]["n"] == 10
    assert coordinator.email not in worker.log.read_text()


def test_two_nightly_runs_on_the_worker_publish_one_version(worker):
    """Beat fired twice (or a run was retried): both publish tasks reach the worker, and the
    quarter is published once. The worker runs on the real clock: the last ended quarter."""
    from django.db import transaction

    from indicatoren import kwartaal
    from indicatoren.models import Publicatie

    buurt = factories.BuurtFactory()
    with transaction.atomic():  # both runs look before either task has run: two tasks
        services.berekening_nightly()
        services.berekening_nightly()

    def both_ran():
        return worker.log.read_text().count("publish_quarter[") >= 4  # received and succeeded

    wait_for(both_ran, what="two publish tasks", log=worker.log)
    log = worker.log.read_text()
    assert log.count("indicatoren.tasks.publish_quarter[") == 4, log[-2000:]
    assert "raised" not in log
    start, eind = kwartaal.last_ended()
    [publicatie] = Publicatie.objects.all()
    assert (publicatie.periode_start, publicatie.periode_eind, publicatie.versie) == (
        start,
        eind,
        1,
    )
    assert publicatie.snapshots.filter(buurt=buurt).count() == 1
