"""Two residents taking the last place at once: exactly one gets it (real Postgres)."""

import pytest

from activiteiten import services
from activiteiten.models import Aanmelding
from tests import factories
from tests.buurten.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_last_place_goes_to_exactly_one_of_two():
    buurt = factories.BuurtFactory()
    activiteit = factories.activiteit(buurt=buurt, capaciteit=1)
    a, b = (factories.LidmaatschapFactory(buurt=buurt).user for _ in range(2))

    outcomes = run_at_once(
        lambda: services.aanmelden(user=a, activiteit=activiteit),
        lambda: services.aanmelden(user=b, activiteit=activiteit),
    )

    assert sorted(o.status for o in outcomes) == ["aangemeld", "wachtlijst"]
    assert Aanmelding.objects.filter(status="aangemeld").count() == 1
