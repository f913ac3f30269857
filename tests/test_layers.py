"""The apps import one way (docs/adr/0012-layout.md): `lint-imports` keeps the contracts in
pyproject.toml, every app has its place in them, and an import against the direction is caught.
"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# Top to bottom, as the ADR draws it: a layer may import only the layers below it.
DOCUMENTED_LAYERS = [
    "wijkaanpak.urls | wijkaanpak.api_urls",
    "portaal",
    "indicatoren",
    "verzoeken",
    "activiteiten | open311",
    "meldingen",
    "buurten",
    "teamapi",
    "accounts",
    "notificaties",
]


def _config() -> dict:
    with open(BASE_DIR / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    # The project is found from the working directory alone, not from this process's path.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_contracts_are_kept():
    result = _lint_imports(BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_every_app_has_its_place_in_the_documented_order():
    config = _config()
    # The venv may live inside the checkout (make creates .venv there): its apps are not ours.
    venv = Path(sys.prefix).resolve()
    ours = {
        app.name
        for app in apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(BASE_DIR.resolve())
        and not Path(app.path).resolve().is_relative_to(venv)
    }
    assert set(config["root_packages"]) == ours | {"wijkaanpak"}
    contracts = {contract["id"]: contract for contract in config["contracts"]}
    assert contracts["layers"]["layers"] == DOCUMENTED_LAYERS
    placed = {name.strip() for layer in DOCUMENTED_LAYERS for name in layer.split("|")}
    assert ours <= placed
    assert set(contracts["helpers"]["forbidden_modules"]) == ours


def test_an_import_against_the_direction_is_caught(tmp_path):
    """The real contracts, on a copy of the code with two wrong imports added."""
    for package in _config()["root_packages"]:
        shutil.copytree(
            BASE_DIR / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.html", "*.txt"),
        )
    shutil.copy(BASE_DIR / "pyproject.toml", tmp_path)
    with open(tmp_path / "buurten" / "selectors.py", "a") as f:
        f.write("\nfrom meldingen.models import Melding  # noqa\n")
    with open(tmp_path / "wijkaanpak" / "ids.py", "a") as f:
        f.write("\nimport accounts.models  # noqa\n")

    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 2 broken." in result.stdout
    assert "buurten.selectors -> meldingen.models" in result.stdout
    assert "wijkaanpak.ids -> accounts.models" in result.stdout
