"""Snapshots stored while the target was called "doel" read like new ones after the rename, and
the migration can be undone."""

import importlib

import pytest
from django.apps import apps

from indicatoren.models import Snapshot

from .views_support import cel, snapshot

pytestmark = pytest.mark.django_db

migration = importlib.import_module("indicatoren.migrations.0003_streefwaarde_not_doel")


def test_stored_snapshots_get_the_new_keys_and_keep_their_figures(buurt):
    old = snapshot(
        buurt=buurt,
        waarden={"bereik": cel(9.5, 240), "doel": {"waarde": 20}, "doel_aantal": {"waarde": 200}},
    )
    new = snapshot(wijk=buurt.wijk, waarden={"bereik": cel(7.5, 90)})

    migration.forwards(apps, None)

    assert Snapshot.objects.get(pk=old.pk).waarden == {
        "bereik": cel(9.5, 240),
        "streefwaarde": {"waarde": 20},
        "streefwaarde_aantal": {"waarde": 200},
    }
    assert Snapshot.objects.get(pk=new.pk).waarden == {"bereik": cel(7.5, 90)}

    migration.backwards(apps, None)

    assert Snapshot.objects.get(pk=old.pk).waarden == old.waarden
