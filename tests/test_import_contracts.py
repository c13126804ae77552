"""The layering is executable: `lint-imports` checks pyproject's import-linter contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> list[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("lint-imports")
    assert found, "lint-imports is not installed (pip install -e '.[test]')"
    return [found]


def test_import_contracts_are_kept():
    out = subprocess.run(
        [*_lint_imports(), "--no-logo", "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    # every contract ran (an empty config would also exit 0)
    assert "0 broken" in out.stdout
    assert " kept" in out.stdout and "Contracts: 0 kept" not in out.stdout


def test_contracts_cover_every_top_level_module():
    """A new module must be placed in a layer, or the layers contract says nothing about it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["id"] == "layers")["layers"]
    placed = {
        name.strip().removeprefix("workshop_kit.")
        for layer in layers
        for name in layer.replace("|", ":").split(":")
    }
    package = ROOT / "workshop_kit"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {p.parent.name for p in package.glob("*/__init__.py")}
    assert modules - placed == set(), f"modules in no layer: {sorted(modules - placed)}"


def test_no_sql_outside_the_store_layer():
    """import-linter sees imports only: a module could still reach ``session.store.conn``.

    Every query lives in ``store.py`` or ``session.py`` (Session methods such as
    ``version()``, ``participants_answered()``; ``store.probe(path)`` for files).
    """
    import re

    package = ROOT / "workshop_kit"
    pattern = re.compile(r"\.conn\b|raw_connection|\.locked\(\)|\.execute(many)?\(")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        if path.name not in ("store.py", "session.py") or path.parent != package
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
