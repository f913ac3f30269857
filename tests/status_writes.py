"""Finds code that writes a model's ``status`` around its workflow function, for the guards in
tests/meldingen/test_workflow.py and tests/buurten/test_workflow.py. A source scan, not a type
check: it reports each assignment to ``.status``, ``update(status=...)`` and ``bulk_update`` of
``"status"`` that the guard does not allow, everywhere in the model's app and, in other apps,
where the written expression names the model (``Lidmaatschap.objects...update(status=...)``,
``lidmaatschap.status = ...``), since their own models have states too. Demo seeding
(``demo.py``, ``seed_demo.py``) writes fixtures, not decisions, and is left out."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = {"demo.py", "seed_demo.py"}


def _writes(text: str):
    """(function, kind, written expression, line) of each write of ``status`` in a function."""
    tree = ast.parse(text)
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        for node in ast.walk(function):
            targets = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    written = ast.get_source_segment(text, target.value)
                    yield function.name, "assignment", written, node.lineno
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            written = ast.get_source_segment(text, node.func.value)
            if node.func.attr == "update" and any(k.arg == "status" for k in node.keywords):
                yield function.name, "update", written, node.lineno
            fields = [a for a in node.args if isinstance(a, (ast.List, ast.Tuple))]
            if node.func.attr == "bulk_update" and any(
                isinstance(e, ast.Constant) and e.value == "status" for f in fields for e in f.elts
            ):
                yield function.name, "bulk_update", written, node.lineno


def status_writes_outside(*, model: str, app: str, allowed: set) -> list[str]:
    """``path:line: kind in function`` for each write not in ``allowed`` (path, function, kind)."""
    found = []
    for package in ROOT.iterdir():
        if not (package / "__init__.py").exists() or package.name == "tests":
            continue
        for path in package.rglob("*.py"):
            if "migrations" in path.parts or path.name in FIXTURES:
                continue
            relative = path.relative_to(ROOT).as_posix()
            for function, kind, written, line in _writes(path.read_text()):
                if package.name != app and model.lower() not in written.lower():
                    continue  # another model's state (a sign-up, a computation)
                if (relative, function, kind) not in allowed:
                    found.append(f"{relative}:{line}: {kind} in {function}")
    return sorted(set(found))
