"""Public functions of the pure layers carry numpydoc sections (issue 21).

Modules listed in ``COMPLETE`` are done: every public top-level function there has
Parameters (when it takes any), Returns and Examples (run as doctests by ``make test``).
Add a module here once its functions are documented, so they stay so.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workshop_kit"
COMPLETE = ["tally.py", "couple.py", "records.py"]


def _lacking(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        doc = ast.get_docstring(node) or ""
        need = ["Returns", "Examples"]
        if [a for a in node.args.args if a.arg not in ("self", "cls")]:
            need.append("Parameters")
        missing = [section for section in need if f"{section}\n---" not in doc]
        if missing:
            out.append(f"{path.name}:{node.lineno} {node.name}: no {', '.join(missing)}")
    return out


@pytest.mark.parametrize("name", COMPLETE)
def test_public_functions_have_numpydoc_sections(name):
    assert _lacking(PACKAGE / name) == []


def test_the_check_finds_a_missing_section(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('def f(x):\n    """Only a summary."""\n', encoding="utf-8")
    assert _lacking(module) == ["m.py:1 f: no Returns, Examples, Parameters"]
