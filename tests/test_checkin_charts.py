"""Check-in charts, read through their artists (never pixels)."""

from __future__ import annotations

import itertools
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from workshop_kit.charts import ios
from workshop_kit.charts.checkin import couple_themes, room_before_after, total_against_cutoff
from workshop_kit.content import load_checkin
from workshop_kit.couple import couple_scores
from workshop_kit.export.charts import couple_checkin_figures, save_couple_charts
from workshop_kit.results import checkin_results, room_change
from workshop_kit.widgets.results import room_figure

NAMES = {"trust_intimacy": "Trust and intimacy", "empathy": "Empathy"}


def test_ios_pairs_keep_their_total_area_and_overlap_evenly():
    shares = []
    for level in range(1, 8):
        radius, distance = ios.pair_geometry(level)
        share = ios.overlap_share(distance / (2 * radius))
        assert math.pi * radius**2 * (2 - share) == pytest.approx(ios.UNION_AREA)
        shares.append(share)
    steps = [b - a for a, b in itertools.pairwise(shares)]
    assert shares[0] == pytest.approx(0, abs=1e-9)
    assert all(step == pytest.approx(steps[0], abs=1e-6) for step in steps)
    assert 0.8 < shares[-1] < 1


def test_a_couple_mean_between_two_pairs_is_drawn_between_them():
    # 2.5 and 3.5 were rounded (to 2 and 4: Python rounds halves to even); now each is
    # drawn halfway, with the overlap halfway between the two pairs
    ax = ios.ios_before_after(2.5, 3.5)
    circles = ax.patches
    assert len(circles) == 4
    for (low, high), pair in (((2, 3), circles[:2]), ((3, 4), circles[2:])):
        distance = abs(pair[1].center[0] - pair[0].center[0])
        radius = pair[0].radius
        share = ios.overlap_share(distance / (2 * radius))
        halfway = (ios.MAX_OVERLAP * (low - 1) / 6 + ios.MAX_OVERLAP * (high - 1) / 6) / 2
        assert share == pytest.approx(halfway, abs=1e-6)
    labels = [t.get_text() for t in ax.texts]
    assert "Before: 2.5 of 7" in labels and "After: 3.5 of 7" in labels
    with pytest.raises(ValueError, match="level must be from 1 to 7"):
        ios.pair_geometry(7.5)


def test_ios_scale_draws_fourteen_circles_numbered_one_to_seven():
    ax = ios.ios_scale(chosen=3)
    assert len(ax.patches) == 14
    assert [t.get_text() for t in ax.texts] == [str(n) for n in range(1, 8)]
    assert ax.texts[2].get_fontweight() == "bold"


def couple_table(consent=True):
    scores = pd.DataFrame(
        {
            "couple_code": "C1",
            "partner": ["A", "B", "A", "B"] * 2,
            "phase": ["before", "before", "after", "after"] * 2,
            "subscale": ["trust_intimacy"] * 4 + ["empathy"] * 4,
            "score": [3.0, 4.0, 4.0, 5.0, 2.0, 2.0, 3.0, 2.0],
        }
    )
    return couple_scores(scores, "C1", consent, consent)


def test_couple_themes_draw_the_couple_mean_before_and_after():
    ax = couple_themes(couple_table(), NAMES)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Empathy", "Trust and intimacy"]  # first theme at the top
    before, after = ax.collections[0], ax.collections[1]
    assert sorted(before.get_offsets()[:, 0]) == [2.0, 3.5]
    assert sorted(after.get_offsets()[:, 0]) == [2.5, 4.5]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Partner A, after" in legend


def test_couple_themes_without_consent_show_no_figure_of_either_partner():
    # a couple mean with one refusal would give that partner away (2 x mean - own)
    ax = couple_themes(couple_table(consent=False), NAMES)
    assert len(ax.collections) == 0 and not ax.axison
    assert "No check-in answers" in ax.texts[0].get_text()


def test_couple_themes_with_one_consent_show_nothing_both_answered():
    scores = pd.DataFrame(
        {
            "couple_code": "C1",
            "partner": ["A", "B", "A"],
            "phase": ["before", "before", "after"],
            "subscale": "empathy",
            "score": [3.0, 4.0, 5.0],
        }
    )
    table = couple_scores(scores, "C1", consent_a=True, consent_b=False)
    ax = couple_themes(table, NAMES)
    # only the "after" mark, which rests on A alone (A agreed)
    offsets = [list(c.get_offsets()[:, 0]) for c in ax.collections]
    assert offsets == [[], [5.0]]


def test_empty_couple_chart_says_so_instead_of_empty_axes():
    empty = pd.DataFrame(columns=["phase", "subscale", "partner_a", "partner_b", "couple_mean"])
    ax = couple_themes(empty, NAMES)
    assert not ax.axison
    assert "No check-in answers" in ax.texts[0].get_text()


def test_total_against_cutoff_never_marks_a_couple_mean_on_an_individual_cutoff():
    # the example: CSI-4 totals A = 20 and B = 7 average 13.5, on the line
    csi4 = load_checkin().instrument("csi4")
    table = pd.DataFrame(
        {
            "phase": ["before", "after"],
            "subscale": "csi4",
            "partner_a": [float("nan")] * 2,
            "partner_b": [float("nan")] * 2,
            "couple_mean": [13.5, 15.0],
            "n_partners": 2,
        }
    )
    ax = total_against_cutoff(table, csi4)
    assert ax.get_xlim() == (0, 21)
    assert any("13.5" in t.get_text() for t in ax.texts)  # the band is drawn
    assert not any(len(c.get_offsets()) for c in ax.collections)  # and no mark at all
    assert any("one person's total" in t.get_text() for t in ax.texts)
    # with both partners' consent, each partner's own total is marked
    both = table.assign(partner_a=[20.0, 19.0], partner_b=[7.0, 11.0])
    ax = total_against_cutoff(both, csi4)
    points = {tuple(c.get_offsets()[0]) for c in ax.collections if len(c.get_offsets())}
    assert {(20.0, 1.15), (7.0, 0.85), (19.0, 0.15), (11.0, -0.15)} <= points
    assert (13.5, 1.0) not in points


def test_room_chart_footnote_names_the_method_and_warns_when_small():
    change = pd.DataFrame(
        {
            "measure": "checkin",
            "subscale": ["trust_intimacy"],
            "n": [6],
            "couples": [3],
            "mean_before": [3.0],
            "mean_after": [3.5],
            "mean_change": [0.5],
            "ci_low": [0.1],
            "ci_high": [0.9],
            "suppressed": [False],
        }
    )
    notes = " ".join(t.get_text() for t in room_before_after(change, NAMES, k=3).texts)
    assert "Student t, each couple one unit" in notes
    assert "6 people in 3 couples" in notes and "Only 6 people" in notes
    assert "+0.50 ± 0.40" in notes


def test_room_chart_hides_themes_under_k_and_names_them():
    change = pd.DataFrame(
        {
            "measure": "checkin",
            "subscale": ["trust_intimacy", "empathy"],
            "n": [5, 2],
            "mean_before": [3.0, float("nan")],
            "mean_after": [3.5, float("nan")],
            "mean_change": [0.5, float("nan")],
            "ci_low": [0.1, float("nan")],
            "ci_high": [0.9, float("nan")],
            "suppressed": [False, True],
        }
    )
    ax = room_before_after(change, NAMES, k=3)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Trust and intimacy"]
    notes = " ".join(t.get_text() for t in ax.texts)
    assert "+0.50" in notes and "Hidden (fewer than 3 people): Empathy" in notes


def test_room_figure_of_the_demo_draws_every_theme(demo_session):
    fig = room_figure(demo_session, "checkin")
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 13
    plt.close(fig)


def test_couple_charts_are_saved_as_png_and_pdf(demo_session, tmp_path):
    code = demo_session.couple_codes()[2]
    written = save_couple_charts(demo_session, code, tmp_path)
    assert {p.suffix for p in written} == {".png", ".pdf"}
    assert all(p.parent == tmp_path / code and p.stat().st_size > 1000 for p in written)
    figures = couple_checkin_figures(demo_session, code)
    assert set(figures) == {"connection-by-theme", "closeness-circles", "csi4-total"}


def test_follow_up_list_and_room_change(demo_session):
    from workshop_kit.results import follow_up_list

    code = demo_session.couple_codes()[0]
    demo_session.set_flag(code, "B", "wants_to_talk", True)
    follow = follow_up_list(demo_session)
    assert (
        (follow.couple_code == code)
        & (follow.partner == "B")
        & (follow.reason == "would like to talk to someone")
    ).any()
    assert set(follow.columns) == {"couple_code", "partner", "phase", "reason"}
    results = checkin_results(demo_session)
    change = room_change(results, demo_session.k)
    assert (change["n"] >= 3).all() and not change["suppressed"].any()
