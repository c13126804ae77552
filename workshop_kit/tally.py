"""Room aggregates with the k-threshold: nothing individual ever reaches the projector.

Pure logic (pandas only). Any bar, word or cell with fewer than ``k`` contributors is
suppressed: its figures are blanked and ``suppressed`` is True, so a chart can say
"fewer than k" instead of drawing it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .disclosure import check_k  # the one check, kept importable from here
from .errors import InputError  # noqa: F401  (callers catch it from here)

OTHER = "Other"


def mean_ci(values: pd.Series, confidence: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, SD and the Student t interval ``mean ± t(n − 1)·SD/√n`` of independent values.

    The interval is NaN below :data:`workshop_kit.scoring.MIN_UNITS_INTERVAL` values.

    >>> [round(x, 3) for x in mean_ci(pd.Series([3.0, 4.0, 5.0]))]  # t(2) = 4.303
    [4.0, 1.0, 1.516, 6.484]
    """
    from .scoring import grouped_interval

    values = values.dropna()
    if len(values) == 0:
        return (math.nan, math.nan, math.nan, math.nan)
    out = grouped_interval(
        values.to_numpy(float), np.zeros(len(values), np.int64), 1, confidence=confidence
    )
    return tuple(float(out[name][0]) for name in ("mean", "sd", "ci_low", "ci_high"))


def room_means(
    frame: pd.DataFrame,
    by: list[str],
    value: str,
    k: int,
    cluster: str | None = None,
    bounds: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Mean of ``value`` per group with its 95% t interval; groups under ``k`` suppressed.

    ``cluster`` names the column of the unit rows belong to (``"couple_code"`` for a
    room: partners are not independent), see :func:`workshop_kit.scoring.grouped_interval`;
    the interval is clipped to ``bounds`` and withheld (NaN) with fewer than three units.
    Returns the ``by`` columns and ``n, mean, sd, ci_low, ci_high, suppressed``.

    >>> scores = pd.DataFrame({"phase": ["before"] * 4 + ["after"] * 2,
    ...                        "score": [3.0, 4.0, 5.0, 4.0, 4.0, 5.0]})
    >>> out = room_means(scores, ["phase"], "score", k=3)
    >>> for row in out[["phase", "n", "mean", "suppressed"]].to_dict("records"):
    ...     print(row)
    {'phase': 'after', 'n': 2, 'mean': nan, 'suppressed': True}
    {'phase': 'before', 'n': 4, 'mean': 4.0, 'suppressed': False}
    """
    from .scoring import grouped_interval

    k = check_k(k)
    columns = [*by, "n", "mean", "sd", "ci_low", "ci_high", "suppressed"]
    # a row without a value, or without a group to count it in, counts nowhere (as before)
    present = frame.dropna(subset=[value, *by])
    if present.empty:
        return pd.DataFrame([], columns=columns)
    grouped = present.groupby(by, sort=True)
    codes = grouped.ngroup().to_numpy()
    clusters = pd.factorize(present[cluster])[0] if cluster is not None else None
    stats = grouped_interval(
        present[value].to_numpy(float), codes, int(codes.max()) + 1, clusters, bounds=bounds
    )
    sizes = stats["n"].astype(np.int64)
    keys = grouped.size().index.to_frame(index=False)
    out = pd.DataFrame({column: keys[column].tolist() for column in by})
    out["n"] = sizes
    small = sizes < k
    for name, column in (
        ("mean", "mean"),
        ("sd", "sd"),
        ("ci_low", "ci_low"),
        ("ci_high", "ci_high"),
    ):
        out[name] = np.where(small, math.nan, stats[column])
    out["suppressed"] = small
    return out


def suppress_counts(counts: pd.DataFrame, k: int, count: str = "n") -> pd.DataFrame:
    """Blank every count under ``k`` (set to NaN) and mark it ``suppressed``.

    >>> suppress_counts(pd.DataFrame({"category": ["improved", "worsened"], "n": [5, 1]}), 3)
       category    n  suppressed
    0  improved  5.0       False
    1  worsened  NaN        True
    """
    k = check_k(k)
    out = counts.copy()
    out["suppressed"] = out[count] < k
    out[count] = out[count].where(~out["suppressed"]).astype(float)
    return out


def fold_small(
    contributors: pd.DataFrame, label: str, k: int, weight: str | None = None, other: str = OTHER
) -> pd.DataFrame:
    """Fold labels with fewer than ``k`` distinct contributors into ``other``.

    ``contributors`` has one row per contribution with a ``contributor`` column (who gave
    it) and the ``label`` column (what was given), and optionally a ``weight`` (points).
    Returns ``label, contributors, total`` sorted by total, largest first; ``other`` is
    itself dropped when fewer than ``k`` people contributed to it.

    >>> rows = pd.DataFrame({"contributor": [1, 2, 3, 1, 4],
    ...                      "word": ["kind", "kind", "kind", "funny", "calm"]})
    >>> fold_small(rows, "word", k=3).to_dict("records")
    [{'word': 'kind', 'contributors': 3, 'total': 3}]
    """
    k = check_k(k)
    data = contributors.copy()
    data["_w"] = data[weight] if weight else 1
    per_label = data.groupby(label).agg(
        contributors=("contributor", "nunique"), total=("_w", "sum")
    )
    small = per_label.index[per_label["contributors"] < k]
    kept = per_label.drop(index=small).reset_index()
    folded = data[data[label].isin(small)]
    if not folded.empty and folded["contributor"].nunique() >= k:
        kept = pd.concat(
            [
                kept,
                pd.DataFrame(
                    {
                        label: [other],
                        "contributors": [folded["contributor"].nunique()],
                        "total": [folded["_w"].sum()],
                    }
                ),
            ],
            ignore_index=True,
        )
    kept = kept.sort_values(["total", label], ascending=[False, True], kind="stable")
    return kept.reset_index(drop=True)
