"""Dependencies you can reproduce: every third-party module the project imports is declared in
pyproject.toml, every declared dependency is pinned (with hashes) in the lock files, and every
way of installing (Makefile, Dockerfile) installs from them. See docs/adr/0009-lock-file.md."""

import ast
import importlib.metadata
import os
import re
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SKIP_DIRS = {"static", "staticfiles", "media", "node_modules", "build", "test-results"}
# Code that never runs in the image: its third-party imports may be development dependencies.
DEV_ONLY = ("tests", "bench")


def _requirements(group: str) -> list[Requirement]:
    if group == "runtime":
        return [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    return [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"][group]]


def _names(requirements: list[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in requirements}


def _python_files():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS]
        for name in files:
            if name.endswith(".py"):
                yield Path(folder, name)


def _first_party() -> set[str]:
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    return packages | {p.stem for p in ROOT.glob("*.py")}


def _imports(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def _settings_modules() -> set[str]:
    """Modules Django loads by name from settings rather than through an import statement."""
    dotted = [*settings.INSTALLED_APPS, *settings.MIDDLEWARE]
    for group in ("formatters", "filters"):
        dotted += [c["()"] for c in settings.LOGGING.get(group, {}).values() if "()" in c]
    return {name.split(".")[0] for name in dotted}


def _third_party_imports() -> dict[str, set[str]]:
    """{top-level module: {"runtime" or "dev", ...}} for every module not in stdlib or ours."""
    ours = _first_party() | set(sys.stdlib_module_names)
    found: dict[str, set[str]] = {}
    for path in _python_files():
        part = path.relative_to(ROOT).parts[0]
        where = "dev" if part in DEV_ONLY else "runtime"
        for module in _imports(path) - ours:
            found.setdefault(module, set()).add(where)
    for module in _settings_modules() - ours:
        found.setdefault(module, set()).add("runtime")
    return found


def _lock(name: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """{canonical name: (version, hashes)} of a lock file written by `make lock`."""
    text = (ROOT / name).read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s+--hash=sha256:\w+)*)", line)
        if match:
            hashes = tuple(re.findall(r"sha256:(\w+)", match[3]))
            pins[canonicalize_name(match[1])] = (match[2], hashes)
        elif line.strip() and not line.lstrip().startswith("#"):
            pytest.fail(f"{name}: a line that is not an exact pin: {line!r}")
    return pins


def test_every_third_party_import_is_declared():
    runtime = _names(_requirements("runtime"))
    dev = _names(_requirements("dev"))
    distributions = importlib.metadata.packages_distributions()
    problems = []
    for module, where in sorted(_third_party_imports().items()):
        dists = {canonicalize_name(d) for d in distributions.get(module, [])}
        if not dists:
            problems.append(f"{module}: imported but no installed distribution provides it")
        elif "runtime" in where and not dists & runtime:
            problems.append(f"{module} ({', '.join(dists)}): used at run time, not in dependencies")
        elif not dists & (runtime | dev):
            problems.append(f"{module} ({', '.join(dists)}): used by tests, not in the dev extra")
    assert problems == []


def test_the_scan_sees_what_it_must():
    """Guard the scan itself: the modules that were once imported without being declared."""
    found = _third_party_imports()
    assert found["qrcode"] == {"runtime"}
    assert found["dateutil"] == {"runtime"}
    assert "runtime" in found["whitenoise"]  # only named in settings
    assert "django" in found
    assert not {"wijkaanpak", "meldingen", "tests", "os", "bench"} & found.keys()


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.lock", ["runtime"]), ("requirements-dev.lock", ["runtime", "dev"])],
)
def test_every_declared_dependency_is_pinned_with_hashes(lock, groups):
    pins = _lock(lock)
    assert all(hashes for _, hashes in pins.values()), "a pin without --hash"
    problems = []
    for requirement in [r for group in groups for r in _requirements(group)]:
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement}: not in {lock}")
            continue
        version = pins[name][0]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement}: {lock} pins {version}; run `make lock`")
        for extra in requirement.extras:
            for needed in importlib.metadata.requires(requirement.name) or []:
                needed = Requirement(needed)
                wanted = needed.marker and needed.marker.evaluate({"extra": extra})
                if wanted and canonicalize_name(needed.name) not in pins:
                    problems.append(f"{requirement}: {needed.name} (extra) not in {lock}")
    assert problems == []


def test_the_image_lock_is_the_runtime_half_of_the_dev_lock():
    runtime, dev = _lock("requirements.lock"), _lock("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
    build = Requirement(PYPROJECT["build-system"]["requires"][0])
    assert build.specifier.contains(dev[canonicalize_name(build.name)][0])
    assert "pip" in dev


def test_this_environment_is_what_the_dev_lock_pins():
    """`make install` (which CI runs) installed exactly the locked versions."""
    wrong = {}
    for name, (version, _) in _lock("requirements-dev.lock").items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert wrong == {}


def _commands(path: Path) -> list[str]:
    text = path.read_text().replace("\\\n", " ")
    return [" ".join(line.split()) for line in text.splitlines() if "pip install" in line]


def test_every_install_command_installs_from_a_lock():
    makefile, dockerfile = _commands(ROOT / "Makefile"), _commands(ROOT / "Dockerfile")
    for command in makefile + dockerfile:
        # Either exactly the lock's files, or the project's own metadata without dependencies.
        assert "--require-hashes -r requirements" in command or "--no-deps" in command, command
    assert any("--require-hashes -r requirements-dev.lock" in c for c in makefile)
    assert any("--require-hashes -r requirements.lock" in c for c in dockerfile)
    assert "COPY requirements.lock" in (ROOT / "Dockerfile").read_text()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not [p for p in ignored if p.startswith("requirements") or p == "*.lock"]
    # The install stamp is remade whenever the lock changes.
    stamp_rule = re.search(r"^\$\(STAMP\):(.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert "requirements-dev.lock" in stamp_rule[1].split()
