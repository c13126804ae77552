"""Notebooks are saved without outputs: no couple code or count ever lands in a saved file.

JupyterLab saves a notebook (and autosaves it every two minutes) with every cell's output
and, when asked, the widgets' state. In the kit's notebooks those outputs are views over
the session store: couple codes in a drop-down, a couple's charts, the facilitator's
follow-up list. ``make workshop`` starts JupyterLab with :func:`pre_save_hook`, which
removes them before a notebook is written, so a saved notebook holds code and words only;
the store keeps the data. The committed notebooks carry none either
(``tests/test_notebook_scrub.py``).
"""

from __future__ import annotations

from typing import Any

#: Notebook-level metadata that can carry participant data (ipywidgets' saved state).
DROPPED_METADATA = ("widgets",)
#: Cell metadata that records a run (timings, scroll and collapse state stay).
DROPPED_CELL_METADATA = ("execution", "widgets")


def scrub_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """Remove every output, execution count and saved widget state, in place.

    Parameters
    ----------
    notebook : dict
        A notebook in nbformat 4 JSON form (or an ``nbformat.NotebookNode``).

    Returns
    -------
    dict
        The same notebook, for chaining.

    Examples
    --------
    >>> nb = {"metadata": {"widgets": {"state": {"m1": {"value": "K7P3"}}}},
    ...       "cells": [{"cell_type": "code", "execution_count": 3, "metadata": {},
    ...                  "outputs": [{"output_type": "stream", "text": "K7P3"}],
    ...                  "source": "x"}]}
    >>> scrub_notebook(nb)["cells"][0]["outputs"], nb["metadata"]
    ([], {})
    """
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict):
        for key in DROPPED_METADATA:
            metadata.pop(key, None)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell_metadata = cell.get("metadata")
        if isinstance(cell_metadata, dict):
            for key in DROPPED_CELL_METADATA:
                cell_metadata.pop(key, None)
    return notebook


def pre_save_hook(model: dict[str, Any], **_kwargs: Any) -> None:
    """Jupyter server's pre-save hook: scrub a notebook model before it is written.

    Set with ``--ContentsManager.pre_save_hook=workshop_kit.notebook_scrub.pre_save_hook``
    (the ``make workshop`` recipe does). Files that are not notebooks are left alone.
    """
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        scrub_notebook(model["content"])


def carried_data(notebook: dict[str, Any]) -> list[str]:
    """Where a notebook carries run data (for tests and checks); empty when clean."""
    found = []
    metadata = notebook.get("metadata", {})
    found += [f"metadata.{key}" for key in DROPPED_METADATA if key in metadata]
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {number}: outputs")
        if cell.get("execution_count") is not None:
            found.append(f"cell {number}: execution_count")
        found += [
            f"cell {number}: metadata.{key}"
            for key in DROPPED_CELL_METADATA
            if key in cell.get("metadata", {})
        ]
    return found
