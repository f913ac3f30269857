"""The melding workflow table is the behaviour: every pair of state and action through the real
services, and no code that changes a melding's status around the one function that asks it."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from meldingen import services
from meldingen.models import Doel, Melder, Melding, StatusWijziging
from meldingen.workflow import CLOSED, Actie, Status, target_of
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


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
SOURCE_DIRS = [
    p for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "tests"
]


def _status_writes(tree: ast.AST):
    """(function, kind, line) of each assignment to ``.status`` and each ``update(status=...)`` or
    ``bulk_update(..., [..., "status"])``."""
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        for node in ast.walk(function):
            targets = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
                yield function.name, "assignment", node.lineno
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "update" and any(k.arg == "status" for k in node.keywords):
                    yield function.name, "update", node.lineno
                fields = [a for a in node.args if isinstance(a, (ast.List, ast.Tuple))]
                if node.func.attr == "bulk_update" and any(
                    isinstance(e, ast.Constant) and e.value == "status"
                    for f in fields
                    for e in f.elts
                ):
                    yield function.name, "bulk_update", node.lineno


def test_only_the_workflow_function_changes_a_meldings_status():
    found = []
    for directory in SOURCE_DIRS:
        for path in directory.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if "Melding" not in text and directory.name != "meldingen":
                continue  # other models' states (sign-ups, notifications) are theirs
            relative = path.relative_to(ROOT).as_posix()
            for function, kind, line in _status_writes(ast.parse(text)):
                if (relative, function, kind) not in ALLOWED:
                    found.append(f"{relative}:{line}: {kind} in {function}")
    assert found == []
