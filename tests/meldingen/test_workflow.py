"""The melding workflow table is the behaviour: every pair of state and action through the real
services, and no code that changes a melding's status around the one function that asks it."""

import pytest
from django.core.exceptions import ValidationError

from meldingen import services
from meldingen.models import Doel, Melder, Melding, StatusWijziging
from meldingen.workflow import CLOSED, Actie, Status, target_of
from tests import factories
from tests.status_writes import status_writes_outside


def _perform(melding: Melding, actie: str, *, officer, reporter) -> None:
    """``actie`` through the service that offers it: routing is the system's, reopening the
    reporter's ("not solved"), the rest the officers'."""
    if actie == Actie.ROUTEREN:
        if not services.meldingen_route(melding_ids=[melding.pk]):
            raise ValidationError("not routed")  # a melding not received is left alone
    elif actie == Actie.HEROPENEN:
        melder = Melder.objects.get(melding=melding, user=reporter)
        services.melder_oordeel(melder=melder, user=reporter, opgelost=False)
    else:
        services.melding_transition(
            melding=melding, actie=actie, by=officer, terugkoppeling="Bericht aan de melders."
        )


@pytest.mark.django_db
@pytest.mark.parametrize("actie", Actie.values)
@pytest.mark.parametrize("status", Status.values)
def test_every_state_and_action_follows_the_table(status, actie, buurt, police):
    reporter = factories.LidmaatschapFactory(buurt=buurt).user
    melding = factories.melding(user=reporter, route=False)
    # The state under test is set up directly: reaching some states takes several steps.
    Melding.objects.filter(pk=melding.pk).update(
        status=status, doel=Doel.POLITIE, closed_at=melding.created_at if status in CLOSED else None
    )
    history = StatusWijziging.objects.filter(melding=melding)
    before = history.count()
    target = target_of(actie, status)

    if target is None:
        with pytest.raises(ValidationError):
            _perform(melding, actie, officer=police, reporter=reporter)
        assert Melding.objects.get(pk=melding.pk).status == status
        assert history.count() == before
    else:
        _perform(melding, actie, officer=police, reporter=reporter)
        melding.refresh_from_db()
        assert melding.status == target
        assert (melding.closed_at is not None) == (target in CLOSED)
        last = history.latest("pk")
        assert (history.count(), last.van, last.naar) == (before + 1, status, target)


# Where a melding's status may be written: the one function that asks the table, and the
# batch write of routing, which saves what that function set.
ALLOWED = {
    ("meldingen/services.py", "_move", "assignment"),
    ("meldingen/services.py", "meldingen_route", "bulk_update"),
}


def test_only_the_workflow_function_changes_a_meldings_status():
    assert status_writes_outside(model="Melding", app="meldingen", allowed=ALLOWED) == []


@pytest.mark.django_db
def test_routing_through_the_table_keeps_its_bulk_writes(buurt):
    """A batch of ten routes in as many queries as a batch of two (bench/README.md, "Routing
    drains a backlog in batches"): the table is asked in Python, per melding, without a query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(n: int) -> int:
        reporter = factories.LidmaatschapFactory(buurt=buurt).user
        ids = [factories.melding(user=reporter, route=False).pk for _i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            assert sorted(services.meldingen_route(melding_ids=ids)) == sorted(ids)
        return len(queries)

    assert queries_for(10) == queries_for(2)
