"""The team API sits under every app that serves ``/api/v1/``: it may use accounts and the
project's helpers, never the apps built on it, not even through a module it imports."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ABOVE = {"buurten", "meldingen", "activiteiten", "indicatoren", "open311"}


def _file(module: str) -> Path | None:
    path = ROOT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _imports(module: str, path: Path) -> set[str]:
    """The project's modules that ``module`` imports (relative imports resolved)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found |= {target, *(f"{target}.{alias.name}" for alias in node.names)}
    return {name for name in found if _file(name)}


def test_teamapi_imports_no_app_built_on_it_even_indirectly():
    start = [p.relative_to(ROOT).with_suffix("") for p in (ROOT / "teamapi").rglob("*.py")]
    chains = {".".join(p.parts): [".".join(p.parts)] for p in start if "migrations" not in p.parts}
    todo = list(chains)
    while todo:
        module = todo.pop()
        for imported in _imports(module, _file(module)) - chains.keys():
            chains[imported] = [*chains[module], imported]
            todo.append(imported)
    reached = [" → ".join(chain) for name, chain in chains.items() if name.split(".")[0] in ABOVE]
    assert reached == []
    assert "accounts.apikeys" in chains  # the walk does follow imports
