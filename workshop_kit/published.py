"""The check-in figures as the room may see them: one ledger for the dashboard and reports.

:mod:`workshop_kit.results` computes the room's figures; this module decides, at the
publication boundary, which of them may be shown now (:mod:`workshop_kit.disclosure`).
The live dashboard, the results page, the room summary PDF and ``summary --json`` all
record what they show in one release ledger kept in the session file (``meta`` key
``released:checkin``), per quantity: a measure's theme and phase (``checkin/trust/before``).
So a report made after the dashboard showed 18 people, or a second report made after one
more person answered, is checked against everything shown before.

For each measure and theme, the before/after row is computed over a set of people with
both check-ins: all of them when that set is allowed (it is, or differs by at least
``k`` people from, every set shown before for both phases), else the largest set already
shown (the people of an earlier picture whose answers have not changed since), else the
row is held back. A phase's mean is shown over the row's people when fewer than ``k``
answered only that phase (:func:`workshop_kit.disclosure.align_to_paired`), else over
everyone who answered it, if allowed, else as last shown. Spreads (SD, interval) need
``2k`` people and, in a second ledger with ``2k`` in place of ``k``, a set at least
``2k`` people from every set whose spread was shown.

Reads and writes the session's store; no drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import disclosure, scoring, tally
from .results import THEME_BOUNDS, CheckinResults, checkin_results
from .session import Session

CHECKIN_LEDGER = "checkin"  # shared with the live dashboard
SPREAD_LEDGER = "checkin_spread"
#: The room's change table (:data:`workshop_kit.results.ROOM_CHANGE_COLUMNS`) and how many
#: paired people a row leaves out.
CHANGE_COLUMNS = ["measure", "subscale", *scoring.CHANGE_COLUMNS, "suppressed", "held_back"]
MEANS_COLUMNS = ["subscale", "phase", "n", "mean", "sd", "ci_low", "ci_high", "suppressed", "over"]


@dataclass
class PublishedCheckin:
    """What the room may see of the check-in, and over whom each shown mean rests."""

    theme_means: pd.DataFrame  # MEANS_COLUMNS; over: "paired", "phase" or "as shown before"
    change: pd.DataFrame  # CHANGE_COLUMNS; held_back: paired people left out of the row
    reliability: pd.DataFrame  # measure, subscale, reliability, sd, n, source, warning
    people: dict[str, frozenset[str]] = field(default_factory=dict)  # quantity -> people


def _person(frame: pd.DataFrame) -> pd.Series:
    return frame["couple_code"] + "/" + frame["partner"]


def _by_phase(results: CheckinResults, measure: str) -> dict[tuple[str, str], dict[str, float]]:
    """(subscale, phase) -> {person: score} of everyone with a score."""
    scores = results.scores_for(measure).dropna(subset=["score"])
    out: dict[tuple[str, str], dict[str, float]] = {}
    for (sub, phase), group in scores.groupby(["subscale", "phase"], sort=False):
        out[(sub, phase)] = dict(zip(_person(group), group["score"].astype(float)))
    return out


def _unchanged_in(state: dict[str, str], current: dict[str, float]) -> set[str]:
    """The people of ``current`` who are in an earlier ``state`` with the same score."""
    return {
        p for p, v in current.items() if state.get(disclosure._person(p)) == disclosure._token(p, v)
    }


def publish_checkin(session: Session, results: CheckinResults | None = None) -> PublishedCheckin:
    """The check-in figures the room may see now, recorded in the session's ledger.

    Parameters
    ----------
    session
        The session; its ``k`` and its ledgers (read and written).
    results
        :func:`workshop_kit.results.checkin_results` of the session (computed if None).

    Returns
    -------
    PublishedCheckin
        Theme means by phase, the before/after rows of every measure (the columns of
        :func:`workshop_kit.results.room_change` plus ``held_back``), the reliability
        block, and the people each shown mean rests on.

    Notes
    -----
    See the module's description; the rule is that of :mod:`workshop_kit.disclosure`.
    """
    results = results if results is not None else checkin_results(session)
    k = tally.check_k(session.k)
    # one lock from reading the ledgers to saving them, across processes (the dashboard's
    # kernel may be publishing at the same moment)
    with disclosure.publishing(session.store):
        return _publish_checkin(session, results, k)


def _publish_checkin(session: Session, results: CheckinResults, k: int) -> PublishedCheckin:
    ledger = disclosure.load_ledger(session.store, CHECKIN_LEDGER, k)
    spread = disclosure.load_ledger(session.store, SPREAD_LEDGER, disclosure.dispersion_min_n(k))
    people: dict[str, frozenset[str]] = {}
    rows, chosen = [], {}
    paired = results.changes.dropna(subset=["change"])
    for (measure, sub), group in paired.groupby(["measure", "subscale"], sort=False):
        group = group.assign(person=_person(group))
        before = dict(zip(group["person"], group["before"].astype(float)))
        after = dict(zip(group["person"], group["after"].astype(float)))
        qb, qa = f"{measure}/{sub}/before", f"{measure}/{sub}/after"
        candidates = [set(before)]
        for state in ledger.history.get(qb, []):
            candidates.append(_unchanged_in(state, before) & set(after))
        for state in ledger.history.get(qa, []):
            candidates.append(_unchanged_in(state, after) & set(before))
        pick = None
        for people_set in sorted(candidates, key=lambda c: (-len(c), sorted(c))):
            if len(people_set) < k:
                break
            sb = ledger.fingerprint({p: before[p] for p in people_set})
            sa = ledger.fingerprint({p: after[p] for p in people_set})
            if ledger.allows(qb, sb) and ledger.allows(qa, sa):
                pick = (people_set, sb, sa)
                break
        row = {"measure": measure, "subscale": sub, "n": len(group), "held_back": 0}
        row["couples"] = group["couple_code"].nunique()
        if pick is None:
            row.update(dict.fromkeys(scoring.HIDDEN_UNDER_K, math.nan))
            rows.append(row)
            continue
        people_set, sb, sa = pick
        mine = group[group["person"].isin(people_set)]
        # the figures: scoring.change_summary, the one implementation (t interval and
        # effect size with each couple as one unit; counts adding up to n)
        figures = scoring.change_summary(
            mine, ["measure", "subscale"], "couple_code", bounds=results.bounds or None
        ).iloc[0]
        mean_before, mean_after = float(figures["mean_before"]), float(figures["mean_after"])
        ledger.record(qb, sb, {"n": len(mine), "mean": mean_before})
        ledger.record(qa, sa, {"n": len(mine), "mean": mean_after})
        people[qb] = people[qa] = frozenset(people_set)
        chosen[(measure, sub)] = people_set
        change_state = spread.fingerprint(dict(zip(mine["person"], mine["change"].astype(float))))
        spread_ok = disclosure.dispersion_allowed(len(mine), k) and spread.allows(
            f"{measure}/{sub}/change", change_state
        )
        if spread_ok:
            spread.record(f"{measure}/{sub}/change", change_state, None)
        row.update({name: figures[name] for name in scoring.CHANGE_COLUMNS})
        row["held_back"] = len(group) - len(mine)
        if not spread_ok:  # the interval and the effect size (which gives the SD away)
            row.update(dict.fromkeys(disclosure.CHANGE_SPREAD, math.nan))
        rows.append(row)
    change = pd.DataFrame(rows, columns=[c for c in CHANGE_COLUMNS if c != "suppressed"])
    change = disclosure.publish_change_rows(change, k)[CHANGE_COLUMNS] if rows else change
    if not rows:
        change = pd.DataFrame(columns=CHANGE_COLUMNS)
    # a held-back row is marked suppressed like a small one
    change["suppressed"] = change["suppressed"].astype(bool) | change["mean_change"].isna()

    theme_means = _theme_means(results, k, ledger, spread, chosen, people)
    reliability = _reliability(results, session, k, ledger, spread)
    disclosure.save_ledger(session.store, CHECKIN_LEDGER, ledger)
    disclosure.save_ledger(session.store, SPREAD_LEDGER, spread)
    return PublishedCheckin(theme_means, change, reliability, people)


def _theme_means(results, k, ledger, spread, chosen, people) -> pd.DataFrame:
    rows = []
    for (sub, phase), everyone in _by_phase(results, "checkin").items():
        quantity = f"checkin/{sub}/{phase}"
        paired = chosen.get(("checkin", sub))
        over, figure_people = None, None
        if paired and disclosure.align_to_paired(everyone, dict.fromkeys(paired), k) == "paired":
            over, figure_people = "paired", paired
        else:
            state = ledger.fingerprint(everyone)
            values = list(everyone.values())
            if ledger.allows(quantity, state):
                mean = sum(values) / len(values)
                ledger.record(quantity, state, {"n": len(values), "mean": mean})
                over, figure_people = "phase", set(everyone)
        if figure_people is not None:
            ordered = sorted(figure_people)
            values = pd.Series([everyone[p] for p in ordered])
            # t interval with each couple as one unit, clipped to the scale (scoring)
            stats = scoring.grouped_interval(
                values.to_numpy(float),
                np.zeros(len(values), np.int64),
                1,
                pd.factorize(pd.Series([p.split("/")[0] for p in ordered]))[0],
                bounds=THEME_BOUNDS,
            )
            mean, sd, lo, hi = (float(stats[c][0]) for c in ("mean", "sd", "ci_low", "ci_high"))
            people[quantity] = frozenset(figure_people)
            state = spread.fingerprint({p: everyone[p] for p in figure_people})
            if disclosure.dispersion_allowed(len(values), k) and spread.allows(quantity, state):
                spread.record(quantity, state, None)
            else:
                sd = lo = hi = math.nan
            rows.append((sub, phase, len(values), mean, sd, lo, hi, False, over))
            continue
        shown = ledger.shown.get(quantity)
        if shown:
            rows.append(
                (sub, phase, shown["n"], shown["mean"], *[math.nan] * 3, False, "as shown before")
            )
        else:
            rows.append((sub, phase, len(everyone), *[math.nan] * 4, True, None))
    order = {sub: i for i, sub in enumerate(results.subscale_names)}
    frame = pd.DataFrame(rows, columns=MEANS_COLUMNS)
    frame = frame.sort_values(
        ["subscale", "phase"], key=lambda c: c.map(order) if c.name == "subscale" else c
    )
    return frame.reset_index(drop=True)


def _reliability(results, session, k, ledger, spread) -> pd.DataFrame:
    out = results.reliability[
        ["measure", "subscale", "reliability", "kind", "sd", "n", "estimable", "source", "warning"]
    ].copy()
    by_measure: dict[str, dict] = {}
    for i, row in out.iterrows():
        measure, sub = row["measure"], row["subscale"]
        if measure not in by_measure:
            by_measure[measure] = _by_phase(results, measure)
        everyone = by_measure[measure].get((sub, "before"), {})
        quantity = f"{measure}/{sub}/before"
        mean_state = ledger.fingerprint(everyone)
        spread_state = spread.fingerprint(everyone)
        # An SD gives, with a mean over a set one or two people off, those people's
        # scores: only over a set whose mean could itself be shown, and 2k from others.
        safe = (
            disclosure.dispersion_allowed(len(everyone), k)
            and ledger.allows(quantity, mean_state)
            and spread.allows(quantity, spread_state)
        )
        if safe:
            ledger.reserve(quantity, mean_state)
            spread.record(quantity, spread_state, None)
        else:
            out.loc[i, "sd"] = math.nan
        rel = session.content.instrument(measure).reliability
        estimated = rel is None or rel.method == "sample" or rel.r is None
        if estimated and not disclosure.dispersion_allowed(float(row["n"]), k):
            out.loc[i, "reliability"] = math.nan
    return out
