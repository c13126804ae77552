"""Disclosure control: what of a computed figure may be published, and when.

Every room figure the kit shows or writes (projector views, the results page, the room
summary PDF, ``summary --json``, the ``outcomes`` report) passes through the functions
here, at the publication boundary: they take figures already computed (by
:mod:`workshop_kit.scoring`, :mod:`workshop_kit.tally`, …) together with *who*
contributed to each, and return what may be shown. Pure logic: no files, no drawing.

The rule, in the terms of statistical disclosure control (Hundepool et al. 2012):

1. **Threshold rule** (primary suppression). Every published figure rests on at least
   ``k`` contributors (:func:`passes_threshold`).
2. **Differencing.** Two published figures of one quantity whose contributor sets differ
   must differ by at least ``k`` people, or the later one is withheld
   (:func:`people_apart`, :class:`ReleaseLedger`). A person whose answer changed counts
   as a difference. This covers successive states of a live view (which therefore move
   in batches of at least ``k`` new people), a phase's mean against the paired change
   (:func:`align_to_paired`: the phase is then shown over the paired people), and a
   session against the pooled report (:func:`protect_margin`).
3. **Complementary suppression.** Counts that add up to a shown total (improved / no
   change / worsened adding up to ``n``; sessions adding up to the pooled row) are hidden
   so that the hidden cells of each line together hold no people or at least ``k``
   (:func:`protect_line`): subtracting the shown cells from the total then never gives
   a group under ``k``.
4. **Dispersion** (SD, interval, a reliability estimated from the room) is shown only
   for groups of at least ``2k`` people (:func:`dispersion_allowed`) and is hidden with
   its group. With the mean and the SD of ``n`` values, anyone who knows ``n − 2`` of
   them solves the last two; ``2k`` leaves at least ``k`` unknown to any one member.
5. ``k`` can never be set below a session's own ``k``; a report pooling sessions uses
   the strictest (largest) ``k`` among them (:func:`effective_k`).

References
----------
Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E.,
Spicer, K., & de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley. (Ch. 4,
frequency and magnitude tables: threshold rule, primary and secondary suppression;
Ch. 4.6 and 5, disclosure by differencing.)

Eurostat (2019). *Handbook on Statistical Disclosure Control*, v2.0, ESSnet on SDC.

Office for National Statistics (2006). *Guidance for the release of tabular data*:
"differencing" between overlapping tables.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError, StoreReadOnly

#: A person's contribution to one figure: who (a stable id) -> what they gave. Two
#: states of a figure differ in a person when the person is in one only, or gave
#: something else (a changed answer).
Contributions = Mapping[str, Hashable]


def check_k(k: int) -> int:
    """Return ``k`` or raise when it is not a whole number of at least 1.

    >>> check_k(3)
    3
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a whole number of at least 1; not {k!r}")
    return int(k)


def effective_k(session_ks: Iterable[int], requested: int | None = None) -> int:
    """The ``k`` a report over these sessions must use: never below any session's own.

    Parameters
    ----------
    session_ks
        The ``k`` each pooled session was run with.
    requested
        A ``k`` asked for (``--k``); None takes the strictest of the sessions'.

    Returns
    -------
    int
        ``max(session_ks)`` or ``requested`` when that is larger.

    Raises
    ------
    InputError
        When ``requested`` is below a session's ``k`` (a smaller group than that session
        promised its participants would be shown), or not a whole number of at least 1.

    Examples
    --------
    >>> effective_k([3, 5]), effective_k([3, 5], 6)
    (5, 6)
    >>> effective_k([3, 5], 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: --k must be at least 5, the largest k the sessions ...
    """
    strictest = max((check_k(k) for k in session_ks), default=1)
    if requested is None:
        return strictest
    if isinstance(requested, bool) or not isinstance(requested, (int, np.integer)):
        raise InputError(f"--k must be a whole number; not {requested!r}")
    if requested < strictest:
        raise InputError(
            f"--k must be at least {strictest}, the largest k the sessions promised; "
            f"not {requested}"
        )
    return int(requested)


def passes_threshold(n: float, k: int) -> bool:
    """The threshold rule: a figure may rest on ``n`` contributors when ``n >= k``.

    >>> passes_threshold(3, 3), passes_threshold(2, 3)
    (True, False)
    """
    return not math.isnan(n) and n >= check_k(k)


def dispersion_min_n(k: int) -> int:
    """The fewest people a published SD, interval or room reliability needs: ``2k``.

    Notes
    -----
    The mean and the SD of ``n`` values give their sum and their sum of squares. A member
    who knows ``n − 2`` of the values solves the other two from those two equations
    (as a pair). With ``n >= 2k`` a member knowing their own value (or a couple knowing
    both of theirs) still faces at least ``k`` unknowns.

    >>> dispersion_min_n(3)
    6
    """
    return 2 * check_k(k)


def dispersion_allowed(n: float, k: int) -> bool:
    """True when a spread (SD, interval, reliability) over ``n`` people may be shown.

    >>> dispersion_allowed(5, 3), dispersion_allowed(6, 3)
    (False, True)
    """
    return not math.isnan(n) and n >= dispersion_min_n(k)


def people_apart(old: Contributions, new: Contributions) -> int:
    """How many people two states of one figure differ in (joined, left or changed).

    >>> people_apart({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4})
    2
    """
    return sum(1 for p in set(old) | set(new) if old.get(p, _ABSENT) != new.get(p, _ABSENT))


_ABSENT = object()


def protect_line(
    cells: Sequence[float], k: int, hidden: Sequence[bool] | None = None
) -> list[bool]:
    """Primary and complementary suppression of counts adding up to a shown total.

    Parameters
    ----------
    cells
        The counts of one line (e.g. improved, no change, worsened; or one category in
        each session), whose total is published.
    k
        The threshold.
    hidden
        Cells already hidden for another reason (another line); default none.

    Returns
    -------
    list of bool
        Which cells to hide: every non-zero count under ``k`` (primary), and then the
        smallest shown non-zero counts (complementary) until the hidden cells together
        hold no one or at least ``k`` people, so the total minus the shown cells never
        gives a group under ``k``. A zero is shown (it names no one).

    Examples
    --------
    >>> protect_line([5, 1, 0], 3)          # 1 hidden: 5 + 0 shown would give it away
    [True, True, False]
    >>> protect_line([5, 1, 1, 6], 3)       # 1 + 1 = 2 < 3: hide the 5 too
    [True, True, True, False]
    >>> protect_line([4, 3, 0], 3)
    [False, False, False]
    """
    k = check_k(k)
    values = [0.0 if (c is None or math.isnan(c)) else float(c) for c in cells]
    hide = [bool(h) for h in hidden] if hidden is not None else [False] * len(values)
    for i, v in enumerate(values):
        if 0 < v < k:
            hide[i] = True
    while True:
        held = sum(v for v, h in zip(values, hide) if h)
        if held == 0 or held >= k:
            return hide
        shown = [(v, i) for i, (v, h) in enumerate(zip(values, hide)) if not h and v > 0]
        if not shown:
            return hide  # nothing left to hide: the caller hides the total
        hide[min(shown)[1]] = True


def line_total_safe(cells: Sequence[float], hide: Sequence[bool], k: int) -> bool:
    """True when the hidden cells of a line hold no one or at least ``k`` people.

    >>> line_total_safe([1, 0, 5], [True, False, False], 3)
    False
    """
    held = sum(0.0 if math.isnan(c) else c for c, h in zip(cells, hide) if h)
    return held == 0 or held >= check_k(k)


def protect_margin(group_n: Sequence[int], k: int) -> tuple[list[bool], bool]:
    """Which groups to withhold when a pooled figure over all of them is also published.

    Parameters
    ----------
    group_n
        Contributors per group (e.g. paired participants per session) of one quantity.
    k
        The threshold.

    Returns
    -------
    (list of bool, bool)
        Groups to withhold, and whether the pooled figure may be shown. Groups under
        ``k`` are withheld (threshold rule); then, while the withheld groups together hold
        fewer than ``k`` people, the smallest shown group is withheld too, so the pooled
        figure minus the shown groups rests on at least ``k`` people. When that cannot be
        reached the pooled figure is withheld instead.

    Examples
    --------
    >>> protect_margin([1, 12, 9], 3)      # overall − session 2 − session 3 = the one person
    ([True, False, True], True)
    >>> protect_margin([2], 3)
    ([True], False)
    """
    k = check_k(k)
    hide = protect_line([float(n) for n in group_n], k)
    total = float(sum(group_n))
    pooled = total >= k and line_total_safe([float(n) for n in group_n], hide, k)
    return hide, pooled


def align_to_paired(phase: Contributions, paired: Contributions, k: int) -> str:
    """Over which people a phase's figure is published next to a paired change.

    The paired people (both check-ins) are among the phase's people. Showing the phase's
    mean over all of them and the change over the paired ones would, by subtraction, give
    the others' sum: allowed only when they are at least ``k`` people.

    Returns
    -------
    str
        ``"phase"`` (all of the phase's people: no paired figure, or at least ``k`` more),
        or ``"paired"`` (publish the phase's figure over the paired people only).

    Examples
    --------
    >>> after = {f"p{i}": 1.0 for i in range(21)}
    >>> paired = {f"p{i}": 1.0 for i in range(20)}
    >>> align_to_paired(after, paired, 3), align_to_paired(after, {}, 3)
    ('paired', 'phase')
    """
    k = check_k(k)
    if len(paired) < k:  # the paired figures are withheld: nothing to subtract
        return "phase"
    extra = len(set(phase) - set(paired))
    return "phase" if extra == 0 or extra >= k else "paired"


# -- releasing successive states -----------------------------------------------------------
def _token(person: str, value: Hashable) -> str:
    """A short, stable fingerprint of one person's contribution (no answer kept in clear)."""
    raw = json.dumps([person, _plain(value)], sort_keys=True, default=str)
    return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


def _person(person: str) -> str:
    return hashlib.blake2b(person.encode(), digest_size=6).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, np.floating):
        return round(float(value), 9)
    if isinstance(value, np.integer):
        return int(value)
    return value


@dataclass
class Released:
    """What the room has been shown of one quantity: its figures and their contributors."""

    figures: Any  # JSON-able; None while nothing was released
    state: dict[str, str]  # person fingerprint -> contribution fingerprint
    waiting_for: int  # more people needed before the figures may move; 0 when up to date


@dataclass
class ReleaseLedger:
    """The states of each quantity already published, and the figures last published.

    A new state of a quantity (its contributions and the figures computed from them) is
    published only when it differs by at least ``k`` people from *every* state published
    before (:func:`people_apart`), the empty state included, which is the threshold rule.
    Otherwise the figures last published stay on screen and :attr:`Released.waiting_for`
    says how many more people are needed. Contributions are kept only as fingerprints.

    Examples
    --------
    >>> ledger = ReleaseLedger(k=3)
    >>> ledger.offer("trust/before", {"a": 4, "b": 5}, {"mean": 4.5}).figures is None
    True
    >>> ledger.offer("trust/before", {"a": 4, "b": 5, "c": 3}, {"mean": 4.0}).figures
    {'mean': 4.0}
    >>> r = ledger.offer("trust/before", {"a": 4, "b": 5, "c": 3, "d": 1}, {"mean": 3.25})
    >>> r.figures, r.waiting_for
    ({'mean': 4.0}, 2)
    """

    k: int
    history: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    shown: dict[str, Any] = field(default_factory=dict)
    changed: bool = False  # anything released since the last save

    def __post_init__(self) -> None:
        self.k = check_k(self.k)

    @staticmethod
    def fingerprint(contributions: Contributions) -> dict[str, str]:
        """Person fingerprint -> contribution fingerprint."""
        return {_person(str(p)): _token(str(p), v) for p, v in contributions.items()}

    def apart(self, quantity: str, state: Mapping[str, str]) -> int:
        """Fewest people ``state`` differs in from a state shown before (0: shown as is).

        The empty state (nothing shown) counts as shown, which makes the threshold rule
        the first case of the differencing rule.
        """
        past = self.history.get(quantity, [])
        if state in past:
            return 0
        return min(people_apart(old, state) for old in [{}, *past])

    def allows(self, quantity: str, state: Mapping[str, str]) -> bool:
        """True when ``state`` may be shown: shown before as is, or ``k`` people apart from all.

        With ``k`` of 3 or more, a state ``k`` people apart from every earlier one is also
        audited with all of them together (:func:`solvable`): three sums, each pair ``k``
        apart, can still single out one person. (With ``k`` of 1 or 2 the threshold rule
        itself lets one member of a group solve the other, so the audit would refuse all.)
        """
        apart = self.apart(quantity, state)
        if apart == 0:
            return True
        if apart < self.k:
            return False
        return self.k < 3 or not solvable([*self.history.get(quantity, []), state])

    def record(self, quantity: str, state: Mapping[str, str], figures: Any) -> None:
        """Note that ``figures`` over ``state`` are now shown (after :meth:`allows`)."""
        past = self.history.setdefault(quantity, [])
        if not past or past[-1] != state:
            past.append(dict(state))
        if self.shown.get(quantity) != figures:
            self.shown[quantity] = figures
        self.changed = True

    def reserve(self, quantity: str, state: Mapping[str, str]) -> None:
        """Count ``state`` as shown for differencing without showing figures over it.

        For a figure that gives part of this quantity (an SD over these people): later
        states must keep their distance from it as from a shown mean.
        """
        past = self.history.setdefault(quantity, [])
        if state not in past:
            past.append(dict(state))
            self.changed = True

    def offer(self, quantity: str, contributions: Contributions, figures: Any) -> Released:
        """Publish ``figures`` for ``quantity`` if the rule allows; return what is shown."""
        state = self.fingerprint(contributions)
        past = self.history.get(quantity, [])
        if past and state == past[-1]:
            return Released(self.shown.get(quantity), state, 0)
        apart = self.apart(quantity, state)
        if self.allows(quantity, state):
            # A state shown before may be shown again: it gives nothing new.
            self.record(quantity, state, figures)
            return Released(figures, state, 0)
        return Released(self.shown.get(quantity), state, max(self.k - apart, 1))

    # -- kept in the session file, so a restarted view goes on from what was shown ------
    def to_json(self) -> str:
        """The ledger as JSON (fingerprints and published aggregates only)."""
        return json.dumps({"k": self.k, "history": self.history, "shown": self.shown})

    @classmethod
    def from_json(cls, text: str | None, k: int) -> ReleaseLedger:
        """A ledger read back from :meth:`to_json`; a new one when ``text`` is empty.

        ``k`` never shrinks below the ``k`` the ledger was kept with. When it grew, the
        states shown before still count for differencing, but nothing stays on show
        until a state ``k`` people apart from all of them is released.
        """
        if not text:
            return cls(k=k)
        data = json.loads(text)
        kept = int(data.get("k", k))
        shown = data.get("shown", {}) if kept >= k else {}
        return cls(k=max(k, kept), history=data.get("history", {}), shown=shown)


def solvable(states: Sequence[Mapping[str, str]]) -> bool:
    """True when sums over these states single out something of one person.

    Parameters
    ----------
    states
        Published states of one quantity: person fingerprint -> contribution fingerprint.
        Each is one equation: the sum of its contributions is known.

    Returns
    -------
    bool
        Whether, for an outsider or for any one member who knows their own contributions,
        some combination of another person's contributions (a value, or the change
        between two of their answers) is fixed by the equations.

    Notes
    -----
    Unknowns are the distinct contributions. With ``N`` a basis of the null space of the
    equations' coefficient matrix (plus unit rows for what the member knows), a nonzero
    vector over person ``p``'s unknowns lies in the row space exactly when the rows of
    ``N`` at ``p``'s unknowns have rank below their number (query auditing, as in
    Chin & Ozsoyoglu 1982).

    References
    ----------
    Chin, F. Y., & Ozsoyoglu, G. (1982). Auditing and inference control in statistical
    databases. IEEE Transactions on Software Engineering, SE-8(6), 574-582.

    Examples
    --------
    >>> a = {"p1": "x1", "p2": "x2", "p3": "x3", "p4": "x4"}
    >>> b = {"p1": "x1", "p5": "x5", "p6": "x6", "p7": "x7"}
    >>> c = {p: t for p, t in {**a, **b}.items() if p != "p1"}
    >>> solvable([a, b]), solvable([a, b, c])   # a + b − c = 2·x1
    (False, True)
    """
    tokens = sorted({(p, t) for state in states for p, t in state.items()})
    if not tokens:
        return False
    index = {token: i for i, token in enumerate(tokens)}
    owners: dict[str, list[int]] = {}
    for (person, _t), i in index.items():
        owners.setdefault(person, []).append(i)
    matrix = np.zeros((len(states), len(tokens)))
    for row, state in enumerate(states):
        for token in state.items():
            matrix[row, index[token]] = 1.0
    for member in [None, *owners]:
        system = matrix
        if member is not None:
            known = owners[member]
            unit = np.zeros((len(known), len(tokens)))
            unit[np.arange(len(known)), known] = 1.0
            system = np.vstack([matrix, unit])
        _u, sing, vt = np.linalg.svd(system)
        null = vt[int((sing > 1e-9).sum()) :].T
        for person, columns in owners.items():
            if person == member:
                continue
            block = null[columns]
            if not block.size or np.linalg.matrix_rank(block, tol=1e-9) < len(columns):
                return True
    return False


LEDGER_META_PREFIX = "released:"


@contextlib.contextmanager
def publishing(store):
    """Hold the session file's write lock from reading release ledgers to saving them.

    Two processes (the dashboard's kernel and the results page's, or ``summary``) each
    read a ledger, decide what may be shown and write it back. Without one lock across
    the three steps, one could decide against an out-of-date ledger and the last write
    erase the other's record, so two published states could differ by fewer than k
    people. This holds SQLite's write lock (``BEGIN IMMEDIATE``) across all three, for
    every connection to the file, in any process or thread.

    Parameters
    ----------
    store : workshop_kit.store.Store
        The session's store.

    Raises
    ------
    workshop_kit.errors.StoreError
        The file is busy longer than the wait allows, full, gone or read-only; nothing
        was published or recorded.
    """
    with contextlib.ExitStack() as stack:
        # nothing can be recorded in a read-only copy: reading what was already released
        # still works, and save_ledger refuses anything newly released
        with contextlib.suppress(StoreReadOnly):
            stack.enter_context(store.transaction())
        yield


def load_ledger(store, view: str, k: int) -> ReleaseLedger:
    """The release ledger of one view kept in a session's store (``meta`` table)."""
    return ReleaseLedger.from_json(store.meta().get(LEDGER_META_PREFIX + view), k)


def save_ledger(store, view: str, ledger: ReleaseLedger) -> None:
    """Keep a ledger in the store when something was released since it was read."""
    if ledger.changed:
        store.set_meta(LEDGER_META_PREFIX + view, ledger.to_json())
        ledger.changed = False


# -- tables of before/after change ---------------------------------------------------------
CHANGE_MEANS = ("mean_before", "mean_after", "mean_change")
# the interval, and the effect size (mean change / SD: with the mean it gives the SD)
CHANGE_SPREAD = ("ci_low", "ci_high", "g_z", "g_low", "g_high")
CHANGE_COUNTS = ("improved", "no_change", "worsened", "not_estimable")
COUPLE_COUNTS = ("both_improved", "one_improved", "neither_improved", "couples_not_estimable")


def _lines(frame: pd.DataFrame) -> list[tuple[list[str], str]]:
    """The lines of counts a table has, each with the column of its shown total."""
    lines = [([c for c in CHANGE_COUNTS if c in frame.columns], "n")]
    if "couples" in frame.columns:
        lines.append(([c for c in COUPLE_COUNTS if c in frame.columns], "couples"))
    return [(cols, total) for cols, total in lines if cols]


def _figures(frame: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    """The table's means, spread and count columns (those it has)."""
    spread = [c for c in CHANGE_SPREAD if c in frame.columns]
    counts = [c for cols, _total in _lines(frame) for c in cols]
    return list(CHANGE_MEANS), spread, counts


def _protect_lines(out: pd.DataFrame, positions, k: int, full: pd.DataFrame | None = None) -> bool:
    """Protect each line of counts of the rows at ``positions``, in place.

    Each line's cells, with its total minus their sum as one more cell never shown, go
    through :func:`protect_line`. ``full`` holds the unblanked counts (default: ``out``;
    same index). Works on whole columns as arrays (a ``.loc`` per row cost minutes for a
    thousand sessions). Returns True when a cell was newly hidden.
    """
    moved = False
    for cols, total in _lines(out):
        shown = out[cols].to_numpy(float)
        source = np.nan_to_num((full if full is not None else out)[cols].to_numpy(float))
        totals = out[total].to_numpy(float)
        positions = np.asarray(positions, np.int64)
        # a line whose cells are all 0 or at least k, none hidden, adding up to its
        # total, has nothing to protect (protect_line would return all False): skip it
        rest = totals[positions] - source[positions].sum(axis=1)
        cells = source[positions]
        settled = (
            ((cells == 0) | (cells >= k)).all(axis=1)
            & ~np.isnan(shown[positions]).any(axis=1)
            & (rest == 0)
        )
        changed = False
        for p in positions[~settled]:
            cells = [*source[p].tolist(), max(totals[p] - source[p].sum(), 0.0)]
            hide = protect_line(cells, k, hidden=[*np.isnan(shown[p]).tolist(), True])
            newly = np.asarray(hide[: len(cols)], bool) & ~np.isnan(shown[p])
            if newly.any():
                shown[p, newly] = np.nan
                changed = True
        if changed:
            out[cols] = shown
            moved = True
    return moved


def publish_change_rows(table: pd.DataFrame, k: int) -> pd.DataFrame:
    """What of each before/after row may be shown: threshold, dispersion, count lines.

    Parameters
    ----------
    table
        One row per group (a theme of a session, …) with ``n`` (people with both
        check-ins) and the figures ``mean_before, mean_after, mean_change, ci_low,
        ci_high, improved, no_change, worsened`` computed over those ``n`` people. Other
        columns pass through.
    k
        The threshold.

    Returns
    -------
    pandas.DataFrame
        The same rows; ``n`` (and ``couples``) always shown. Under ``k`` people every
        figure is blank and ``suppressed`` is True; under ``2k`` the interval and the
        effect size are blank (:func:`dispersion_allowed`); the people counts (with
        ``n`` minus their sum as one more cell never shown) are protected as one line
        (:func:`protect_line`), and so are the couple counts against ``couples``.

    Examples
    --------
    >>> rows = pd.DataFrame({"n": [3, 8, 2], "mean_before": 3.0, "mean_after": 4.0,
    ...     "mean_change": 1.0, "ci_low": 0.5, "ci_high": 1.5,
    ...     "improved": [1, 5, 1], "no_change": [2, 1, 1], "worsened": [0, 2, 0]})
    >>> out = publish_change_rows(rows, 3)
    >>> out[["mean_change", "ci_low", "improved", "no_change", "worsened", "suppressed"]]
       mean_change  ci_low  improved  no_change  worsened  suppressed
    0          1.0     NaN       NaN        NaN       0.0       False
    1          1.0     0.5       5.0        NaN       NaN       False
    2          NaN     NaN       NaN        NaN       NaN        True
    """
    k = check_k(k)
    out = table.copy()
    means, spread, counts = _figures(out)
    for column in (*means, *spread, *counts):
        out[column] = out[column].astype(float)
    n = out["n"].to_numpy(float)
    hidden = n < k
    out.loc[hidden, [*means, *spread, *counts]] = np.nan
    out.loc[~hidden & (n < dispersion_min_n(k)), spread] = np.nan
    _protect_lines(out, np.flatnonzero(~hidden), k)
    out["suppressed"] = hidden
    return out


def publish_pooled(report: pd.DataFrame, k: int, pooled: str, by: Sequence[str]) -> pd.DataFrame:
    """Protect the groups of a report that also shows their pooled row (sessions vs overall).

    Parameters
    ----------
    report
        Rows as :func:`publish_change_rows` takes them (every figure computed), with a
        ``scope`` column telling the pooled rows (``scope == pooled``) from the groups,
        and the ``by`` columns naming the quantity (e.g. ``measure, subscale``) the
        groups add up to.
    k
        The threshold.
    pooled
        The ``scope`` of the pooled rows.
    by
        Columns naming one quantity.

    Returns
    -------
    pandas.DataFrame
        The report through :func:`publish_change_rows`, then with complementary
        suppression across the groups of each quantity:
        the groups withheld together hold at least ``k`` people (:func:`protect_margin`),
        else the pooled row is withheld; the same for each count column (a line down the
        groups adding up to the pooled count) and, with ``2k``, for the intervals. The
        count lines of each row are protected again after that, until nothing moves.

    Examples
    --------
    >>> rows = pd.DataFrame({"scope": ["overall", "session", "session", "session"],
    ...     "subscale": "trust", "n": [22, 1, 12, 9], "mean_before": [3.0, 2.0, 3.1, 3.0],
    ...     "mean_after": 4.0, "mean_change": 1.0, "ci_low": 0.5, "ci_high": 1.5,
    ...     "improved": [0, 0, 0, 0], "no_change": [22, 1, 12, 9], "worsened": 0})
    >>> out = publish_pooled(rows, 3, "overall", ["subscale"])
    >>> out["mean_before"].tolist(), out["suppressed"].tolist()
    ([3.0, nan, 3.1, nan], [False, True, False, True])
    """
    k = check_k(k)
    out = publish_change_rows(report, k)
    means, spread, count_columns = _figures(out)
    figures = [*means, *spread, *count_columns]
    groups = out[out["scope"] != pooled]
    for _key, members in groups.groupby(list(by), sort=False, dropna=False):
        top = out.index[(out["scope"] == pooled) & _same(out, members.iloc[0], by)]
        rows = members.index
        n = out.loc[rows, "n"].to_numpy(float)
        hide_rows, pooled_ok = protect_margin(n.astype(int).tolist(), k)
        hide_rows = [h or s for h, s in zip(hide_rows, out.loc[rows, "suppressed"])]
        if not line_total_safe(n.tolist(), hide_rows, k):
            pooled_ok = False
        hidden_rows = rows[np.asarray(hide_rows, bool)]
        out.loc[hidden_rows, figures] = np.nan
        out.loc[hidden_rows, "suppressed"] = True
        if not pooled_ok:
            out.loc[top, figures] = np.nan
            out.loc[top, "suppressed"] = True
            continue
        # intervals: the groups without one must together hold no one or at least 2k
        no_spread = out.loc[rows, "ci_low"].isna().to_numpy()
        spread_hide = protect_line(n.tolist(), dispersion_min_n(k), hidden=no_spread)
        out.loc[rows[np.asarray(spread_hide, bool)], spread] = np.nan
        if not line_total_safe(n.tolist(), spread_hide, dispersion_min_n(k)):
            out.loc[top, spread] = np.nan
        for _round in range(len(rows) + 3):  # count lines down the groups, then across
            moved = False
            for column in count_columns:
                cells = out.loc[rows, column].to_numpy(float)
                full = report.loc[rows, column].to_numpy(float)
                shown_top = out.loc[top, column].notna().all()
                if not shown_top:
                    continue
                hide = protect_line(np.nan_to_num(full).tolist(), k, hidden=np.isnan(cells))
                if not line_total_safe(np.nan_to_num(full).tolist(), hide, k):
                    out.loc[top, column] = np.nan
                    moved = True
                newly = np.asarray(hide, bool) & ~np.isnan(cells)
                if newly.any():
                    out.loc[rows[newly], column] = np.nan
                    moved = True
            here = out.index.get_indexer([*rows, *top])
            here = here[~out["suppressed"].to_numpy(bool)[here]]
            if _protect_lines(out, here, k, report):
                moved = True
            if not moved:
                break
    return out


def _same(frame: pd.DataFrame, row: pd.Series, by: Sequence[str]) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column in by:
        mask &= frame[column] == row[column]
    return mask


# -- whole views released in batches (tallies, word cloud, exercise counts) ---------------
def release_view(
    store, view: str, k: int, contributions: Contributions, figures: Any
) -> tuple[Any, int]:
    """Release a room view's new figures only when ``k`` people changed since every state shown.

    Parameters
    ----------
    store
        The session's :class:`~workshop_kit.store.Store`; the view's ledger is kept in its
        ``meta`` table, so every notebook, the summary and a restarted kernel share it.
    view
        The view's name (one ledger each).
    k
        The session's threshold.
    contributions
        Person id -> everything they gave to this view (a sort, their words, …).
    figures
        The view's aggregates computed now, JSON-able (records of a table).

    Returns
    -------
    (figures, int)
        The figures the room may see (those last released, or None when nothing was
        released yet) and how many more people the next update needs (0: up to date).

    Notes
    -----
    Every person contributes to every figure of the view (with a zero where they gave
    nothing), so when the states differ by ``k`` people, every figure's difference is a
    sum over at least ``k`` people.
    """
    with publishing(store):
        ledger = load_ledger(store, view, k)
        released = ledger.offer(view, contributions, figures)
        save_ledger(store, view, ledger)
    return released.figures, released.waiting_for


def waiting_note(waiting: int, k: int) -> str:
    """Plain words for a view held back: "Next update after 2 more people." ("" if none).

    >>> waiting_note(2, 3)
    'Next update after 2 more people (it moves in steps of 3).'
    >>> waiting_note(1, 3), waiting_note(0, 3)
    ('Next update after 1 more person (it moves in steps of 3).', '')
    """
    if waiting <= 0:
        return ""
    people = "person" if waiting == 1 else "people"
    return f"Next update after {waiting} more {people} (it moves in steps of {k})."
