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


def mean_ci(values: pd.Series, z: float = 1.96) -> tuple[float, float, float, float]:
    """Mean, SD and a normal-approximation 95% interval ``mean ± z·SD/√n``.

    >>> [round(x, 3) for x in mean_ci(pd.Series([3.0, 4.0, 5.0]))]
    [4.0, 1.0, 2.868, 5.132]
    """
    values = values.dropna()
    n = len(values)
    if n == 0:
        return (math.nan, math.nan, math.nan, math.nan)
    mean = float(values.mean())
    if n < 2:
        return (mean, math.nan, math.nan, math.nan)
    sd = float(values.std(ddof=1))
    half = z * sd / math.sqrt(n)
    return (mean, sd, mean - half, mean + half)


def room_means(frame: pd.DataFrame, by: list[str], value: str, k: int) -> pd.DataFrame:
    """Mean of ``value`` per group with its 95% interval; groups under ``k`` suppressed.

    Returns the ``by`` columns and ``n, mean, sd, ci_low, ci_high, suppressed``.

    >>> scores = pd.DataFrame({"phase": ["before"] * 4 + ["after"] * 2,
    ...                        "score": [3.0, 4.0, 5.0, 4.0, 4.0, 5.0]})
    >>> out = room_means(scores, ["phase"], "score", k=3)
    >>> for row in out[["phase", "n", "mean", "suppressed"]].to_dict("records"):
    ...     print(row)
    {'phase': 'after', 'n': 2, 'mean': nan, 'suppressed': True}
    {'phase': 'before', 'n': 4, 'mean': 4.0, 'suppressed': False}
    """
    k = check_k(k)
    columns = [*by, "n", "mean", "sd", "ci_low", "ci_high", "suppressed"]
    # a row without a value, or without a group to count it in, counts nowhere (as before)
    present = frame.dropna(subset=[value, *by])
    if present.empty:
        return pd.DataFrame([], columns=columns)
    # One grouping pass numbers the groups; the figures are then numpy sums over each
    # group's slice of the sorted values. (A pandas Series per group, as before, cost
    # more than everything else in a live refresh.) numpy's own sums keep the figures
    # bit for bit those of mean_ci.
    grouped = present.groupby(by, sort=True)
    codes = grouped.ngroup().to_numpy()
    values = present[value].to_numpy(float)[np.argsort(codes, kind="stable")]
    sizes = np.bincount(codes)
    ends = np.cumsum(sizes)
    stats = np.full((len(sizes), 4), math.nan)
    for i, (n, end) in enumerate(zip(sizes.tolist(), ends.tolist())):
        if n < k:
            continue
        group = values[end - n : end]
        mean = group.sum() / n
        if n >= 2:
            sd = math.sqrt(((mean - group) ** 2).sum() / (n - 1))
            half = 1.96 * sd / math.sqrt(n)
            stats[i] = (mean, sd, mean - half, mean + half)
        else:
            stats[i, 0] = mean
    keys = grouped.size().index.to_frame(index=False)
    out = pd.DataFrame({column: keys[column].tolist() for column in by})
    out["n"] = sizes.astype(np.int64)
    out[["mean", "sd", "ci_low", "ci_high"]] = stats
    out["suppressed"] = sizes < k
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
