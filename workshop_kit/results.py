"""Check-in results for a whole session: scores, couples, change, reliable change, follow-up.

Reads a :class:`~workshop_kit.session.Session` and composes the pure functions of
:mod:`workshop_kit.scoring` and :mod:`workshop_kit.tally`. Room views here are always
k-suppressed; individual views (couple, follow-up) are for the couple's pack and the
facilitator's private panel only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from . import scoring, tally
from .session import Session

# The picture scale and instrument totals are treated as one-"subscale" scores so one
# code path handles change and reliable change for every kind of score.
IOS_ID = "ios"


@dataclass
class CheckinResults:
    """Everything scored from a session's check-in answers (individual level)."""

    answers: pd.DataFrame
    theme_scores: pd.DataFrame  # couple_code, partner, phase, subscale, score, n_answered, n_items
    ios: pd.DataFrame  # couple_code, partner, phase, score
    totals: dict[
        str, pd.DataFrame
    ]  # instrument id -> couple_code, partner, phase, total, band, ...
    reliability: pd.DataFrame  # measure, subscale, reliability, sd, n, source, warning
    changes: (
        pd.DataFrame
    )  # measure, couple_code, partner, subscale, before, after, change, rci, ...
    agreement: pd.DataFrame  # couple_code, phase, subscale, agreement, n_items
    subscale_names: dict[str, str]

    def scores_for(self, measure: str) -> pd.DataFrame:
        """Scores of one measure in the common shape (``subscale``, ``score``)."""
        if measure == "checkin":
            return self.theme_scores
        if measure == IOS_ID:
            return self.ios.assign(subscale=IOS_ID)
        return self.totals[measure].rename(columns={"total": "score"}).assign(subscale=measure)


def checkin_results(session: Session) -> CheckinResults:
    """Score every instrument of the session's check-in."""
    content = session.content
    answers = session.answers()
    checkin = content.instrument("checkin")
    theme = scoring.subscale_scores(answers, checkin)
    ios_inst = content.instrument(IOS_ID)
    ios = scoring.picture_scores(answers, ios_inst)
    totals = {}
    for inst in content.instruments:
        if (
            inst.kind == "items"
            and inst.scoring == "sum"
            and (answers["instrument"] == inst.id).any()
        ):
            totals[inst.id] = scoring.instrument_totals(answers, inst)
    names = {sub.id: sub.name for sub in checkin.subscales}
    names[IOS_ID] = ios_inst.name
    names.update({inst_id: content.instrument(inst_id).name for inst_id in totals})

    rel_frames, change_frames = [], []
    rel = scoring.sample_reliability(answers, checkin, theme).assign(measure="checkin")
    rel_frames.append(rel)
    change_frames.append(_with_rci(scoring.change(theme), rel).assign(measure="checkin"))
    ios_rel = _single_reliability(ios_inst, ios, IOS_ID)
    rel_frames.append(ios_rel)
    change_frames.append(
        _with_rci(scoring.change(ios.assign(subscale=IOS_ID)), ios_rel).assign(measure=IOS_ID)
    )
    for inst_id, frame in totals.items():
        inst = content.instrument(inst_id)
        shaped = frame.rename(columns={"total": "score"}).assign(subscale=inst_id)
        inst_rel = _single_reliability(inst, shaped, inst_id)
        rel_frames.append(inst_rel)
        change_frames.append(_with_rci(scoring.change(shaped), inst_rel).assign(measure=inst_id))
    return CheckinResults(
        answers=answers,
        theme_scores=theme,
        ios=ios,
        totals=totals,
        reliability=pd.concat(rel_frames, ignore_index=True),
        changes=pd.concat(change_frames, ignore_index=True),
        agreement=scoring.partner_agreement(answers, checkin),
        subscale_names=names,
    )


def _single_reliability(instrument, scores: pd.DataFrame, subscale: str) -> pd.DataFrame:
    rel = instrument.reliability
    before = scores[scores["phase"] == "before"]["score"].dropna()
    sd = float(before.std(ddof=1)) if len(before) > 1 else float("nan")
    n = len(before)
    warning = f"only {n} participants: the SD is a rough estimate" if n < 10 else None
    if rel is None or rel.r is None:
        return pd.DataFrame(
            [(subscale, float("nan"), sd, n, "no reliability defined", "no reliable change")],
            columns=["subscale", "reliability", "sd", "n", "source", "warning"],
        ).assign(measure=instrument.id)
    return pd.DataFrame(
        [(subscale, rel.r, sd, n, " ".join(rel.source.split()), warning)],
        columns=["subscale", "reliability", "sd", "n", "source", "warning"],
    ).assign(measure=instrument.id)


def _with_rci(changes: pd.DataFrame, reliability: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for sub, group in changes.groupby("subscale", sort=False):
        rel = reliability[reliability["subscale"] == sub]
        if rel.empty:
            continue
        row = rel.iloc[0]
        parts.append(scoring.reliable_change(group, row["sd"], row["reliability"]))
    if not parts:
        return changes.assign(rci=pd.Series(dtype=float), category=pd.Series(dtype=object))
    return pd.concat(parts, ignore_index=True)


def follow_up_list(session: Session, results: CheckinResults | None = None) -> pd.DataFrame:
    """The facilitator's private follow-up list: never for the projector or a pack.

    One row per participant and reason: a total under its distress cut-off, the lowest
    band of overall closeness, or "I would like to talk to someone".
    Returns ``couple_code, partner, phase, reason``.
    """
    results = results or checkin_results(session)
    rows = []
    checkin = session.content.instrument("checkin")
    for sub in checkin.subscales:
        if not sub.bands:
            continue
        scores = results.theme_scores[results.theme_scores["subscale"] == sub.id]
        for row in scores.itertuples():
            band = scoring.band_for(row.score, sub.bands)
            if band is not None and band.follow_up:
                rows.append(
                    (
                        row.couple_code,
                        row.partner,
                        row.phase,
                        f"{sub.name}: {band.name.lower()} ({row.score:.1f})",
                    )
                )
    for inst_id, totals in results.totals.items():
        name = session.content.instrument(inst_id).name
        for row in totals[totals["follow_up"]].itertuples():
            rows.append(
                (
                    row.couple_code,
                    row.partner,
                    row.phase,
                    f"{name} total {row.total:g}: {row.band.lower()}",
                )
            )
    # every request ever made counts: a later "No" does not take a "please talk to me" back
    for row in session.flag_requests("wants_to_talk").itertuples():
        rows.append((row.couple_code, row.partner, row.phase, "would like to talk to someone"))
    frame = pd.DataFrame(rows, columns=["couple_code", "partner", "phase", "reason"])
    return frame.sort_values(["couple_code", "partner", "phase"]).reset_index(drop=True)


def room_theme_means(results: CheckinResults, k: int) -> pd.DataFrame:
    """Room mean per theme and phase with its 95% interval, k-suppressed."""
    return tally.room_means(results.theme_scores, ["subscale", "phase"], "score", k)


def session_theme_means(session: Session) -> pd.DataFrame:
    """:func:`room_theme_means` of a session, scoring only the themes (for live views).

    Equal to ``room_theme_means(checkin_results(session), session.k)`` without the
    totals, reliability, change and agreement a live room view does not show.
    """
    answers = session.answers(instrument="checkin")
    theme = scoring.subscale_scores(answers, session.content.instrument("checkin"))
    return tally.room_means(theme, ["subscale", "phase"], "score", session.k)


def room_change(results: CheckinResults, k: int) -> pd.DataFrame:
    """Room before/after per measure and subscale among participants with both, k-suppressed.

    Returns ``measure, subscale, n, mean_before, mean_after, mean_change, ci_low, ci_high,
    improved, no_change, worsened, suppressed``; a category count under k is blanked,
    and when only one would be blank the smallest other non-zero count is blanked too (else
    ``n`` minus the two shown would reveal it).
    """
    k = tally.check_k(k)
    rows = []
    paired = results.changes.dropna(subset=["change"])
    for (measure, sub), group in paired.groupby(["measure", "subscale"], sort=False):
        mean, _sd, lo, hi = tally.mean_ci(group["change"])
        n = len(group)
        counts = group["category"].value_counts()

        def count(category: str, counts=counts) -> float:
            c = int(counts.get(category, 0))
            return float(c) if c >= k or c == 0 else float("nan")

        hidden = n < k
        shown = {c: count(c) for c in scoring.CHANGE_CATEGORIES}
        if sum(math.isnan(v) for v in shown.values()) == 1:
            # n minus the two shown counts would give the hidden one away: hide one more
            # (the smallest non-zero shown count).
            other = min((c for c, v in shown.items() if v > 0), key=shown.get, default=None)
            if other is not None:
                shown[other] = float("nan")
        rows.append(
            {
                "measure": measure,
                "subscale": sub,
                "n": n,
                "mean_before": float("nan") if hidden else float(group["before"].mean()),
                "mean_after": float("nan") if hidden else float(group["after"].mean()),
                "mean_change": float("nan") if hidden else mean,
                "ci_low": float("nan") if hidden else lo,
                "ci_high": float("nan") if hidden else hi,
                "improved": float("nan") if hidden else shown["improved"],
                "no_change": float("nan") if hidden else shown["no reliable change"],
                "worsened": float("nan") if hidden else shown["worsened"],
                "suppressed": hidden,
            }
        )
    return pd.DataFrame(rows)


def checkins_received(session: Session) -> pd.DataFrame:
    """How many participants have given at least one answer, per phase."""
    rows = session.store.conn.execute(
        "SELECT phase, COUNT(DISTINCT couple_code || partner) FROM answers"
        " WHERE value IS NOT NULL GROUP BY phase"
    ).fetchall()
    found = dict(rows)
    participants = 2 * len(session.couple_codes())
    return pd.DataFrame(
        [(phase, int(found.get(phase, 0)), participants) for phase in ("before", "after")],
        columns=["phase", "received", "participants"],
    )
