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
    r"""Mean, SD and the Student t interval of independent values.

    Parameters
    ----------
    values : pandas.Series
        Scores, shape ``(n,)``, in the scale's own units; NaN values are dropped.
    confidence : float, default 0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    tuple of float
        ``(mean, sd, ci_low, ci_high)`` in the units of ``values``; all NaN when no
        value is left, the interval NaN below
        :data:`workshop_kit.scoring.MIN_UNITS_INTERVAL` values.

    Notes
    -----
    :math:`\bar x \pm t_{1-\alpha/2}(n-1)\, s/\sqrt{n}` with the sample SD :math:`s`
    (denominator :math:`n-1`), computed by :func:`workshop_kit.scoring.grouped_interval`
    with every value its own unit.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6(1), 1-25.

    Examples
    --------
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
    r"""Mean of ``value`` per group with its 95% t interval; groups under ``k`` suppressed.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy rows, shape ``(n_rows, ...)``: one score per row, with the ``by`` columns,
        ``value`` and (when given) ``cluster``. Rows missing ``value`` or a ``by`` column
        count nowhere.
    by : list of str
        Columns to group by (``["phase", "subscale"]``, say).
    value : str
        Column holding the score, in the scale's units.
    k : int
        The session's threshold (at least 1): groups with ``n < k`` rows are blanked.
    cluster : str, optional
        Column of the unit rows belong to (``"couple_code"`` for a room: partners are
        not independent), see :func:`workshop_kit.scoring.grouped_interval`.
    bounds : tuple of float, optional
        ``(low, high)`` of the scale; the interval is clipped to it.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by ``by``: the ``by`` columns and ``n`` (rows),
        ``mean``, ``sd``, ``ci_low``, ``ci_high`` (NaN when suppressed; the interval NaN
        with fewer than three units) and ``suppressed`` (bool).

    Raises
    ------
    InputError
        ``k`` is not a whole number of at least 1.

    Notes
    -----
    Suppressed when :math:`n < k`. Without ``cluster`` the interval is
    :math:`\bar x \pm t(n-1)\,s/\sqrt n`; with it, the cluster-robust version over
    the units (see :func:`workshop_kit.scoring.grouped_interval`).

    References
    ----------
    Sweeney, L. (2002). k-anonymity: a model for protecting privacy. *International
    Journal of Uncertainty, Fuzziness and Knowledge-Based Systems* 10(5), 557-570.

    Examples
    --------
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
    r"""Blank every count under ``k`` (set to NaN) and mark it ``suppressed``.

    Parameters
    ----------
    counts : pandas.DataFrame
        Any frame with a count column, shape ``(n_rows, ...)``; not changed.
    k : int
        The session's threshold (at least 1).
    count : str, default "n"
        The count column (people, not rows).

    Returns
    -------
    pandas.DataFrame
        A copy with ``count`` as float (NaN where suppressed) and a bool ``suppressed``
        column.

    Raises
    ------
    InputError
        ``k`` is not a whole number of at least 1.

    Notes
    -----
    A count :math:`c` is shown when :math:`c \ge k`, else blanked.

    Examples
    --------
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
    r"""Fold labels with fewer than ``k`` distinct contributors into ``other``.

    Parameters
    ----------
    contributors : pandas.DataFrame
        One row per contribution, shape ``(n_rows, ...)``: a ``contributor`` column (who
        gave it), the ``label`` column (what was given) and optionally ``weight``.
    label : str
        The column of what was given (a word, a value card).
    k : int
        The session's threshold (at least 1).
    weight : str, optional
        Column of points per contribution; each row counts 1 when None.
    other : str, default "Other"
        The label small ones fold into.

    Returns
    -------
    pandas.DataFrame
        ``label, contributors, total`` sorted by ``total`` (largest first), then label;
        ``other`` is itself dropped when fewer than ``k`` people contributed to it.

    Raises
    ------
    InputError
        ``k`` is not a whole number of at least 1.

    Notes
    -----
    A label :math:`\ell` is kept when :math:`|\{c : c \text{ gave } \ell\}| \ge k`;
    ``total`` is :math:`\sum w` over its rows.

    Examples
    --------
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
