"""Notebooks never keep participant data: committed clean, saved by JupyterLab without outputs."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from workshop_kit.notebook_scrub import carried_data, pre_save_hook, scrub_notebook

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def dirty_notebook() -> dict:
    """A notebook as JupyterLab would save it after a workshop: codes in outputs and state."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "widgets": {
                "application/vnd.jupyter.widget-state+json": {
                    "state": {"m1": {"state": {"options": ["K7P3", "QX4M"], "value": "K7P3"}}}
                }
            },
        },
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Results"},
            {
                "cell_type": "code",
                "id": "b",
                "execution_count": 7,
                "metadata": {"execution": {"iopub.execute_input": "2026-11-21T10:00:00"}},
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": "K7P3: 2 notes\n"},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"text/html": "<b>couple K7P3</b>", "image/png": "iVBOR"},
                    },
                ],
                "source": "show()",
            },
        ],
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_carry_no_outputs_or_widget_state(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert carried_data(notebook) == [], path.name


def test_scrub_removes_outputs_counts_and_widget_state():
    notebook = dirty_notebook()
    assert len(carried_data(notebook)) == 4
    scrub_notebook(notebook)
    assert carried_data(notebook) == []
    assert "K7P3" not in json.dumps(notebook)
    assert notebook["cells"][1]["source"] == "show()"  # the code stays
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_the_workshop_server_saves_notebooks_scrubbed(tmp_path):
    """The ``make workshop`` flags, given to Jupyter's own contents manager, scrub a save."""
    from jupyter_server.serverapp import ServerApp

    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nworkshop:", 1)[1].split("\n\n", 1)[0]
    flags = [
        arg
        for arg in shlex.split(recipe.replace("\\\n", " "))
        if re.match(r"--ContentsManager\.", arg)
    ]
    assert flags == ["--ContentsManager.pre_save_hook=workshop_kit.notebook_scrub.pre_save_hook"]
    app = ServerApp()
    app.parse_command_line(flags)
    manager = app.contents_manager_class(config=app.config, root_dir=str(tmp_path))
    model = {"type": "notebook", "format": "json", "content": dirty_notebook()}
    result = manager.save(model, "results.ipynb")
    if hasattr(result, "__await__"):  # the async manager JupyterLab uses by default
        import asyncio

        async def wait():
            return await result

        asyncio.run(wait())
    saved = (tmp_path / "results.ipynb").read_text(encoding="utf-8")
    assert "K7P3" not in saved
    assert carried_data(json.loads(saved)) == []


def test_the_hook_leaves_other_files_alone():
    model = {"type": "file", "format": "text", "content": "K7P3"}
    pre_save_hook(model=model, path="notes.txt")
    assert model["content"] == "K7P3"
