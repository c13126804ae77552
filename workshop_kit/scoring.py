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
CHANGE_CATEGORIES = ("improved", "no reliable change", "worsened")


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
    merged["scored"] = np.where(
        merged["reversed"], merged["lo"] + merged["hi"] - merged["value"], merged["value"]
    )
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


def reliable_change(changes: pd.DataFrame, sd: float, reliability: float) -> pd.DataFrame:
    """Add ``rci`` and ``category`` (improved / no reliable change / worsened) to a change frame.

    RCI = (after − before) / S_diff; a change is reliable when ``|RCI| > 1.96``.

    >>> changes = pd.DataFrame({"before": [2.0, 3.0, 4.0], "after": [4.0, 3.2, 2.0]})
    >>> changes["change"] = changes["after"] - changes["before"]
    >>> reliable_change(changes, sd=0.8, reliability=0.8)["category"].tolist()
    ['improved', 'no reliable change', 'worsened']
    """
    out = changes.copy()
    s_diff = rci_s_diff(sd, reliability) if sd and reliability is not None else float("nan")
    out["rci"] = out["change"] / s_diff if s_diff and not math.isnan(s_diff) else np.nan
    out["category"] = np.select(
        [out["rci"] > Z_95, out["rci"] < -Z_95, out["rci"].notna()],
        ["improved", "worsened", "no reliable change"],
        default=None,
    )
    out.loc[out["rci"].isna(), "category"] = None
    return out


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
    reversed_ = meta["reversed"].to_numpy(dtype=bool)
    mirror = (meta["lo"] + meta["hi"]).to_numpy(dtype=float)
    scored = {}
    for partner in ("A", "B"):
        value = wide[partner].to_numpy(dtype=float)
        scored[partner] = np.where(reversed_, mirror - value, value)
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


def sample_reliability(
    answers: pd.DataFrame, instrument: Instrument, scores: pd.DataFrame
) -> pd.DataFrame:
    """Reliability and SD used for reliable change, per subscale, with where they came from.

    Published figures are used where the instrument defines them; otherwise Cronbach's
    alpha of the "before" answers. The SD is always that of the "before" scores. A
    ``warning`` is set when fewer than 10 participants with complete answers are available.

    Returns ``subscale, reliability, sd, n, source, warning``.
    """
    rel = instrument.reliability
    before = answers[(answers["instrument"] == instrument.id) & (answers["phase"] == "before")]
    # alpha is computed on scored values: reversed items mirrored
    before = before[before["item_id"].isin([item.id for item in instrument.items])]
    mirrors = {item.id: item.min + item.max for item in instrument.items if item.reversed}
    values = before["value"].to_numpy(dtype=float)
    if mirrors:
        mirror = before["item_id"].map(mirrors).to_numpy(dtype=float)
        values = np.where(np.isnan(mirror), values, mirror - values)
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
    subs = instrument.subscales or ()
    for sub in subs:
        ids = [i.id for i in sub.items]
        # as a pivot of this subscale alone: its answered items, participants with any
        columns = [i for i in wide.columns if i in set(ids) and present[i].any()]
        table = wide.loc[present[columns].any(axis=1).to_numpy(), columns]
        sub_scores = before_scores[before_scores["subscale"] == sub.id]["score"]
        sd = float(sub_scores.std(ddof=1)) if sub_scores.notna().sum() > 1 else float("nan")
        if rel is not None and rel.method != "sample":
            r, source = rel.r, rel.source
            n = int(sub_scores.notna().sum())
        else:
            r = cronbach_alpha(table.reindex(columns=ids))
            n = len(table.dropna())
            source = rel.source if rel else "Cronbach's alpha of this session's before answers"
        warning = None
        if n < 10:
            warning = f"only {n} participants: reliability and SD are rough estimates"
        if math.isnan(r) if isinstance(r, float) else r is None:
            warning = "not enough answers to estimate reliability"
        rows.append((sub.id, r, sd, n, " ".join(source.split()), warning))
    return pd.DataFrame(rows, columns=["subscale", "reliability", "sd", "n", "source", "warning"])
