"""``field__among``: the same rows as ``field__in``, the list sent as one array on Postgres."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from buurten.models import Buurt
from meldingen.models import Melding

from . import factories


@pytest.fixture
def three_buurten(db):
    buurten = factories.BuurtFactory.create_batch(3)
    for buurt in buurten:
        factories.melding(buurt=buurt)
    return buurten


@pytest.mark.parametrize("pick", [slice(0, 1), slice(0, 2), slice(0, 3), slice(0, 0)])
def test_among_a_list_finds_what_in_finds(three_buurten, pick):
    ids = [buurt.pk for buurt in three_buurten[pick]]
    among = set(Melding.objects.filter(buurt__among=ids).values_list("pk", flat=True))
    assert among == set(Melding.objects.filter(buurt__in=ids).values_list("pk", flat=True))
    assert len(among) == len(ids)


def test_among_a_subquery_finds_what_in_finds(three_buurten):
    some = Buurt.objects.filter(pk__in=[three_buurten[0].pk, three_buurten[2].pk])
    among = set(Melding.objects.filter(buurt__among=some).values_list("buurt_id", flat=True))
    assert among == {three_buurten[0].pk, three_buurten[2].pk}


def test_among_leaves_out_none_and_excludes_with_not(three_buurten):
    first = three_buurten[0].pk
    assert Melding.objects.filter(buurt__among=[first, None]).count() == 1
    assert Melding.objects.exclude(buurt__among=[first]).count() == 2


@pytest.mark.postgres
def test_on_postgres_a_long_list_is_one_parameter(three_buurten):
    """A gemeente's 517 buurten: one array, not 517 parameters to compile and send."""
    ids = [buurt.pk for buurt in three_buurten] + list(range(10**9, 10**9 + 514))
    with CaptureQueriesContext(connection) as captured:
        assert Melding.objects.filter(buurt__among=ids).count() == 3
    sql = captured.captured_queries[0]["sql"]
    assert "= ANY(" in sql
    assert " IN (" not in sql
