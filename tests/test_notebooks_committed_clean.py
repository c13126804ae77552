"""Notebooks are committed without outputs: no participant data, no stale state in git.

A notebook run on the day holds couple codes, counts and charts in its outputs and widget
state; committing one would publish them. The check reads the files as committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_has_no_outputs_counts_or_widget_state(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code, f"{path.name} has no code cell"
    for number, cell in enumerate(notebook["cells"], start=1):
        where = f"{path.name}, cell {number}"
        if cell["cell_type"] != "code":
            assert not cell.get("attachments"), f"{where}: an attachment"
            continue
        assert cell.get("outputs") == [], f"{where}: has outputs (clear them before committing)"
        assert cell.get("execution_count") is None, f"{where}: has an execution count"
    assert "widgets" not in notebook.get("metadata", {}), f"{path.name}: saved widget state"


def test_the_check_catches_a_notebook_with_an_output(tmp_path):
    """The test above can fail: an output planted in a copy is found."""
    notebook = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["K7P3\n"]}]
    planted = tmp_path / NOTEBOOKS[0].name
    planted.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(AssertionError, match="has outputs"):
        test_notebook_has_no_outputs_counts_or_widget_state(planted)
