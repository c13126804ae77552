"""Check-in results for a whole session: scores, couples, change, reliable change, follow-up.

Reads a :class:`~workshop_kit.session.Session` and composes the pure functions of
:mod:`workshop_kit.scoring` and :mod:`workshop_kit.tally`. Room views here are always
k-suppressed; individual views (couple, follow-up) are for the couple's pack and the
facilitator's private panel only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import disclosure, scoring, tally
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
    bounds: dict = field(default_factory=dict)  # (measure, subscale) -> (lowest, highest)

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
        bounds=score_bounds(content),
    )


def _single_reliability(instrument, scores: pd.DataFrame, subscale: str) -> pd.DataFrame:
    rel = instrument.reliability
    before = scores[scores["phase"] == "before"]["score"].dropna()
    sd = float(before.std(ddof=1)) if len(before) > 1 else float("nan")
    if rel is None or rel.r is None:
        row = (
            subscale,
            float("nan"),
            sd,
            len(before),
            "",
            "no reliability defined",
            False,
            "reliable change not estimable: no reliability defined",
        )
    else:
        row = scoring.reliability_row(rel, subscale, float("nan"), 0, sd, len(before))
    return pd.DataFrame([row], columns=scoring.RELIABILITY_COLUMNS).assign(measure=instrument.id)


def _with_rci(changes: pd.DataFrame, reliability: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for sub, group in changes.groupby("subscale", sort=False):
        rel = reliability[reliability["subscale"] == sub]
        if rel.empty:
            continue
        row = rel.iloc[0]
        # the row says whether its inputs are usable (a published norm needs no minimum)
        r = row["reliability"] if row["estimable"] else float("nan")
        parts.append(scoring.reliable_change(group, row["sd"], r))
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
    """Room mean per theme and phase with its 95% t interval (couple as the unit), k-suppressed."""
    return tally.room_means(
        results.theme_scores,
        ["subscale", "phase"],
        "score",
        k,
        cluster="couple_code",
        bounds=THEME_BOUNDS,
    )


def session_theme_means(session: Session) -> pd.DataFrame:
    """:func:`room_theme_means` of a session, scoring only the themes (for live views).

    Equal to ``room_theme_means(checkin_results(session), session.k)`` without the
    totals, reliability, change and agreement a live room view does not show.
    """
    answers = session.answers(instrument="checkin")
    theme = scoring.subscale_scores(answers, session.content.instrument("checkin"))
    return tally.room_means(
        theme,
        ["subscale", "phase"],
        "score",
        session.k,
        cluster="couple_code",
        bounds=THEME_BOUNDS,
    )


#: The room's before/after table, in this order (the programme report adds its scope).
ROOM_CHANGE_COLUMNS = ["measure", "subscale", *scoring.CHANGE_COLUMNS, "suppressed"]
THEME_BOUNDS = (1.0, 5.0)


def score_bounds(content) -> dict[tuple[str, str], tuple[float, float]]:
    """``{(measure, subscale): (lowest, highest) score}`` of every scored measure."""
    out = {}
    checkin = content.instrument("checkin")
    for sub in checkin.subscales:
        items = sub.items
        out[("checkin", sub.id)] = (min(i.min for i in items), max(i.max for i in items))
    for inst in content.instruments:
        if inst.kind == "picture":
            out[(inst.id, inst.id)] = (float(inst.min), float(inst.max))
        elif inst.total_min is not None:
            out[(inst.id, inst.id)] = (float(inst.total_min), float(inst.total_max))
    return out


def room_change(results: CheckinResults, k: int) -> pd.DataFrame:
    """Room before/after per measure and subscale among participants with both, published.

    Returns :data:`ROOM_CHANGE_COLUMNS` (computed by
    :func:`workshop_kit.scoring.change_summary`: the interval and effect size take the
    couple as the unit; the people counts add up to ``n``, the couple counts to
    ``couples``), published through :func:`workshop_kit.disclosure.publish_change_rows`:
    under ``k`` people only ``n`` is shown; the interval and effect size need ``2k``;
    each line of counts is protected (a count under k is blanked, and more until the
    blanked ones hold no one or ``k``).
    """
    k = tally.check_k(k)
    paired = results.changes.dropna(subset=["change"])
    if paired.empty:
        return pd.DataFrame(columns=ROOM_CHANGE_COLUMNS)
    table = scoring.change_summary(
        paired, ["measure", "subscale"], "couple_code", bounds=results.bounds or None
    )
    return disclosure.publish_change_rows(table, k)[ROOM_CHANGE_COLUMNS]


def checkins_received(session: Session) -> pd.DataFrame:
    """How many participants have given at least one answer, per phase."""
    found = session.participants_per_phase()
    participants = 2 * len(session.couple_codes())
    return pd.DataFrame(
        [(phase, int(found.get(phase, 0)), participants) for phase in ("before", "after")],
        columns=["phase", "received", "participants"],
    )
