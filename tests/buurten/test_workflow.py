"""The membership table is the behaviour: every pair of state and action through the real
services, a history row of who did what for each change, and that history never edited."""

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from buurten import services, workflow
from buurten.models import Lidmaatschap, LidmaatschapHistorie
from buurten.workflow import Actie, Status
from tests import factories
from tests.status_writes import status_writes_outside

pytestmark = pytest.mark.django_db

# How a membership in each state came about, as far as the services look at it.
VIA = {
    Status.AANGEVRAAGD: "",
    Status.LID: Lidmaatschap.Via.BORGSTELLING,  # recent: the coordinator can still undo it
    Status.AFGEWEZEN: "",
    Status.INGETROKKEN: "",
    Status.BEEINDIGD: Lidmaatschap.Via.COORDINATOR,
}


@pytest.fixture
def people(buurt, coordinator):
    neighbours = [factories.LidmaatschapFactory(buurt=buurt).user for _n in range(2)]
    return {"coordinator": coordinator, "neighbours": neighbours}


def _perform(lidmaatschap, actie, people):
    """``actie`` through the service that offers it; returns who should be named as ``door``."""
    resident, coordinator = lidmaatschap.user, people["coordinator"]
    if actie == Actie.CODE:
        code = factories.UitnodigingscodeFactory(buurt=lidmaatschap.buurt).code
        services.lidmaatschap_join_with_code(user=resident, code=code)
        return resident
    if actie in (Actie.GOEDKEUREN, Actie.AFWIJZEN):
        services.aanvraag_decide(
            lidmaatschap=lidmaatschap,
            by=coordinator,
            approve=actie == Actie.GOEDKEUREN,
            reden="Adres onbekend.",
        )
        return coordinator
    if actie == Actie.INSTAAN:
        for borg in people["neighbours"]:
            services.lidmaatschap_vouch(lidmaatschap=lidmaatschap, borg=borg)
        return people["neighbours"][-1]  # the vouch that completed it
    if actie == Actie.TERUGDRAAIEN:
        services.lidmaatschap_undo_vouched(
            lidmaatschap=lidmaatschap, by=coordinator, reden="Niemand kent dit adres."
        )
        return coordinator
    if actie == Actie.INTREKKEN:
        services.aanvraag_withdraw(lidmaatschap=lidmaatschap, user=resident)
        return resident
    services.lidmaatschap_end(lidmaatschap=lidmaatschap, user=resident)
    return resident


@pytest.mark.parametrize("actie", [a for a in Actie.values if a != Actie.AANVRAGEN])
@pytest.mark.parametrize("status", Status.values)
def test_every_state_and_action_follows_the_table(status, actie, buurt, people):
    lidmaatschap = factories.LidmaatschapFactory(
        buurt=buurt, status=status, via=VIA[status], decided_at=timezone.now()
    )
    target = workflow.TRANSITIONS[actie][1] if workflow.allows(status, actie) else None
    if (status, actie) == (Status.AANGEVRAAGD, Actie.BEEINDIGEN):
        # Ending an aanvraag is withdrawing it: the service picks the action the table allows.
        actie, target = Actie.INTREKKEN, Status.INGETROKKEN
    history = LidmaatschapHistorie.objects.filter(lidmaatschap=lidmaatschap)

    if target is None:
        if actie == Actie.CODE and status not in Lidmaatschap.ACTIVE:
            _perform(lidmaatschap, actie, people)  # a new membership; this one is history
        else:
            with pytest.raises((ValidationError, PermissionDenied)):
                _perform(lidmaatschap, actie, people)
        assert Lidmaatschap.objects.get(pk=lidmaatschap.pk).status == status
        assert not history.exists()
    else:
        door = _perform(lidmaatschap, actie, people)
        lidmaatschap.refresh_from_db()
        assert lidmaatschap.status == target
        assert list(history.values_list("van", "naar", "actie", "door")) == [
            (status, target, actie, door.pk)
        ]


def test_an_aanvraag_and_a_code_start_with_their_history(buurt, other_buurt):
    resident = factories.UserFactory()
    aanvraag = services.aanvraag_create(user=resident, buurt=other_buurt)
    code = factories.UitnodigingscodeFactory(buurt=buurt).code
    lid = services.lidmaatschap_join_with_code(user=resident, code=code)

    rows = LidmaatschapHistorie.objects.order_by("pk").values_list(
        "lidmaatschap", "van", "naar", "actie", "door"
    )
    assert list(rows) == [
        (aanvraag.pk, "", Status.AANGEVRAAGD, Actie.AANVRAGEN, resident.pk),
        (aanvraag.pk, Status.AANGEVRAAGD, Status.INGETROKKEN, Actie.INTREKKEN, resident.pk),
        (lid.pk, "", Status.LID, Actie.CODE, resident.pk),
    ]


def test_a_refusal_keeps_its_reason_in_the_history(buurt, coordinator):
    aanvraag = services.aanvraag_create(user=factories.UserFactory(), buurt=buurt)
    services.aanvraag_decide(
        lidmaatschap=aanvraag, by=coordinator, approve=False, reden="Woont in Oost."
    )
    assert aanvraag.historie.latest("pk").reden == "Woont in Oost."


def test_history_is_never_edited(login, buurt, coordinator):
    aanvraag = services.aanvraag_create(user=factories.UserFactory(), buurt=buurt)
    row = aanvraag.historie.get()
    row.actie = Actie.GOEDKEUREN
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    assert aanvraag.historie.get().actie == Actie.AANVRAGEN

    assert not admin.site.is_registered(LidmaatschapHistorie)  # no change page of its own
    beheerder = factories.UserFactory(role="beheerder", is_staff=True, is_superuser=True)
    url = reverse("admin:buurten_lidmaatschap_change", args=[aanvraag.pk])
    page = login(beheerder).get(url).content.decode()
    assert "Aangevraagd" in page and 'name="historie-0-actie"' not in page
    # The state itself is shown, not edited: a change there would bypass the history.
    assert 'name="status"' not in page


def test_deleting_an_account_takes_its_memberships_and_leaves_no_name_on_others(buurt, coordinator):
    resident = factories.UserFactory()
    aanvraag = services.aanvraag_create(user=resident, buurt=buurt)
    services.aanvraag_decide(lidmaatschap=aanvraag, by=coordinator, approve=True)
    other = services.aanvraag_create(user=factories.UserFactory(), buurt=buurt)
    services.aanvraag_decide(lidmaatschap=other, by=coordinator, approve=True)

    resident.delete()
    assert not LidmaatschapHistorie.objects.filter(lidmaatschap=aanvraag.pk).exists()
    coordinator.delete()
    assert list(other.historie.values_list("door", flat=True)) == [other.user_id, None]


def test_the_migration_gives_withdrawn_aanvragen_their_own_state(buurt):
    withdrawn = factories.LidmaatschapFactory(buurt=buurt, status="beeindigd", via="")
    ended = factories.LidmaatschapFactory(buurt=buurt, status="beeindigd")
    migration = importlib.import_module(
        "buurten.migrations.0007_withdrawn_aanvragen_become_ingetrokken"
    )
    migration.forwards(apps, None)

    withdrawn.refresh_from_db(), ended.refresh_from_db()
    assert (withdrawn.status, ended.status) == (Status.INGETROKKEN, Status.BEEINDIGD)


def test_every_state_is_reachable():
    reached = {workflow.NIEUW}
    while True:
        more = {to for sources, to in workflow.TRANSITIONS.values() if reached & set(sources)}
        if more <= reached:
            break
        reached |= more
    assert reached == {workflow.NIEUW, *Status.values}


def test_only_the_workflow_function_changes_a_memberships_status():
    allowed = {("buurten/services.py", "_move", "assignment")}
    assert status_writes_outside(model="Lidmaatschap", app="buurten", allowed=allowed) == []
