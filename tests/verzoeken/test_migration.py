"""Moving faciliteringsverzoeken from activiteiten to their own app keeps every row: the
requests, their history and the silent-consent rules, and the content types behind permissions
and admin log entries. The database is taken back to before the move, filled through the models
as they were then, and migrated forward again."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User
from activiteiten.models import Soort
from tests import factories
from verzoeken.models import StilzwijgendRegel, Verzoek, VerzoekHistorie

pytestmark = pytest.mark.django_db(transaction=True)

MOVED_FROM = ("activiteiten", "0007_dutch_field_labels")


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _before_the_move():
    """Every other app as it is now; activiteiten as it was, and no verzoeken app yet."""
    others = [node for node in _latest() if node[0] not in ("activiteiten", "verzoeken")]
    return [*others, MOVED_FROM]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied now
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_move():
    """The models as they were in activiteiten; the database is latest again afterwards."""
    try:
        yield _migrate(_before_the_move())
    finally:
        _migrate(_latest())
        ContentType.objects.clear_cache()


def test_every_row_survives_the_move(before_the_move):
    buurt = factories.BuurtFactory()
    aanvrager = factories.LidmaatschapFactory(buurt=buurt).user
    coordinator = factories.professional("coordinator", buurt.wijk)
    old = before_the_move
    # The kind as its table was then (a later migration adds its English name: ADR 0014).
    soort = old.get_model("activiteiten", "Soort").objects.get_or_create(naam="Oude soort")[0]
    activiteit = factories.activiteit(buurt=buurt, organisator=aanvrager, soort=Soort(pk=soort.pk))
    verzoek = old.get_model("activiteiten", "Verzoek").objects.create(
        buurt_id=buurt.pk,
        aanvrager_id=aanvrager.pk,
        activiteit_id=activiteit.pk,
        soort="budget",
        bedrag=Decimal("120.50"),
        nodig_op=date(2026, 12, 24),
        toelichting="Koffie en koek voor de opschoonochtend",
        status="toegekend",
        ingediend_at=timezone.now(),
        deadline=date(2026, 12, 10),
    )
    old.get_model("activiteiten", "VerzoekHistorie").objects.create(
        verzoek_id=verzoek.pk, van="ingediend", naar="toegekend", door_id=coordinator.pk
    )
    old.get_model("activiteiten", "StilzwijgendRegel").objects.create(
        gemeente_id=buurt.wijk.gemeente_id,
        soort="materialen",
        max_bedrag=Decimal("250"),
        werkdagen=3,
        gewijzigd_door_id=coordinator.pk,
    )
    # Content types as a database from before the move has them: only activiteiten's.
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_types.filter(app_label="verzoeken").delete()
    verzoek_type, _created = content_types.get_or_create(app_label="activiteiten", model="verzoek")
    permission, _created = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=verzoek_type, codename="change_verzoek", defaults={"name": "Can change"}
    )
    beheerder = factories.UserFactory(role="beheerder", is_staff=True)
    old.get_model("accounts", "User").objects.get(pk=beheerder.pk).user_permissions.add(
        permission.pk
    )
    old.get_model("admin", "LogEntry").objects.create(
        user_id=beheerder.pk,
        content_type_id=verzoek_type.pk,
        object_id=str(verzoek.pk),
        object_repr="Klein budget",
        action_flag=CHANGE,
        action_time=timezone.now(),
    )

    _migrate(_latest())
    ContentType.objects.clear_cache()

    moved = Verzoek.objects.select_related("activiteit").get(pk=verzoek.pk)
    assert (moved.aanvrager, moved.buurt, moved.activiteit) == (aanvrager, buurt, activiteit)
    assert (moved.status, moved.bedrag) == ("toegekend", Decimal("120.50"))
    assert list(moved.historie.values_list("van", "naar", "door")) == [
        ("ingediend", "toegekend", coordinator.pk)
    ]
    regel = StilzwijgendRegel.objects.get()
    assert (regel.soort, regel.werkdagen, regel.gewijzigd_door) == ("materialen", 3, coordinator)
    assert activiteit.verzoeken.get() == moved  # the activity still finds its request
    # The same content type, now labelled verzoeken: permissions and log entries still hold.
    assert ContentType.objects.get_for_model(Verzoek).pk == verzoek_type.pk
    assert User.objects.get(pk=beheerder.pk).has_perm("verzoeken.change_verzoek")
    assert LogEntry.objects.get(user=beheerder).get_edited_object() == moved
    # New rows carry on after the moved ones.
    later = Verzoek.objects.create(
        buurt=buurt, aanvrager=aanvrager, soort="ruimte", nodig_op=date(2027, 1, 8), toelichting="x"
    )
    assert later.pk > moved.pk
    assert VerzoekHistorie.objects.create(verzoek=later, naar="concept").pk > 0
