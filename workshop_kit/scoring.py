"""Scores from answers: theme scores, instrument totals, IOS, couples, change, reliable change.

Pure logic over tidy (long-form) pandas DataFrames: no matplotlib, no ipywidgets, no files.
Inputs are the long answers frame of :meth:`workshop_kit.session.Session.answers`
(columns ``couple_code, partner, phase, instrument, item_id, value``); outputs are tidy
DataFrames with snake_case columns.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .content import Instrument

KEYS = ["couple_code", "partner", "phase"]
Z_95 = 1.96
CONFIDENCE = 0.95
NOT_ESTIMABLE = "not estimable"
CHANGE_CATEGORIES = ("improved", "no reliable change", "worsened", NOT_ESTIMABLE)
COUPLE_CATEGORIES = ("both improved", "one improved", "neither improved", NOT_ESTIMABLE)
#: Fewest independent units (couples in a room; people without a cluster) for an
#: interval: below this the interval is withheld (NaN), never shown as a number.
MIN_UNITS_INTERVAL = 3
#: Fewest people behind a room's own reliability and SD for reliable change: below
#: this reliable change is "not estimable" unless the instrument has a published norm.
MIN_N_RELIABILITY = 10


def subscale_scores(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Score every subscale of an item instrument, per participant and phase.

    A score is the mean (or sum) of the answered items, reversed items mirrored. A
    subscale with fewer than ``instrument.min_answered`` of its items answered gets no
    score (NaN): a skipped item is never counted as zero. For ``sum`` scoring every item
    must be answered.

    Returns columns ``couple_code, partner, phase, subscale, score, n_answered, n_items``.

    Examples
    --------
    >>> from workshop_kit.content import load_checkin
    >>> inst = load_checkin().instrument("checkin")
    >>> answers = pd.DataFrame({
    ...     "couple_code": "AB12", "partner": "A", "phase": "before",
    ...     "instrument": "checkin", "item_id": ["vu1", "vu2"], "value": [4.0, 2.0]})
    >>> row = subscale_scores(answers, inst).query("subscale == 'vulnerability'").iloc[0]
    >>> float(row.score)   # vu2 is reversed: 2 on a 1-5 scale scores 4
    4.0
    """
    items = pd.DataFrame(
        [
            {
                "subscale": sub.id,
                "item_id": item.id,
                "reversed": item.reversed,
                "lo": item.min,
                "hi": item.max,
            }
            for sub in instrument.subscales
            for item in sub.items
        ]
    )
    n_items = items.groupby("subscale").size().rename("n_items")
    mine = answers[answers["instrument"] == instrument.id]
    merged = mine.merge(items, on="item_id", how="inner")
    columns = [*KEYS, "subscale", "score", "n_answered", "n_items"]
    if merged.empty:  # nobody has answered yet: no scores (grouping nothing is ambiguous)
        return pd.DataFrame(columns=columns).astype({"score": float})
    merged["scored"] = mirror_values(merged["item_id"], merged["value"], item_mirrors([instrument]))
    grouped = merged.groupby([*KEYS, "subscale"], sort=True)["scored"]
    out = pd.DataFrame(
        {"total": grouped.sum(min_count=1), "mean": grouped.mean(), "n_answered": grouped.count()}
    ).reset_index()
    out = out.merge(n_items, left_on="subscale", right_index=True)
    if instrument.scoring == "sum":
        enough = out["n_answered"] == out["n_items"]
        out["score"] = out["total"].where(enough)
    else:
        needed = np.ceil(out["n_items"] * instrument.min_answered - 1e-9)
        out["score"] = out["mean"].where(out["n_answered"] >= needed)
    order = {sub.id: i for i, sub in enumerate(instrument.subscales)}
    out = out.sort_values(
        [*KEYS, "subscale"], key=lambda s: s.map(order) if s.name == "subscale" else s
    )
    return out[[*KEYS, "subscale", "score", "n_answered", "n_items"]].reset_index(drop=True)


def instrument_totals(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Total of a summed instrument (such as the CSI-4) with its cut-off band.

    Returns ``couple_code, partner, phase, total, band, follow_up``; ``total`` is NaN when
    any item is missing (the published scoring rules do not prorate).

    Examples
    --------
    >>> from workshop_kit.content import load_checkin
    >>> csi4 = load_checkin().instrument("csi4")
    >>> answers = pd.DataFrame({
    ...     "couple_code": "AB12", "partner": "A", "phase": "before", "instrument": "csi4",
    ...     "item_id": ["csi4_1", "csi4_2", "csi4_3", "csi4_4"], "value": [3.0, 3, 3, 3]})
    >>> instrument_totals(answers, csi4)[["total", "follow_up"]].to_dict("records")
    [{'total': 12.0, 'follow_up': True}]
    """
    scores = subscale_scores(answers, instrument)
    groups = [scores[key] for key in KEYS]
    complete = scores["score"].notna().groupby(groups).all()
    totals = scores["score"].groupby(groups).sum().where(complete).rename("total").reset_index()
    bands = [band_for(t, instrument.cutoffs) for t in totals["total"]]
    totals["band"] = [b.name if b else None for b in bands]
    totals["follow_up"] = [bool(b and b.follow_up) for b in bands]
    return totals


def band_for(score: float, bands) -> object | None:
    """The first band whose ``below`` the score is under (the last band has no bound).

    Cut-off bands list only the flagged range, so a score above every ``below`` has none.
    """
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    for band in bands:
        if band.below is None or score < band.below:
            return band
    return None


def picture_scores(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Scores of a one-item picture scale (the IOS): ``couple_code, partner, phase, score``."""
    mine = answers[(answers["instrument"] == instrument.id) & answers["value"].notna()]
    return mine[[*KEYS, "value"]].rename(columns={"value": "score"}).reset_index(drop=True)


def couple_view(scores: pd.DataFrame, value: str = "score") -> pd.DataFrame:
    """Both partners side by side: ``partner_a, partner_b, couple_mean, gap``.

    ``couple_mean`` is the mean of the partners who have a score; ``gap`` is
    ``|partner_a - partner_b|`` and NaN when either is missing.

    >>> scores = pd.DataFrame({"couple_code": "X1", "partner": ["A", "B"],
    ...                        "phase": "before", "subscale": "trust", "score": [4.0, 3.0]})
    >>> couple_view(scores)[["couple_mean", "gap"]].to_dict("records")
    [{'couple_mean': 3.5, 'gap': 1.0}]
    """
    index = [c for c in ("couple_code", "phase", "subscale") if c in scores.columns]
    wide = scores.pivot_table(index=index, columns="partner", values=value, dropna=False)
    wide = wide.reindex(columns=["A", "B"])
    out = pd.DataFrame(
        {
            "partner_a": wide["A"],
            "partner_b": wide["B"],
            "couple_mean": wide[["A", "B"]].mean(axis=1),
            "gap": (wide["A"] - wide["B"]).abs(),
        }
    ).reset_index()
    return out.dropna(subset=["couple_mean"]).reset_index(drop=True)


def change(scores: pd.DataFrame, value: str = "score") -> pd.DataFrame:
    """Before and after side by side, per participant (and subscale): ``before, after, change``.

    >>> scores = pd.DataFrame({"couple_code": "X1", "partner": "A",
    ...                        "phase": ["before", "after"], "score": [3.0, 4.5]})
    >>> change(scores).to_dict("records")
    [{'couple_code': 'X1', 'partner': 'A', 'before': 3.0, 'after': 4.5, 'change': 1.5}]
    """
    index = [c for c in ("couple_code", "partner", "subscale") if c in scores.columns]
    wide = scores.pivot_table(index=index, columns="phase", values=value, dropna=False)
    wide = wide.reindex(columns=["before", "after"])
    out = wide.reset_index()
    out.columns.name = None
    out["change"] = out["after"] - out["before"]
    return out


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a participants × items table (complete rows only).

    Notes
    -----
    alpha = k / (k - 1) · (1 - Σ var(item) / var(total)), sample variances (ddof=1).
    Worked by hand for the example below: item variances 2.5 + 2.3 + 1.5 = 6.3,
    variance of the totals 17.3, so alpha = 1.5 · (1 - 6.3 / 17.3) = 0.954.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika, 16(3), 297-334.

    Examples
    --------
    >>> table = pd.DataFrame({"i1": [1, 2, 3, 4, 5], "i2": [2, 2, 3, 5, 5], "i3": [1, 3, 3, 4, 4]})
    >>> round(cronbach_alpha(table), 3)
    0.954
    """
    complete = items.dropna()
    k = complete.shape[1]
    if k < 2 or len(complete) < 3:
        return float("nan")
    total_var = complete.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - complete.var(ddof=1).sum() / total_var))


def rci_s_diff(sd: float, reliability: float) -> float:
    """Standard error of the difference: ``S_diff = SD · √2 · √(1 − r)``.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
    defining meaningful change in psychotherapy research. Journal of Consulting and
    Clinical Psychology, 59(1), 12-19.

    Examples
    --------
    The worked example in Jacobson & Truax (1991): SD = 7.5, r = .88 gives S_diff of
    about 3.67, so a change must exceed 1.96 × 3.67 ≈ 7.2 points to be reliable.

    >>> round(rci_s_diff(7.5, 0.88), 2)
    3.67
    """
    return sd * math.sqrt(2) * math.sqrt(1 - reliability)


def partner_agreement(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Per couple, phase and subscale, the share of items both partners answer positively.

    An item counts as positive when its scored value (reversed items mirrored) is at or
    above the scale's ``positive_from``. Only items both partners answered count.

    Returns ``couple_code, phase, subscale, agreement, n_items``.

    >>> from workshop_kit.content import load_checkin
    >>> inst = load_checkin().instrument("checkin")
    >>> answers = pd.DataFrame({
    ...     "couple_code": "X1", "partner": ["A", "A", "B", "B"], "phase": "before",
    ...     "instrument": "checkin", "item_id": ["qt1", "qt2", "qt1", "qt2"],
    ...     "value": [5.0, 4, 4, 2]})
    >>> partner_agreement(answers, inst)[["agreement", "n_items"]].to_dict("records")
    [{'agreement': 0.5, 'n_items': 2}]
    """
    threshold = instrument.positive_from
    items = _item_table(instrument)
    mine = answers[(answers["instrument"] == instrument.id) & answers["value"].notna()]
    mine = mine[mine["item_id"].isin(items["item_id"])]
    wide = (
        mine.groupby(["couple_code", "phase", "item_id", "partner"])["value"]
        .mean()
        .unstack("partner")
        .reindex(columns=["A", "B"])
        .dropna()
        .reset_index()
    )
    meta = wide[["item_id"]].merge(items, on="item_id", how="left")
    mirrors = item_mirrors([instrument])
    scored = {p: mirror_values(wide["item_id"], wide[p], mirrors) for p in ("A", "B")}
    positive = (scored["A"] >= threshold) & (scored["B"] >= threshold)
    frame = pd.DataFrame(
        {
            "couple_code": wide["couple_code"].to_numpy(),
            "phase": wide["phase"].to_numpy(),
            "subscale": meta["subscale"].to_numpy(),
            # object when empty, as a frame built row by row would be
            "positive": pd.Series(positive, dtype=object if wide.empty else bool),
        }
    )
    out = frame.groupby(["couple_code", "phase", "subscale"], as_index=False).agg(
        agreement=("positive", "mean"), n_items=("positive", "size")
    )
    return out


def _item_table(instrument: Instrument) -> pd.DataFrame:
    """One row per item: ``item_id, subscale, reversed, lo, hi``."""
    return pd.DataFrame(
        [
            (item.id, sub.id, item.reversed, item.min, item.max)
            for sub in instrument.subscales
            for item in sub.items
        ],
        columns=["item_id", "subscale", "reversed", "lo", "hi"],
    )


RELIABILITY_COLUMNS = [
    "subscale",
    "reliability",
    "sd",
    "n",
    "kind",
    "source",
    "estimable",
    "warning",
]


def reliability_row(rel, subscale: str, room_r: float, n_r: int, room_sd: float, n_sd: int):
    """The reliability and SD reliable change uses for one score, and whether it can.

    A published norm is preferred: ``rel.r`` (``published_alpha``/``published_r``) and
    ``rel.sd`` where given. What comes from the room (Cronbach's alpha of its complete
    "before" answers, its "before" SD) is used only when :func:`reliability_problem`
    finds nothing wrong, with at least :data:`MIN_N_RELIABILITY` people behind it.

    Returns a tuple in the order of :data:`RELIABILITY_COLUMNS`.
    """
    published_r = rel is not None and rel.method != "sample"
    r = rel.r if published_r else room_r
    sd = rel.sd if rel is not None and rel.sd is not None else room_sd
    room_n = [n for n, used in ((n_r, not published_r), (n_sd, sd is room_sd)) if used]
    n = min(room_n) if room_n else None
    kind = rel.kind if rel is not None else "internal consistency"
    if published_r:
        source = rel.source
    else:
        source = (
            f"Cronbach's alpha of this session's complete 'before' answers "
            f"({n_r} people; used only with at least {MIN_N_RELIABILITY} people and a value "
            "between 0 and 1)"
        )
    if rel is not None and rel.sd is not None:
        source += f"; SD {rel.sd:g} published: {rel.sd_source}"
    elif not published_r or "SD" not in source:
        source += f"; SD of this session's 'before' scores ({n_sd} people)"
    problem = reliability_problem(r, sd, n)
    warning = None if problem is None else f"reliable change not estimable: {problem}"
    return (
        subscale,
        r,
        sd,
        n_sd if n is None else n,
        kind,
        " ".join(source.split()),
        problem is None,
        warning,
    )


def sample_reliability(
    answers: pd.DataFrame, instrument: Instrument, scores: pd.DataFrame
) -> pd.DataFrame:
    """Reliability and SD used for reliable change, per subscale, with where they came from.

    Published figures are used where the instrument defines them (see
    :func:`reliability_row`); otherwise Cronbach's alpha of the "before" answers of the
    participants who answered every item of the subscale. The SD is a published norm's
    or that of the room's "before" scores.

    Returns the columns of :data:`RELIABILITY_COLUMNS`; ``estimable`` is False, and
    ``warning`` says why, when reliable change cannot be worked out.
    """
    rel = instrument.reliability
    before = answers[(answers["instrument"] == instrument.id) & (answers["phase"] == "before")]
    # alpha is computed on scored values: reversed items mirrored
    before = before[before["item_id"].isin([item.id for item in instrument.items])]
    values = mirror_values(before["item_id"], before["value"], item_mirrors([instrument]))
    # one participants x items table for every subscale; who answered does not matter here
    wide = (
        before.assign(value=values)
        .groupby(["couple_code", "partner", "item_id"])["value"]
        .mean()
        .unstack("item_id")
        .reset_index(drop=True)
    )
    present = wide.notna()
    before_scores = scores[scores["phase"] == "before"]
    rows = []
    for sub in instrument.subscales or ():
        ids = [i.id for i in sub.items]
        # as a pivot of this subscale alone: its answered items, participants with any
        columns = [i for i in wide.columns if i in set(ids) and present[i].any()]
        table = wide.loc[present[columns].any(axis=1).to_numpy(), columns]
        sub_scores = before_scores[before_scores["subscale"] == sub.id]["score"]
        n_sd = int(sub_scores.notna().sum())
        sd = float(sub_scores.std(ddof=1)) if n_sd > 1 else float("nan")
        alpha = cronbach_alpha(table.reindex(columns=ids))
        rows.append(reliability_row(rel, sub.id, alpha, len(table.dropna()), sd, n_sd))
    return pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)


def item_mirrors(instruments) -> dict[str, float]:
    """``{item id: lo + hi}`` of every reversed item: the one place items are mirrored.

    >>> from workshop_kit.content import load_checkin
    >>> item_mirrors([load_checkin().instrument("checkin")])["vu2"]
    6
    """
    return {
        item.id: item.min + item.max for inst in instruments for item in inst.items if item.reversed
    }


def mirror_of(item_ids: pd.Series, mirrors: dict[str, float]) -> np.ndarray:
    """``lo + hi`` of each reversed item in ``item_ids``, NaN for the others."""
    return pd.Series(item_ids).map(mirrors).to_numpy(dtype=float)


def mirror_values(
    item_ids: pd.Series | None, values, mirrors: dict[str, float], mirror=None
) -> np.ndarray:
    """Scored values: a reversed item's answer ``v`` becomes ``lo + hi − v``.

    ``mirror`` (per row, from :func:`mirror_of`) may be given instead of ``item_ids``
    when the lookup is done once per distinct item.

    >>> mirror_values(pd.Series(["vu1", "vu2"]), [4.0, 2.0], {"vu2": 6}).tolist()
    [4.0, 4.0]
    """
    values = np.asarray(values, float)
    if mirror is None:
        if not mirrors:
            return values
        mirror = mirror_of(item_ids, mirrors)
    return np.where(np.isnan(mirror), values, mirror - values)


# -- intervals, effect sizes, reliable change: one implementation for a room and a programme
def _ppf(confidence: float, df: np.ndarray) -> np.ndarray:
    """Two-sided Student t quantile for ``confidence``; NaN where ``df < 1``.

    ``scipy.special.stdtrit`` (the inverse of Student's t distribution function): the
    same numbers as ``scipy.stats.t.ppf`` without importing all of ``scipy.stats``.
    """
    from scipy.special import stdtrit

    df = np.asarray(df, float)
    out = np.full(df.shape, np.nan)
    ok = df >= 1
    out[ok] = stdtrit(df[ok], 0.5 + confidence / 2)
    return out


def grouped_interval(
    values,
    groups,
    n_groups: int,
    clusters=None,
    *,
    confidence: float = CONFIDENCE,
    min_units: int = MIN_UNITS_INTERVAL,
    bounds=None,
) -> dict[str, np.ndarray]:
    """Mean of ``values`` per group with a Student t interval, optionally cluster-robust.

    The array core behind :func:`mean_interval`, :func:`change_summary` and the
    programme report: one pass of ``np.bincount`` over integer group numbers.

    Parameters
    ----------
    values : array of float, shape (n,)
        One value per row (a score or a change); NaN rows are left out.
    groups : array of int, shape (n,)
        The group number of each row, 0 .. ``n_groups`` − 1 (−1: in no group).
    n_groups : int
        How many groups.
    clusters : array of int, shape (n,), optional
        The unit each row belongs to (a couple). Rows of one cluster are not
        independent: the interval treats the cluster as the unit. None: every row is
        its own unit (the classic one-sample t interval).
    confidence : float
        Coverage of the interval (0.95).
    min_units : int
        Fewest units for an interval; below it ``ci_low``/``ci_high`` are NaN (withheld).
    bounds : (float or array, float or array), optional
        Lowest and highest possible value (per group or for all): the interval is
        clipped to them (a mean on a 1-5 scale cannot be 5.3).

    Returns
    -------
    dict of arrays, each shape (n_groups,)
        ``n`` (rows), ``units`` (clusters), ``mean``, ``sd`` (of the rows, ddof=1),
        ``se``, ``df``, ``ci_low``, ``ci_high``.

    Notes
    -----
    Without clusters: ``mean ± t(1 − α/2; n − 1) · sd/√n``.
    With clusters (G of them in a group, ``e_i = y_i − ȳ``), the cluster-robust (CR1)
    variance of the mean of the rows, with t on G − 1 degrees of freedom:

    ``V = G/(G − 1) · Σ_g (Σ_{i∈g} e_i)² / n²``.

    When every cluster holds one row this is exactly ``sd²/n``, so the two agree; when
    partners' values move together (as they do) it is wider, as it should be.

    References
    ----------
    Student (1908). The probable error of a mean. Biometrika, 6(1), 1-25.
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. Journal of Human Resources, 50(2), 317-372.

    Examples
    --------
    The demo ``--couples 3 --seed 1``, communication: three people changed by 2/3, 2/3
    and 0. With t on 2 degrees of freedom (t = 4.303), 0.444 ± 4.303 · 0.385/√3:

    >>> out = grouped_interval([2 / 3, 2 / 3, 0.0], [0, 0, 0], 1)
    >>> round(float(out["ci_low"][0]), 3), round(float(out["ci_high"][0]), 3)
    (-0.512, 1.401)

    The first two are partners: with the couple as the unit there are only 2 units, too
    few for an interval.

    >>> out = grouped_interval([2 / 3, 2 / 3, 0.0], [0, 0, 0], 1, clusters=[0, 0, 1])
    >>> int(out["units"][0]), bool(np.isnan(out["ci_low"][0]))
    (2, True)
    """
    values = np.asarray(values, float)
    groups = np.asarray(groups, np.int64)
    ok = ~np.isnan(values) & (groups >= 0)
    v, g = values[ok], groups[ok]
    n = np.bincount(g, minlength=n_groups).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=v, minlength=n_groups) / n
        resid = v - mean[g]
        sd = np.sqrt(np.bincount(g, weights=resid**2, minlength=n_groups) / (n - 1))
        sd[n < 2] = np.nan
        if clusters is None:
            units = n.copy()
            var = sd**2 / n
        else:
            c = np.asarray(clusters, np.int64)[ok]
            width = int(c.max()) + 1 if len(c) else 1
            inverse, uniq = pd.factorize(g * width + c)  # hashing: no sort
            sums = np.bincount(inverse, weights=resid)
            group_of = uniq // width
            units = np.bincount(group_of, minlength=n_groups).astype(float)
            squares = np.bincount(group_of, weights=sums**2, minlength=n_groups)
            var = units / (units - 1) * squares / n**2
        se = np.sqrt(var)
        df = units - 1
        half = _ppf(confidence, df) * se
        low, high = mean - half, mean + half
    withheld = (units < max(min_units, 2)) | ~np.isfinite(half)
    low[withheld] = np.nan
    high[withheld] = np.nan
    if bounds is not None:
        low = np.maximum(low, bounds[0])  # NaN stays NaN
        high = np.minimum(high, bounds[1])
    return {
        "n": n,
        "units": units,
        "mean": mean,
        "sd": sd,
        "se": se,
        "df": df,
        "ci_low": low,
        "ci_high": high,
    }


def _group_numbers(frame: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of every row (−1 where a key is missing) and the groups' keys."""
    if not by:
        return np.zeros(len(frame), np.int64), pd.DataFrame(index=[0])
    grouped = frame.groupby(by, sort=False, dropna=True)
    codes = grouped.ngroup().to_numpy(np.int64)
    keys = grouped.size().index.to_frame(index=False)  # in ngroup's order
    return codes, keys


def mean_interval(
    frame: pd.DataFrame,
    value: str,
    by: list[str] | tuple[str, ...] = (),
    cluster: str | None = None,
    *,
    confidence: float = CONFIDENCE,
    min_units: int = MIN_UNITS_INTERVAL,
    bounds=None,
) -> pd.DataFrame:
    """Mean of the column ``value`` per group of ``by``, with its t interval.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy rows, one per person (and whatever ``by`` splits).
    value : str
        The column to average.
    by : list of str
        Grouping columns (as pingouin's functions take column names).
    cluster : str, optional
        Column naming the unit rows belong to (``"couple_code"`` for a room): the
        interval is cluster-robust with t on (units − 1) degrees of freedom.
    confidence, min_units, bounds
        As in :func:`grouped_interval`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then ``n, units, mean, sd, se, ci_low, ci_high``, one row per
        group with at least one value, in the order groups first appear.

    Notes
    -----
    See :func:`grouped_interval` for the formulas.

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust
    inference. Journal of Human Resources, 50(2), 317-372.

    Examples
    --------
    >>> scores = pd.DataFrame({"phase": "before", "score": [3.0, 4.0, 5.0]})
    >>> row = mean_interval(scores, "score", ["phase"], bounds=(1, 5)).iloc[0]
    >>> round(float(row["ci_low"]), 3), float(row["ci_high"])  # 4 ± 4.303/√3, clipped
    (1.516, 5.0)
    """
    by = list(by)
    present = frame.dropna(subset=[value, *by])
    codes, keys = _group_numbers(present, by)
    clusters = None
    if cluster is not None:
        clusters, _ = pd.factorize(present[cluster])
    out = grouped_interval(
        present[value].to_numpy(float),
        codes,
        len(keys),
        clusters,
        confidence=confidence,
        min_units=min_units,
        bounds=bounds,
    )
    table = keys.reset_index(drop=True) if by else pd.DataFrame(index=range(len(keys)))
    for name in ("n", "units"):
        table[name] = out[name].astype(np.int64)
    for name in ("mean", "sd", "se", "ci_low", "ci_high"):
        table[name] = out[name]
    return table[table["n"] > 0].reset_index(drop=True)


def effect_size(
    mean, sd, n, se, units, *, confidence: float = CONFIDENCE, min_units: int = MIN_UNITS_INTERVAL
) -> dict[str, np.ndarray]:
    """Standardised mean change (Hedges' g_z) with its interval, per group.

    Parameters
    ----------
    mean, sd : array of float, shape (g,)
        Mean and SD (ddof=1) of the paired changes.
    n : array of float, shape (g,)
        People with both scores.
    se : array of float, shape (g,)
        Standard error of the mean change (cluster-robust for a room; ``sd/√n`` without
        clusters), from :func:`grouped_interval`.
    units : array of float, shape (g,)
        Independent units (couples), for the t quantile and ``min_units``.

    Returns
    -------
    dict of arrays, shape (g,)
        ``d_z`` (mean/sd), ``g_z`` (with the small-sample correction), ``g_low``,
        ``g_high``. NaN where the SD is 0 or missing; the interval NaN below
        ``min_units``.

    Notes
    -----
    ``d_z = mean/sd``; ``g_z = J·d_z`` with ``J = 1 − 3/(4(n − 1) − 1)`` (Hedges 1981).
    Interval (delta method): ``Var(d_z) ≈ se²/sd² + d_z²/(2(n − 1))``; the bounds are
    ``J·(d_z ± t(1 − α/2; units − 1)·√Var)``. Without clusters ``se²/sd² = 1/n``,
    the usual large-sample variance of d_z (Borenstein et al. 2009, eq. 4.28).

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
    related estimators. Journal of Educational Statistics, 6(2), 107-128.
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science. Frontiers in Psychology, 4, 863.
    Borenstein, M., Hedges, L. V., Higgins, J. P. T., & Rothstein, H. R. (2009).
    Introduction to Meta-Analysis. Wiley.

    Examples
    --------
    Changes 1, 2, 3, 4: mean 2.5, SD 1.291, d_z = 1.936, J = 1 − 3/11 = 0.727, so
    g_z = 1.408; Var = 1/4 + 1.936²/6 = 0.875, t(3) = 3.182, so
    0.727 · (1.936 ± 3.182 · 0.935) = (−0.757, 3.573).

    >>> out = effect_size([2.5], [1.2909944], [4], [1.2909944 / 2], [4])
    >>> [round(float(out[k][0]), 3) for k in ("g_z", "g_low", "g_high")]
    [1.408, -0.757, 3.573]
    """
    mean, sd, n, se, units = (np.asarray(x, float) for x in (mean, sd, n, se, units))
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.where(sd > 0, mean / sd, np.nan)
        j = 1 - 3 / (4 * (n - 1) - 1)
        j = np.where(n >= 2, j, np.nan)
        var = se**2 / sd**2 + d**2 / (2 * (n - 1))
        half = _ppf(confidence, units - 1) * np.sqrt(var)
    low, high = j * (d - half), j * (d + half)
    withheld = (units < max(min_units, 2)) | ~np.isfinite(half)
    low[withheld] = np.nan
    high[withheld] = np.nan
    return {"d_z": d, "g_z": j * d, "g_low": low, "g_high": high}


def reliability_problem(
    reliability: float | None, sd: float | None, n: int | None, min_n: int = MIN_N_RELIABILITY
) -> str | None:
    """Why a reliability and SD cannot be used for reliable change (None: they can).

    Usable means ``0 < r < 1``, ``SD > 0`` and, for an estimate from the room, at least
    ``min_n`` people behind it (``n`` None: a published norm, no minimum).

    >>> reliability_problem(0.8, 0.6, 24), reliability_problem(-2.18, 0.39, 24)
    (None, 'reliability -2.18 is not between 0 and 1')
    >>> reliability_problem(0.8, 0.0, 24), reliability_problem(0.8, 0.6, 6)
    ('the spread (SD) is 0', 'only 6 people (at least 10 needed)')
    """

    def missing(x) -> bool:
        return x is None or (isinstance(x, float) and math.isnan(x))

    if n is not None and n < min_n:
        return f"only {n} people (at least {min_n} needed)"
    if missing(reliability):
        return "no reliability"
    if not 0 < reliability < 1:
        return f"reliability {reliability:.3g} is not between 0 and 1"
    if missing(sd):
        return "no spread (SD)"
    if not sd > 0:
        return "the spread (SD) is 0"
    return None


def usable_s_diff(sd, reliability, n=None, min_n: int = MIN_N_RELIABILITY) -> np.ndarray:
    """``S_diff = SD·√2·√(1 − r)`` where the inputs are usable, else NaN (arrays).

    The vector form of :func:`reliability_problem` and :func:`rci_s_diff`: NaN where
    ``r ≤ 0``, ``r ≥ 1``, ``SD ≤ 0``, anything is missing, or ``n < min_n`` (``n``
    None: no minimum, as for a published norm).

    >>> usable_s_diff([0.8, 0.8, 0.8, 0.8], [0.8, -2.18, 1.0, 0.8], [24, 24, 24, 6]).round(3)
    array([0.506,   nan,   nan,   nan])
    """
    sd = np.asarray(sd, float)
    r = np.asarray(reliability, float)
    with np.errstate(invalid="ignore"):
        ok = (r > 0) & (r < 1) & (sd > 0)
        if n is not None:
            ok &= np.asarray(n, float) >= min_n
        s_diff = sd * math.sqrt(2) * np.sqrt(np.where(ok, 1 - r, np.nan))
    return np.where(ok, s_diff, np.nan)


def classify_change(change, s_diff) -> np.ndarray:
    """Category number of each change: 0 improved, 1 no reliable change, 2 worsened,
    3 not estimable, −1 no change to classify (before or after missing).

    >>> classify_change([2.0, 0.1, -2.0, 1.0, np.nan], [0.5, 0.5, 0.5, np.nan, 0.5]).tolist()
    [0, 1, 2, 3, -1]
    """
    change = np.asarray(change, float)
    s_diff = np.broadcast_to(np.asarray(s_diff, float), change.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        rci = change / s_diff
    out = np.where(rci > Z_95, 0, np.where(rci < -Z_95, 2, 1)).astype(np.int8)
    out[np.isnan(s_diff)] = 3
    out[np.isnan(change)] = -1
    return out


def couple_categories(category, couple, n_couples: int) -> np.ndarray:
    """Each couple's reliable change from its partners' categories (arrays).

    ``category`` is :func:`classify_change` per person, ``couple`` the couple number of
    each person (0 .. n_couples − 1). Returns per couple: 0 both improved, 1 one improved,
    2 neither improved, 3 not estimable (a partner without a before and after, or whose
    change cannot be classified), −1 no partner with both (not counted).

    >>> couple_categories([0, 0, 0, 1, 1, 2, 0, 3, 0, -1, -1, -1],
    ...                   [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5], 6).tolist()
    [0, 1, 2, 3, 3, -1]
    """
    category = np.asarray(category, np.int64)
    couple = np.asarray(couple, np.int64)
    people = np.bincount(couple, minlength=n_couples)
    paired = np.bincount(couple, weights=category >= 0, minlength=n_couples)
    classified = np.bincount(couple, weights=(category >= 0) & (category < 3), minlength=n_couples)
    improved = np.bincount(couple, weights=category == 0, minlength=n_couples)
    out = np.where(improved >= 2, 0, np.where(improved == 1, 1, 2)).astype(np.int8)
    out[(classified < 2) | (people < 2)] = 3
    out[paired == 0] = -1
    return out


def reliable_change(
    changes: pd.DataFrame,
    sd: float,
    reliability: float,
    n: int | None = None,
    min_n: int = MIN_N_RELIABILITY,
) -> pd.DataFrame:
    """Add ``rci`` and ``category`` to a change frame (Jacobson & Truax 1991).

    Parameters
    ----------
    changes : pandas.DataFrame
        With a ``change`` column (after − before).
    sd : float
        Spread (SD) of the "before" scores of the reference group.
    reliability : float
        The measure's reliability r.
    n : int, optional
        People behind a reliability and SD estimated from the room; None for a published
        norm (no minimum).
    min_n : int
        Fewest people for a room's own estimate.

    Returns
    -------
    pandas.DataFrame
        ``changes`` with ``rci`` and ``category``: "improved", "no reliable change",
        "worsened", or "not estimable" when the inputs are unusable (see
        :func:`reliability_problem`); None where there is no change (before or after
        missing).

    Notes
    -----
    ``RCI = (after − before) / S_diff`` with ``S_diff = SD·√2·√(1 − r)``; a change is
    reliable when ``|RCI| > 1.96``.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
    defining meaningful change in psychotherapy research. Journal of Consulting and
    Clinical Psychology, 59(1), 12-19.

    Examples
    --------
    >>> changes = pd.DataFrame({"before": [2.0, 3.0, 4.0], "after": [4.0, 3.2, 2.0]})
    >>> changes["change"] = changes["after"] - changes["before"]
    >>> reliable_change(changes, sd=0.8, reliability=0.8)["category"].tolist()
    ['improved', 'no reliable change', 'worsened']
    >>> reliable_change(changes, sd=0.8, reliability=-2.18)["category"].tolist()
    ['not estimable', 'not estimable', 'not estimable']
    """
    out = changes.copy()
    s_diff = float(usable_s_diff(sd, reliability, n, min_n))
    out["rci"] = out["change"] / s_diff if not math.isnan(s_diff) else np.nan
    codes = classify_change(out["change"].to_numpy(float), s_diff)
    labels = np.array([*CHANGE_CATEGORIES, None], dtype=object)
    out["category"] = pd.Series(labels[codes], index=out.index, dtype=object)
    out.loc[codes < 0, "category"] = None  # code -1: no change to classify
    return out


SUMMARY_COUNTS = ("improved", "no_change", "worsened", "not_estimable")
COUPLE_COUNTS = ("both_improved", "one_improved", "neither_improved", "couples_not_estimable")
#: The figures of a before/after table (a room's or a programme's), in this order.
CHANGE_COLUMNS = [
    "n",
    "couples",
    "mean_before",
    "mean_after",
    "mean_change",
    "ci_low",
    "ci_high",
    "g_z",
    "g_low",
    "g_high",
    *SUMMARY_COUNTS,
    *COUPLE_COUNTS,
]
#: What a row with fewer than k people hides: everything but ``n`` and ``couples``.
HIDDEN_UNDER_K = CHANGE_COLUMNS[2:]


def summarise_changes(
    before,
    after,
    category,
    groups,
    n_groups: int,
    clusters,
    *,
    bounds=None,
    confidence: float = CONFIDENCE,
    min_units: int = MIN_UNITS_INTERVAL,
) -> dict[str, np.ndarray]:
    """Before/after per group among people with both: the array core of a room's and a
    programme's change table (:func:`change_summary`, :func:`workshop_kit.outcomes`).

    Parameters
    ----------
    before, after : array of float, shape (p,)
        One row per person (and measure): the two scores; NaN where missing.
    category : array of int, shape (p,)
        :func:`classify_change` of each row.
    groups : array of int, shape (p,)
        Group number of each row (a measure, or a session and measure).
    n_groups : int
        How many groups.
    clusters : array of int, shape (p,)
        The couple of each row: the unit of the interval and of the couple counts.
    bounds : (array, array), optional
        Lowest and highest possible change per group (``min − max``, ``max − min``).

    Returns
    -------
    dict of arrays, shape (n_groups,)
        ``n`` (people with both), ``couples`` (with at least one), ``mean_before,
        mean_after, mean_change, sd_change, se, ci_low, ci_high`` (the t interval with the
        couple as the unit, see :func:`grouped_interval`), ``d_z, g_z, g_low, g_high``
        (:func:`effect_size`), the people counts ``improved, no_change, worsened,
        not_estimable`` (adding up to ``n``) and the couple counts ``both_improved,
        one_improved, neither_improved, couples_not_estimable`` (adding up to
        ``couples``, see :func:`couple_categories`).

    Notes
    -----
    Only rows with both scores count anywhere, so the people counts add up to ``n``.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
    defining meaningful change in psychotherapy research. Journal of Consulting and
    Clinical Psychology, 59(1), 12-19.
    """
    before = np.asarray(before, float)
    after = np.asarray(after, float)
    change = after - before
    paired = ~np.isnan(change) & (np.asarray(groups) >= 0)
    g = np.asarray(groups, np.int64)[paired]
    c = np.asarray(clusters, np.int64)[paired]
    cat = np.asarray(category, np.int64)[paired]
    stats = grouped_interval(
        change[paired], g, n_groups, c, confidence=confidence, min_units=min_units, bounds=bounds
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        n = stats["n"]
        mean_before = np.bincount(g, weights=before[paired], minlength=n_groups) / n
        mean_after = np.bincount(g, weights=after[paired], minlength=n_groups) / n
    out = {
        "n": n,
        "couples": stats["units"],
        "mean_before": mean_before,
        "mean_after": mean_after,
        "mean_change": stats["mean"],
        "sd_change": stats["sd"],
        "se": stats["se"],
        "ci_low": stats["ci_low"],
        "ci_high": stats["ci_high"],
    }
    out.update(
        effect_size(
            stats["mean"],
            stats["sd"],
            n,
            stats["se"],
            stats["units"],
            confidence=confidence,
            min_units=min_units,
        )
    )
    for code, name in enumerate(SUMMARY_COUNTS):
        out[name] = np.bincount(g, weights=cat == code, minlength=n_groups)
    width = int(c.max()) + 1 if len(c) else 1
    inverse, uniq = pd.factorize(g * width + c)  # hashing: no sort
    per_couple = couple_categories(cat, inverse, len(uniq))
    group_of = uniq // width
    for code, name in enumerate(COUPLE_COUNTS):
        out[name] = np.bincount(group_of, weights=per_couple == code, minlength=n_groups)
    return out


def change_summary(
    changes: pd.DataFrame,
    by: list[str] | tuple[str, ...],
    cluster: str = "couple_code",
    *,
    bounds: dict | None = None,
    confidence: float = CONFIDENCE,
    min_units: int = MIN_UNITS_INTERVAL,
) -> pd.DataFrame:
    """Before/after per group of ``by`` among people with both, the couple as the unit.

    Parameters
    ----------
    changes : pandas.DataFrame
        One row per person (and ``by`` group): ``before, after`` and ``category`` (from
        :func:`reliable_change`), the ``by`` columns and the ``cluster`` column.
    by : list of str
        Grouping columns, such as ``["measure", "subscale"]``.
    cluster : str
        Column naming each row's couple.
    bounds : dict, optional
        ``{group key (tuple of the by values): (lowest, highest) score}``: the change's
        interval is clipped to ``lowest − highest .. highest − lowest``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then every field of :func:`summarise_changes`, one row per
        group with at least one person with both, in the order groups first appear.

    Examples
    --------
    >>> changes = pd.DataFrame({"measure": "m", "couple_code": ["X", "X", "Y", "Z"],
    ...     "before": [3.0, 3.0, 4.0, 2.0], "after": [4.0, 5.0, 4.0, 3.0],
    ...     "category": ["improved", "improved", "no reliable change", "not estimable"]})
    >>> row = change_summary(changes, ["measure"]).iloc[0]
    >>> [int(row[k]) for k in ("n", "couples", "improved", "no_change", "not_estimable")]
    [4, 3, 2, 1, 1]
    >>> [int(row[k]) for k in ("both_improved", "neither_improved", "couples_not_estimable")]
    [1, 0, 2]
    """
    by = list(by)
    paired = changes.dropna(subset=["before", "after", *by])
    codes, keys = _group_numbers(paired, by)
    clusters, _ = pd.factorize(paired[cluster])
    lookup = {name: i for i, name in enumerate(CHANGE_CATEGORIES)}
    category = paired["category"].map(lookup).fillna(3).to_numpy(np.int64)
    limits = None
    if bounds is not None:
        span = np.array(
            [
                (lambda b: b[1] - b[0] if b is not None else np.nan)(
                    bounds.get(tuple(row) if len(by) > 1 else row[0])
                )
                for row in keys.itertuples(index=False)
            ],
            float,
        ).reshape(-1)
        limits = (np.where(np.isnan(span), -np.inf, -span), np.where(np.isnan(span), np.inf, span))
    out = summarise_changes(
        paired["before"].to_numpy(float),
        paired["after"].to_numpy(float),
        category,
        codes,
        len(keys),
        clusters,
        bounds=limits,
        confidence=confidence,
        min_units=min_units,
    )
    table = keys.reset_index(drop=True) if by else pd.DataFrame(index=range(len(keys)))
    for name, values in out.items():
        table[name] = values
    for name in ("n", "couples", *SUMMARY_COUNTS, *COUPLE_COUNTS):
        table[name] = table[name].astype(np.int64)
    return table[table["n"] > 0].reset_index(drop=True)
