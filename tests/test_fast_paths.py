"""The fast paths of issue 10 give what the code they replaced gave.

The ``old_*`` functions are the earlier implementations, kept here verbatim (docstrings
dropped) as the reference: row-by-row ``iterrows`` and one pivot per subscale.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from workshop_kit import scoring, tally
from workshop_kit.charts.live import LiveRoomChart, dashboard_figure, png_bytes
from workshop_kit.content import Instrument
from workshop_kit.results import (
    checkin_results,
    checkins_received,
    room_theme_means,
    session_theme_means,
)
from workshop_kit.widgets.dashboard import RoomDashboard, theme_names

KEYS = scoring.KEYS


def old_instrument_totals(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    scores = scoring.subscale_scores(answers, instrument)
    totals = scores.groupby(KEYS, as_index=False).agg(
        total=("score", lambda s: s.sum() if s.notna().all() else np.nan)
    )
    bands = totals["total"].map(lambda t: scoring.band_for(t, instrument.cutoffs))
    totals["band"] = [b.name if b else None for b in bands]
    totals["follow_up"] = [bool(b and b.follow_up) for b in bands]
    return totals


def old_partner_agreement(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    threshold = instrument.positive_from
    rows = []
    mine = answers[(answers["instrument"] == instrument.id) & answers["value"].notna()]
    items = {item.id: (sub.id, item) for sub in instrument.subscales for item in sub.items}
    mine = mine[mine["item_id"].isin(items)]
    wide = (
        mine.pivot_table(
            index=["couple_code", "phase", "item_id"], columns="partner", values="value"
        )
        .reindex(columns=["A", "B"])
        .dropna()
    )
    for (code, phase, item_id), row in wide.iterrows():
        sub_id, item = items[item_id]
        both = item.score(row["A"]) >= threshold and item.score(row["B"]) >= threshold
        rows.append((code, phase, sub_id, both))
    frame = pd.DataFrame(rows, columns=["couple_code", "phase", "subscale", "positive"])
    out = frame.groupby(["couple_code", "phase", "subscale"], as_index=False).agg(
        agreement=("positive", "mean"), n_items=("positive", "size")
    )
    return out


def old_sample_reliability(
    answers: pd.DataFrame, instrument: Instrument, scores: pd.DataFrame
) -> pd.DataFrame:
    rel = instrument.reliability
    before = answers[(answers["instrument"] == instrument.id) & (answers["phase"] == "before")]
    # alpha is computed on scored values: reversed items mirrored
    items = {item.id: item for item in instrument.items}
    before = before[before["item_id"].isin(items)].copy()
    before["value"] = [items[i].score(v) for i, v in zip(before["item_id"], before["value"])]
    rows = []
    subs = instrument.subscales or ()
    for sub in subs:
        ids = [i.id for i in sub.items]
        table = before[before["item_id"].isin(ids)].pivot_table(
            index=["couple_code", "partner"], columns="item_id", values="value"
        )
        sub_scores = scores[(scores["phase"] == "before") & (scores["subscale"] == sub.id)]["score"]
        sd = float(sub_scores.std(ddof=1)) if sub_scores.notna().sum() > 1 else float("nan")
        if rel is not None and rel.method != "sample":
            r, source = rel.r, rel.source
            n = int(sub_scores.notna().sum())
        else:
            r = scoring.cronbach_alpha(table.reindex(columns=ids))
            n = len(table.dropna())
            source = rel.source if rel else "Cronbach's alpha of this session's before answers"
        warning = None
        if n < 10:
            warning = f"only {n} participants: reliability and SD are rough estimates"
        if math.isnan(r) if isinstance(r, float) else r is None:
            warning = "not enough answers to estimate reliability"
        rows.append((sub.id, r, sd, n, " ".join(source.split()), warning))
    return pd.DataFrame(rows, columns=["subscale", "reliability", "sd", "n", "source", "warning"])


def old_room_means(frame: pd.DataFrame, by: list[str], value: str, k: int) -> pd.DataFrame:
    k = tally.check_k(k)
    rows = []
    present = frame.dropna(subset=[value])
    for key, group in present.groupby(by, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        mean, sd, lo, hi = tally.mean_ci(group[value])
        n = len(group)
        hidden = n < k
        if hidden:
            mean = sd = lo = hi = math.nan
        rows.append((*key, n, mean, sd, lo, hi, hidden))
    return pd.DataFrame(rows, columns=[*by, "n", "mean", "sd", "ci_low", "ci_high", "suppressed"])


def variants(answers: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The demo's answers, and the awkward cases: nothing, one phase, holes, a dead item."""
    return {
        "all": answers,
        "none": answers.iloc[:0],
        "after only": answers[answers["phase"] == "after"],
        "a random 60%": answers.sample(frac=0.6, random_state=1),
        "qt1 never asked": answers[answers["item_id"] != "qt1"],
        "vu2 always skipped": answers.assign(
            value=answers["value"].where(answers["item_id"] != "vu2")
        ),
    }


@pytest.mark.parametrize("instrument_id", ["checkin", "csi4"])
def test_vectorised_scoring_equals_the_row_by_row_code(demo_session, instrument_id):
    instrument = demo_session.content.instrument(instrument_id)
    for name, answers in variants(demo_session.answers()).items():
        scores = scoring.subscale_scores(answers, instrument)
        pairs = [
            (
                scoring.instrument_totals(answers, instrument),
                old_instrument_totals(answers, instrument),
            ),
            (
                scoring.sample_reliability(answers, instrument, scores),
                old_sample_reliability(answers, instrument, scores),
            ),
        ]
        if instrument.positive_from is not None:
            pairs.append(
                (
                    scoring.partner_agreement(answers, instrument),
                    old_partner_agreement(answers, instrument),
                )
            )
        for new, old in pairs:
            same = [c for c in old.columns if c in new.columns and c not in ("source", "warning")]
            pd.testing.assert_frame_equal(new[same], old[same], obj=name)


def test_grouped_room_means_equal_the_loop_per_group_bit_for_bit(demo_session):
    checkin = demo_session.content.instrument("checkin")
    scores = scoring.subscale_scores(demo_session.answers(), checkin)
    cases = {
        "demo": scores,
        "empty": scores.iloc[:0],
        "before only": scores[scores["phase"] == "before"],
        "15 random rows (groups under k)": scores.sample(15, random_state=2),
        "one row": scores.iloc[:1],
        "a third unscored": scores.assign(score=scores["score"].where(scores.index % 3 > 0)),
        "nothing scored": scores.assign(score=math.nan),
        "whole-number scores": scores.assign(score=scores["score"].round()),
        "a group column with gaps": scores.assign(
            phase=scores["phase"].where(scores.index % 5 > 0)
        ),
    }
    for name, frame in cases.items():
        for by in (["subscale", "phase"], ["phase"], ["subscale"]):
            for k in (1, 2, 3, 30):
                new = tally.room_means(frame, by, "score", k)
                old = old_room_means(frame, by, "score", k)
                pd.testing.assert_frame_equal(new, old, check_exact=True, obj=f"{name} {by} {k}")
    # integer values and a grouping column of numbers take the same path
    small = pd.DataFrame({"g": [2, 1, 2, 2, 1, 1, 1], "v": [1, 2, 3, 4, 5, 6, 7]})
    pd.testing.assert_frame_equal(
        tally.room_means(small, ["g"], "v", 4), old_room_means(small, ["g"], "v", 4)
    )
    with pytest.raises(tally.InputError, match="k must be"):
        tally.room_means(scores, ["phase"], "score", 0)


def test_the_live_theme_means_equal_the_full_results(demo_session):
    code = demo_session.couple_codes()[2]
    demo_session.record_answer(code, "B", "after", "checkin", "em1", 1)
    pd.testing.assert_frame_equal(
        session_theme_means(demo_session),
        room_theme_means(checkin_results(demo_session), demo_session.k),
    )


def drawn(figure) -> list:
    """What the room sees of the bars and figures: geometry, colour and text."""
    out = []
    for ax in figure.axes:
        out.append(
            [
                (
                    round(p.get_x(), 9),
                    round(p.get_y(), 9),
                    round(p.get_width(), 9),
                    round(p.get_height(), 9),
                    p.get_facecolor(),
                    p.get_edgecolor(),
                    p.get_linewidth(),
                    p.get_zorder(),
                )
                for p in ax.patches
            ]
        )
        out.append(
            [(t.get_text(), t.get_position(), t.get_color(), t.get_fontsize()) for t in ax.texts]
        )
        out.append([t.get_text() for t in ax.get_yticklabels()])
        out.append((ax.get_xlim(), ax.get_ylim()))
    return out


def pixels_of_a_full_drawing(received, means, names, k) -> np.ndarray:
    """The chart drawn from scratch by a new LiveRoomChart, as RGBA pixels."""
    fresh = LiveRoomChart(names, k)
    fresh.png(received, means)
    assert (fresh.full_draws, fresh.fast_draws) == (1, 0)
    return np.asarray(fresh.canvas.buffer_rgba()).copy()


def test_a_fast_redraw_draws_what_a_full_one_would(demo_session):
    names = theme_names(demo_session)
    chart = LiveRoomChart(names, demo_session.k)
    chart.png(checkins_received(demo_session), session_theme_means(demo_session))
    bars = list(chart.figure.axes[1].patches)
    codes = demo_session.couple_codes()
    rng = np.random.default_rng(3)
    items = [item.id for item in demo_session.content.instrument("checkin").items]
    for step in range(8):
        # moves a bar, a figure, and the "after" count (couple 11 had not answered after)
        demo_session.record_answer(
            codes[int(rng.integers(len(codes)))],
            "AB"[step % 2],
            "after",
            "checkin",
            items[int(rng.integers(len(items)))],
            int(rng.integers(1, 6)),
        )
        received, means = checkins_received(demo_session), session_theme_means(demo_session)
        png = chart.png(received, means)
        assert png.startswith(b"\x89PNG")
        assert drawn(chart.figure) == drawn(
            dashboard_figure(received, means, names, demo_session.k)
        )
        # pixel for pixel what a drawing from scratch gives, after every fast update
        full = pixels_of_a_full_drawing(received, means, names, demo_session.k)
        fast = np.asarray(chart.canvas.buffer_rgba())
        assert fast.shape == full.shape
        assert np.count_nonzero((fast != full).any(axis=2)) == 0
    assert (chart.full_draws, chart.fast_draws) == (1, 8)
    # the legend is drawn once, not once per redraw; the bars are the same artists
    assert len(chart.figure.axes[1].get_legend().get_texts()) == 2
    assert list(chart.figure.axes[1].patches) == bars


def test_the_png_holds_the_canvas_pixels(demo_session):
    from PIL import Image

    chart = LiveRoomChart(theme_names(demo_session), demo_session.k)
    png = chart.png(checkins_received(demo_session), session_theme_means(demo_session))
    decoded = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert np.array_equal(decoded, np.asarray(chart.canvas.buffer_rgba()))
    # a see-through figure keeps its alpha channel
    chart.figure.set_facecolor((1, 1, 1, 0.5))
    chart.canvas.draw()
    decoded = np.asarray(Image.open(io.BytesIO(png_bytes(chart.canvas))))
    assert decoded.shape[2] == 4
    assert np.array_equal(decoded, np.asarray(chart.canvas.buffer_rgba()))


def test_a_change_of_layout_redraws_everything(session):
    board = RoomDashboard(session)
    assert board.painter.full_draws == 1  # the empty room
    codes = session.couple_codes()
    for code in codes[:3]:  # a theme reaches k people: bars appear, a full redraw
        session.record_answer(code, "A", "before", "checkin", "qt1", 4)
    assert board.refresh()
    assert board.painter.full_draws == 2
    session.record_answer(codes[0], "A", "before", "checkin", "qt1", 2)  # only a bar moves
    assert board.refresh()
    assert (board.painter.full_draws, board.painter.fast_draws) == (2, 1)
    session.add_couple()  # a new couple: the counts' scale changes
    assert board.refresh()
    assert board.painter.full_draws == 3
