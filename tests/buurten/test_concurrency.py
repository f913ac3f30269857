"""Races that only a real database shows: double clicks and two deciders at once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from buurten import services
from buurten.models import Lidmaatschap
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(*calls):
    """Run the calls in parallel threads, each with its own connection; return the outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        barrier.wait()
        try:
            outcomes[index] = call()
        except (ValidationError, PermissionDenied) as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_a_double_click_on_join_creates_one_aanvraag():
    resident = factories.UserFactory()
    buurt = factories.BuurtFactory()

    outcomes = run_at_once(*[lambda: services.aanvraag_create(user=resident, buurt=buurt)] * 4)

    assert sum(isinstance(o, Lidmaatschap) for o in outcomes) == 1
    assert all(isinstance(o, (Lidmaatschap, ValidationError)) for o in outcomes)
    assert Lidmaatschap.objects.filter(user=resident).count() == 1


def test_two_coordinators_deciding_at_once_give_one_decision():
    buurt = factories.BuurtFactory()
    first = factories.professional("coordinator", buurt.wijk)
    second = factories.professional("coordinator", buurt.wijk)
    request = services.aanvraag_create(user=factories.UserFactory(), buurt=buurt)

    outcomes = run_at_once(
        lambda: services.aanvraag_decide(lidmaatschap=request, by=first, approve=True),
        lambda: services.aanvraag_decide(
            lidmaatschap=request, by=second, approve=False, reden="Onbekend adres"
        ),
    )

    decided = [o for o in outcomes if isinstance(o, Lidmaatschap)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(decided), len(refused)) == (1, 1)
    assert "al besloten" in refused[0].messages[0]
    request.refresh_from_db()
    assert request.status == decided[0].status
