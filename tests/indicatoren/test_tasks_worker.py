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
