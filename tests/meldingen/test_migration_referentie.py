"""Meldingen from before references get one each when the migrations run: random, of the
scheme, none twice. The database is taken back to before the field, filled through the model
as it was then, and migrated forward again."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from meldingen.models import Melding
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("meldingen", "0017_melding_zoektekst_trigram")
REFERENCE = re.compile(r"M-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}")


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_references():
    try:
        yield _migrate([BEFORE])
    finally:
        _migrate(_latest())


def test_existing_meldingen_get_a_reference_each(before_references):
    buurt = factories.BuurtFactory()
    # The category as its table was then (later migrations add columns: ADR 0014).
    categorie = before_references.get_model("meldingen", "Categorie").objects.create(
        naam="Van voor de referenties", toelichting="Oud"
    )
    old = before_references.get_model("meldingen", "Melding")
    ids = [
        old.objects.create(
            buurt_id=buurt.pk,
            categorie_id=categorie.pk,
            wat="Oud",
            waar="Ergens",
            wanneer=timezone.now(),
        ).pk
        for _i in range(5)
    ]
    _migrate(_latest())
    references = list(Melding.objects.filter(pk__in=ids).values_list("referentie", flat=True))
    assert len(references) == 5 and len(set(references)) == 5
    assert all(REFERENCE.fullmatch(reference) for reference in references)
