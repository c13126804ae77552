"""Tidy frames as JSON-safe rows: the one helper every ``summary --json`` section shares.

It lives on its own (below :mod:`workshop_kit.summary` and the modules whose sections
``summary`` gathers), so that those modules need not import ``summary`` back.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-safe dicts.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any tidy frame, shape ``(n_rows, n_columns)``.

    Returns
    -------
    list of dict
        One dict per row, keyed by column name, in row order. NaN becomes ``None``;
        numpy scalars become the Python value (``.item()``), so ``json.dumps`` takes it.

    Notes
    -----
    Only floats that are NaN turn into ``None``; other values pass unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> records(pd.DataFrame({"value": ["kindness"], "points": [np.int64(3)], "mean": [np.nan]}))
    [{'value': 'kindness', 'points': 3, 'mean': None}]
    """
    out = []
    for row in frame.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if hasattr(value, "item"):
                value = value.item()
            if isinstance(value, float) and math.isnan(value):
                value = None
            clean[key] = value
        out.append(clean)
    return out
