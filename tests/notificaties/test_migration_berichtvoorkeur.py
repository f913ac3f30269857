"""The e-mail choice about activities that the Voorkeuren page used to keep (``berichtvoorkeur``)
moves to the choices per kind on "Meldingen en berichten" (notificaties 0011, accounts 0008):
nobody hears more, or less, than they chose. The database is taken back to before the move,
filled as it was then, and migrated forward again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notificaties import voorkeuren
from notificaties.models import Berichtinstelling, Keuze, Notificatie

pytestmark = pytest.mark.django_db(transaction=True)

Soort = Notificatie.Soort
BEFORE = [("accounts", "0007_user_taal"), ("notificaties", "0010_verzoek_nieuw")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_each_residents_activity_mail_choice_becomes_her_choice_per_kind(settings):
    settings.WIJKAANPAK_STILLE_UREN = True
    try:
        old = _migrate(BEFORE)
        User = old.get_model("accounts", "User")
        OldInstelling = old.get_model("notificaties", "Berichtinstelling")

        def person(name, voorkeur):
            return User.objects.create(email=f"{name}@example.org", berichtvoorkeur=voorkeur)

        direct, dagelijks, geen = (person(v, v) for v in ("direct", "dagelijks", "geen"))
        chose_already = person("koos", "geen")
        OldInstelling.objects.create(
            user_id=chose_already.pk, keuzes={Soort.HERINNERING: Keuze.DIRECT}, stille_uren=False
        )
    finally:
        _migrate(_latest())

    saved = {i.user_id: i for i in Berichtinstelling.objects.all()}
    assert direct.pk not in saved  # at once was the default: nothing to keep
    assert saved[dagelijks.pk].keuzes == {Soort.HERINNERING: Keuze.DAG, Soort.BERICHT: Keuze.DAG}
    assert saved[geen.pk].keuzes == {
        Soort.WACHTLIJST: Keuze.UIT,
        Soort.HERINNERING: Keuze.UIT,
        Soort.BERICHT: Keuze.UIT,
    }
    # Her own choice per kind, and her quiet hours, stand.
    assert saved[chose_already.pk].keuzes[Soort.HERINNERING] == Keuze.DIRECT
    assert saved[chose_already.pk].keuzes[Soort.BERICHT] == Keuze.UIT
    assert saved[chose_already.pk].stille_uren is False
    # Who got a row for the move keeps the site's quiet hours, as without one.
    assert voorkeuren.stille_uren(saved[geen.pk]) is not None
    assert voorkeuren.keuze(saved[dagelijks.pk], Soort.WACHTLIJST) == Keuze.DIRECT
