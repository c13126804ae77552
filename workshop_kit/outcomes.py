"""The programme's before/after outcome report over pooled sessions, computed in one pass.

Pure logic over the pooled long answers table (the ``answers`` table of a data export,
one row per participant, phase and item, with its ``session_id``): no files, no
matplotlib. For each session and for all sessions together it gives, per theme and
measure, what :func:`workshop_kit.results.room_change` gives for one session: the number
of participants with both check-ins, mean before, mean after, mean change with its 95%
interval, and how many changed reliably (Jacobson & Truax 1991), k-suppressed.

Scores, reliabilities and reliable change follow :mod:`workshop_kit.scoring` and
:func:`workshop_kit.results.checkin_results` exactly, session by session: each
participant's reliable change uses their own session's SD and reliability, as their
session's results did, and the all-sessions rows add those participants up. Everything
is computed with whole-column numpy operations (``np.bincount`` over integer group
numbers), so a thousand sessions cost about what one costs times a thousand rows, not
a thousand times a session's Python overhead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import scoring
from .content import CheckinContent
from .disclosure import publish_pooled
from .errors import InputError
from .tally import check_k

ANSWER_COLUMNS = ("session_id", "couple_code", "partner", "phase", "instrument", "item_id", "value")
REPORT_COLUMNS = [
    "scope",
    "session_id",
    "measure",
    "subscale",
    "subscale_name",
    *scoring.CHANGE_COLUMNS,
    "suppressed",
]
ALL_SESSIONS = "all sessions"
CHECKIN_ID = "checkin"


@dataclass(frozen=True)
class _Measure:
    """One row of the report per session: a check-in theme, a picture scale or a total."""

    measure: str
    subscale: str
    name: str
    reliability: float | None  # published; None: Cronbach's alpha of the session
    kind: str  # "theme", "picture" or "total"
    norm_sd: float | None = None  # a published norm's SD; None: the room's "before" SD
    lo: float = float("nan")  # lowest and highest possible score
    hi: float = float("nan")


def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the values they stand for (cheap for categorical columns)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(np.int32), np.asarray(column.cat.categories, object)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int32), np.asarray(uniques, object)


def _lookup(codes: np.ndarray, uniques: np.ndarray, mapping: dict, default) -> np.ndarray:
    """``mapping[value]`` for every row, looked up once per distinct value."""
    table = np.array([mapping.get(u, default) for u in uniques] + [default], np.int8)
    return table[codes]  # code -1 (missing) picks the trailing default


def _check(answers: pd.DataFrame) -> None:
    missing = [c for c in ANSWER_COLUMNS if c not in answers.columns]
    if missing:
        raise InputError(
            f"the pooled answers table needs the columns {list(ANSWER_COLUMNS)}; missing {missing}"
        )
    for column, allowed in (("partner", ("A", "B")), ("phase", ("before", "after"))):
        found = set(pd.unique(answers[column].dropna())) if len(answers) else set()
        wrong = sorted(str(v) for v in found - set(allowed))
        if wrong or answers[column].isna().any():
            raise InputError(
                f"column {column!r} of the pooled answers must be one of {list(allowed)}; "
                f"found {wrong or ['a blank']}"
            )
    if answers["session_id"].isna().any() or answers["couple_code"].isna().any():
        raise InputError("every pooled answer needs a session_id and a couple_code")


def _group_mean_sd(values: np.ndarray, groups: np.ndarray, n_groups: int):
    """Count, mean and sample SD (ddof=1) of ``values`` per group, NaN values left out."""
    ok = ~np.isnan(values)
    v, g = values[ok], groups[ok]
    n = np.bincount(g, minlength=n_groups).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=v, minlength=n_groups) / n
        squares = np.bincount(g, weights=(v - mean[g]) ** 2, minlength=n_groups)
        sd = np.sqrt(squares / (n - 1))
    sd[n < 2] = np.nan
    return n, mean, sd


def _measures(content: CheckinContent, instruments_present: set[str]) -> list[_Measure]:
    """The report's rows for one session, in the order the session's results give them."""
    out: list[_Measure] = []
    checkin = content.instrument(CHECKIN_ID)
    rel = checkin.reliability
    published = rel.r if rel is not None and rel.method != "sample" else None
    norm_sd = rel.sd if rel is not None else None
    for sub in checkin.subscales:
        lo = min(i.min for i in sub.items)
        hi = max(i.max for i in sub.items)
        out.append(_Measure(CHECKIN_ID, sub.id, sub.name, published, "theme", norm_sd, lo, hi))
    for inst in content.instruments:
        r = inst.reliability.r if inst.reliability is not None else None
        r = float("nan") if r is None else r
        sd = inst.reliability.sd if inst.reliability is not None else None
        if inst.kind == "picture" and inst.id == "ios":
            out.append(_Measure(inst.id, inst.id, inst.name, r, "picture", sd, inst.min, inst.max))
        elif inst.kind == "items" and inst.scoring == "sum" and inst.id in instruments_present:
            out.append(
                _Measure(
                    inst.id, inst.id, inst.name, r, "total", sd, inst.total_min, inst.total_max
                )
            )
    return out


def outcome_report(answers: pd.DataFrame, content: CheckinContent, k: int = 3) -> pd.DataFrame:
    """Before/after outcomes per theme and measure, per session and for all sessions.

    Parameters
    ----------
    answers
        The pooled long answers table: ``session_id, couple_code, partner, phase,
        instrument, item_id, value``, one row per participant, phase and item (the
        latest answer), ``value`` NaN where skipped. Categorical columns are cheapest.
    content
        The check-in content the sessions were run with.
    k
        Smallest group shown: a row with fewer paired participants shows only ``n``, and
        a category count under ``k`` is blanked (with one more when only one would be).

    Returns
    -------
    pandas.DataFrame
        ``scope`` ("overall" or "session"), ``session_id`` ("all sessions" on overall
        rows), ``measure, subscale, subscale_name, n, mean_before, mean_after,
        mean_change, ci_low, ci_high, improved, no_change, worsened, suppressed``.

    Notes
    -----
    A session's rows equal :func:`workshop_kit.results.room_change` of that session. The
    interval is ``mean ± 1.96·SD/√n`` of the changes; a change is reliable when
    ``|after − before| > 1.96·S_diff`` with ``S_diff = SD·√2·√(1 − r)``, SD of the
    session's "before" scores and ``r`` published or Cronbach's alpha of the session.

    References
    ----------
    Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to
    defining meaningful change in psychotherapy research. Journal of Consulting and
    Clinical Psychology, 59(1), 12-19.

    Examples
    --------
    >>> from workshop_kit.content import load_checkin
    >>> rows = [("S1", f"C{i}", "A", phase, "ios", "ios", value)
    ...         for i, (before, after) in enumerate([(3, 5), (4, 4), (2, 5), (5, 6)])
    ...         for phase, value in (("before", before), ("after", after))]
    >>> pooled = pd.DataFrame(rows, columns=ANSWER_COLUMNS)
    >>> report = outcome_report(pooled, load_checkin(), k=3)
    >>> overall = report[report["scope"] == "overall"].iloc[0]
    >>> overall["subscale"], int(overall["n"]), float(overall["mean_change"])
    ('ios', 4, 1.5)
    """
    k = check_k(k)
    _check(answers)
    value = pd.to_numeric(answers["value"], errors="coerce").to_numpy(float)
    sess_codes, sessions = _codes(answers["session_id"])
    couple_codes, _ = _codes(answers["couple_code"])
    partner_codes, partners = _codes(answers["partner"])
    phase_codes, phases = _codes(answers["phase"])
    inst_codes, instruments = _codes(answers["instrument"])
    item_codes, item_ids = _codes(answers["item_id"])
    is_b = _lookup(partner_codes, partners, {"B": 1}, 0)
    after = _lookup(phase_codes, phases, {"after": 1}, 0)

    # Participants: (session, couple, partner) numbered 0..P-1.
    n_couples = max(int(couple_codes.max()) + 1 if len(couple_codes) else 1, 1)
    participant_key = (sess_codes.astype(np.int64) * n_couples + couple_codes) * 2 + is_b
    participant, keys = pd.factorize(participant_key)
    n_people = len(keys)
    session_of = (np.asarray(keys) // 2 // n_couples).astype(np.int64)
    couple_of, _ = pd.factorize(np.asarray(keys) // 2)  # the couple: the unit of intervals
    n_sessions = len(sessions)

    present = {str(instruments[c]) for c in np.unique(inst_codes) if c >= 0}
    measures = _measures(content, present)
    n_measures = len(measures)
    before_score = np.full((n_people, n_measures), np.nan)
    after_score = np.full((n_people, n_measures), np.nan)
    reliability = np.full((n_sessions, n_measures), np.nan)
    n_alpha = np.full((n_sessions, n_measures), np.inf)  # inf: a published r, no minimum
    pooled_r = np.full(n_measures, np.nan)  # over all sessions: the overall rows' reference
    pooled_n_alpha = np.full(n_measures, np.inf)

    # Item instruments: subscale scores, numbered globally over (instrument, subscale).
    scored_instruments = [content.instrument(CHECKIN_ID)] + [
        content.instrument(m.measure) for m in measures if m.kind == "total"
    ]
    subscales = [(inst, sub) for inst in scored_instruments for sub in inst.subscales]
    inst_index = {str(v): i for i, v in enumerate(instruments)}
    item_index = {str(v): i for i, v in enumerate(item_ids)}
    # (instrument code, item code) -> subscale number, mirror (lo + hi of a reversed
    # item), item number; the last row and column stand for a missing code (-1).
    shape = (len(instruments) + 1, len(item_ids) + 1)
    sub_table = np.full(shape, -1, np.int64)
    item_table = np.zeros(shape, np.int64)
    for s_index, (inst, sub) in enumerate(subscales):
        for i, item in enumerate(sub.items):
            if inst.id in inst_index and item.id in item_index:
                at = (inst_index[inst.id], item_index[item.id])
                sub_table[at] = s_index
                item_table[at] = i
    rows = np.flatnonzero(sub_table[inst_codes, item_codes] >= 0)
    sub_of = sub_table[inst_codes[rows], item_codes[rows]]
    item_pos = item_table[inst_codes[rows], item_codes[rows]]
    # mirrored as everywhere else (scoring.mirror_values), looked up once per distinct item
    mirrors = scoring.item_mirrors(scored_instruments)
    mirror = np.append(scoring.mirror_of(pd.Series(item_ids), mirrors), np.nan)
    raw = value[rows]
    scored = scoring.mirror_values(None, raw, mirrors, mirror=mirror[item_codes[rows]])
    answered = ~np.isnan(scored)
    n_subs = len(subscales)
    cell = (participant[rows] * 2 + after[rows]) * n_subs + sub_of
    size = n_people * 2 * n_subs
    has_rows = np.bincount(cell, minlength=size).reshape(n_people, 2, n_subs) > 0
    n_answered = np.bincount(cell, weights=answered, minlength=size).reshape(n_people, 2, n_subs)
    total = np.bincount(cell, weights=np.where(answered, scored, 0.0), minlength=size)
    total = total.reshape(n_people, 2, n_subs)
    sub_scores = np.full((n_people, 2, n_subs), np.nan)
    for s_index, (inst, sub) in enumerate(subscales):
        n_items = len(sub.items)
        count = n_answered[:, :, s_index]
        if inst.scoring == "sum":
            ok = count == n_items
            sub_scores[:, :, s_index] = np.where(ok, total[:, :, s_index], np.nan)
        else:
            needed = math.ceil(n_items * inst.min_answered - 1e-9)
            ok = (count >= needed) & (count > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = total[:, :, s_index] / count
            sub_scores[:, :, s_index] = np.where(ok, mean, np.nan)

    # the "before" answers of the scored rows, sorted by subscale once (each subscale's
    # alpha then reads a slice, not a mask over every answer)
    row_person = participant[rows]
    row_after = after[rows]
    before_rows = np.flatnonzero(row_after == 0)
    before_rows = before_rows[np.argsort(sub_of[before_rows], kind="stable")]
    bounds_of = np.searchsorted(sub_of[before_rows], np.arange(n_subs + 1))
    for m_index, m in enumerate(measures):
        if m.kind == "theme":
            s_index = next(
                i
                for i, (inst, sub) in enumerate(subscales)
                if inst.id == CHECKIN_ID and sub.id == m.subscale
            )
            before_score[:, m_index] = sub_scores[:, 0, s_index]
            after_score[:, m_index] = sub_scores[:, 1, s_index]
            if m.reliability is None:
                start, stop = bounds_of[s_index], bounds_of[s_index + 1]
                mine = before_rows[start:stop]  # this subscale's "before" answers
                args = (subscales[s_index][1], s_index, mine, sub_of, item_pos, scored)
                args += (row_person, row_after, n_answered, total, session_of, n_sessions)
                per_session, pooled = _alpha(*args)
                reliability[:, m_index], n_alpha[:, m_index] = per_session
                pooled_r[m_index], pooled_n_alpha[m_index] = (x[0] for x in pooled)
            else:
                reliability[:, m_index] = m.reliability
                pooled_r[m_index] = m.reliability
        elif m.kind == "total":
            mine = [i for i, (inst, _s) in enumerate(subscales) if inst.id == m.measure]
            for phase in (0, 1):
                exists = has_rows[:, phase, mine]
                valid = ~np.isnan(sub_scores[:, phase, mine]) | ~exists
                summed = np.where(exists, np.nan_to_num(sub_scores[:, phase, mine]), 0).sum(1)
                ok = exists.any(axis=1) & valid.all(axis=1)
                target = before_score if phase == 0 else after_score
                target[:, m_index] = np.where(ok, summed, np.nan)
            reliability[:, m_index] = m.reliability
            pooled_r[m_index] = m.reliability
        else:  # the picture scale: its value is the score
            picture = (inst_codes == inst_index.get(m.measure, -2)) & ~np.isnan(value)
            for phase in (0, 1):
                sel = picture & (after == phase)
                n, mean, _sd = _group_mean_sd(value[sel], participant[sel], n_people)
                target = before_score if phase == 0 else after_score
                target[:, m_index] = np.where(n > 0, mean, np.nan)
            reliability[:, m_index] = m.reliability
            pooled_r[m_index] = m.reliability
    alphas = (reliability, n_alpha, pooled_r, pooled_n_alpha)
    people = (session_of, couple_of.astype(np.int64))
    report = _report(measures, before_score, after_score, alphas, people, sessions, k)
    return report


def _alpha(
    sub,
    s_index,
    rows,
    sub_of,
    item_pos,
    scored,
    participant,
    after,
    n_answered,
    total,
    session_of,
    n_sessions,
):
    """Cronbach's alpha of each session's complete "before" answers to one subscale, and
    of all sessions' together: ``(alpha, n_complete)`` per session, then pooled.

    alpha = k/(k − 1)·(1 − Σ var(item)/var(total)), as :func:`workshop_kit.scoring.cronbach_alpha`.
    """
    n_items = len(sub.items)
    complete = n_answered[:, 0, s_index] == n_items  # every item answered, before
    # ``rows`` here: the positions (into the scored rows) of this subscale's "before"
    # answers, ``participant`` and ``after`` already taken at the scored rows
    mine = rows[complete[participant[rows]]]
    people = participant[mine]
    values = scored[mine]
    items = item_pos[mine]
    del sub_of, after  # (kept in the signature for the reader: what ``rows`` was cut from)
    whole = np.flatnonzero(complete)
    totals = total[whole, 0, s_index]

    def pooled_var(n, mean, sd):
        """Variance over all groups together from each group's n, mean and SD."""
        ok = n > 0
        n, mean = n[ok], mean[ok]
        squares = np.where(n > 1, (n - 1) * np.nan_to_num(sd[ok]) ** 2, 0.0)
        count = n.sum()
        if count < 2:
            return np.nan, count
        grand = (n * mean).sum() / count
        return (squares.sum() + (n * (mean - grand) ** 2).sum()) / (count - 1), count

    def alpha(item_var, total_var, n_complete):
        with np.errstate(invalid="ignore", divide="ignore"):
            out = n_items / (n_items - 1) * (1 - item_var / total_var)
        out = np.atleast_1d(np.asarray(out, float))
        bad = (np.atleast_1d(n_complete) < 3) | (np.atleast_1d(total_var) == 0)
        out[bad | np.isnan(np.atleast_1d(total_var))] = np.nan
        if n_items < 2:
            out[:] = np.nan
        return out

    group = session_of[people] * n_items + items
    item_n, item_mean, item_sd = _group_mean_sd(values, group, n_sessions * n_items)
    item_var = (item_sd**2).reshape(n_sessions, n_items).sum(axis=1)
    n_complete, total_mean, total_sd = _group_mean_sd(totals, session_of[whole], n_sessions)
    per_session = (alpha(item_var, total_sd**2, n_complete), n_complete)
    # all sessions together, combined from the sessions' own sums (no second pass)
    shape = (n_sessions, n_items)
    pooled_items = sum(
        pooled_var(*(x.reshape(shape)[:, i] for x in (item_n, item_mean, item_sd)))[0]
        for i in range(n_items)
    )
    pooled_total, pooled_n = pooled_var(n_complete, total_mean, total_sd)
    pooled = (alpha(pooled_items, pooled_total, pooled_n), np.array([pooled_n]))
    return per_session, pooled


def _report(measures, before, after, alphas, people, sessions, k):
    reliability, n_alpha, pooled_r, pooled_n_alpha = alphas
    session_of, couple = people
    n_people, n_measures = before.shape
    n_sessions = len(sessions)
    norm_sd = np.array([np.nan if m.norm_sd is None else m.norm_sd for m in measures])
    # Reliable change: a published norm where there is one; otherwise each session's own
    # estimate (as its results give it) for the session rows, and the estimate from all
    # sessions' "before" answers for the overall rows: one threshold for everyone pooled.
    zeros = np.zeros(n_people, np.int64)
    sd = np.full((n_sessions, n_measures), np.nan)
    n_sd = np.zeros((n_sessions, n_measures))
    pooled_sd = np.full(n_measures, np.nan)
    pooled_n_sd = np.zeros(n_measures)
    for m_index in range(n_measures):
        n_sd[:, m_index], _mean, sd[:, m_index] = _group_mean_sd(
            before[:, m_index], session_of, n_sessions
        )
        n_one, _mean, sd_one = _group_mean_sd(before[:, m_index], zeros, 1)
        pooled_sd[m_index], pooled_n_sd[m_index] = sd_one[0], n_one[0]
    has_norm = ~np.isnan(norm_sd)
    sd = np.where(has_norm, norm_sd, sd)
    n_sd = np.where(has_norm, np.inf, n_sd)
    pooled_sd = np.where(has_norm, norm_sd, pooled_sd)
    pooled_n_sd = np.where(has_norm, np.inf, pooled_n_sd)
    s_diff = scoring.usable_s_diff(sd, reliability, np.minimum(n_alpha, n_sd))
    pooled_s_diff = scoring.usable_s_diff(
        pooled_sd, pooled_r, np.minimum(pooled_n_alpha, pooled_n_sd)
    )
    change = after - before

    frames = []
    for scope, groups, n_groups, labels, threshold in (
        ("overall", zeros, 1, np.array([ALL_SESSIONS], object), pooled_s_diff[None, :]),
        ("session", session_of, n_sessions, sessions, s_diff),
    ):
        category = scoring.classify_change(change, threshold[groups])
        for m_index, m in enumerate(measures):
            span = m.hi - m.lo
            out = scoring.summarise_changes(
                before[:, m_index],
                after[:, m_index],
                category[:, m_index],
                groups,
                n_groups,
                couple,
                bounds=(-span, span) if not np.isnan(span) else None,
            )
            frame = pd.DataFrame(
                {
                    "scope": scope,
                    "session_id": labels,
                    "measure": m.measure,
                    "subscale": m.subscale,
                    "subscale_name": m.name,
                    **out,
                    "order": m_index,
                    "group": np.arange(n_groups),
                }
            )
            frames.append(frame)
    report = pd.concat(frames, ignore_index=True)
    report = report[report["n"] > 0]
    for name in ("n", "couples", *scoring.SUMMARY_COUNTS, *scoring.COUPLE_COUNTS):
        report[name] = report[name].astype(np.int64)
    report = report.sort_values(["scope", "group", "order"], key=_scope_first, kind="stable")
    report = report.drop(columns=["order", "group"]).reset_index(drop=True)
    # what may be published: each row as room_change publishes it, then the sessions of
    # each measure protected against the overall row
    report = publish_pooled(report, k, pooled="overall", by=["measure", "subscale"])
    return report[REPORT_COLUMNS]


def _scope_first(column: pd.Series) -> pd.Series:
    return column.map({"overall": 0, "session": 1}) if column.name == "scope" else column
