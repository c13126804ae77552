"""Scoring: known answers worked by hand and from the published examples."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workshop_kit import scoring
from workshop_kit.content import load_checkin
from workshop_kit.couple import couple_scores
from workshop_kit.tally import room_means

CONTENT = load_checkin()
CHECKIN = CONTENT.instrument("checkin")


def answers(rows):
    return pd.DataFrame(
        rows, columns=["couple_code", "partner", "phase", "instrument", "item_id", "value"]
    )


def theme(frame, sub, partner="A", phase="before"):
    found = frame[(frame.subscale == sub) & (frame.partner == partner) & (frame.phase == phase)]
    return found.iloc[0]


def test_theme_score_is_the_mean_of_answered_items_with_reversed_items_mirrored():
    # communication: co1, co2, co3 (reversed). 5, 3, and co3 = 2 → scored 4. Mean = 4.
    frame = scoring.subscale_scores(
        answers(
            [
                ("C1", "A", "before", "checkin", "co1", 5.0),
                ("C1", "A", "before", "checkin", "co2", 3.0),
                ("C1", "A", "before", "checkin", "co3", 2.0),
            ]
        ),
        CHECKIN,
    )
    row = theme(frame, "communication")
    assert row.score == pytest.approx(4.0)
    assert (row.n_answered, row.n_items) == (3, 3)


def test_skipped_is_never_zero_and_too_few_answers_give_no_score():
    frame = scoring.subscale_scores(
        answers(
            [
                ("C1", "A", "before", "checkin", "co1", 4.0),
                ("C1", "A", "before", "checkin", "co2", None),  # skipped
                ("C1", "A", "before", "checkin", "co3", None),  # skipped
                ("C1", "A", "before", "checkin", "qt1", 2.0),
                ("C1", "A", "before", "checkin", "qt2", None),
            ]
        ),
        CHECKIN,
    )
    # communication: 1 of 3 answered, the rule needs 2 (half, rounded up) → no score
    assert math.isnan(theme(frame, "communication").score)
    # quality time: 1 of 2 answered is enough; the skipped item does not pull it to 1.0
    assert theme(frame, "quality_time").score == 2.0


def test_csi4_total_and_cutoff():
    csi4 = CONTENT.instrument("csi4")
    rows = [
        ("C1", "A", "before", "csi4", f"csi4_{i}", v) for i, v in zip(range(1, 5), [6, 5, 5, 5])
    ]
    rows += [
        ("C1", "B", "before", "csi4", f"csi4_{i}", v) for i, v in zip(range(1, 5), [4, 3, 3, 3])
    ]
    rows += [("C2", "A", "before", "csi4", f"csi4_{i}", v) for i, v in zip(range(1, 4), [4, 3, 3])]
    totals = scoring.instrument_totals(answers(rows), csi4).set_index(["couple_code", "partner"])
    assert totals.loc[("C1", "A"), "total"] == 21 and not totals.loc[("C1", "A"), "follow_up"]
    assert totals.loc[("C1", "B"), "total"] == 13 and totals.loc[("C1", "B"), "follow_up"]
    # an item missing: no total (the published scoring does not prorate)
    assert math.isnan(totals.loc[("C2", "A"), "total"])


def test_reliable_change_index_follows_jacobson_and_truax():
    # Jacobson & Truax (1991): SD 7.5, r = .88 → S_diff = 3.67; 1.96 × 3.67 = 7.2 points
    s_diff = scoring.rci_s_diff(7.5, 0.88)
    assert s_diff == pytest.approx(7.5 * math.sqrt(2) * math.sqrt(0.12))
    assert 1.96 * s_diff == pytest.approx(7.2, abs=0.01)
    changes = pd.DataFrame({"before": [20.0, 20.0, 20.0], "after": [28.0, 27.0, 12.0]})
    changes["change"] = changes["after"] - changes["before"]
    out = scoring.reliable_change(changes, sd=7.5, reliability=0.88)
    assert out["category"].tolist() == ["improved", "no reliable change", "worsened"]
    assert out["rci"].iloc[0] == pytest.approx(8 / s_diff)


def test_reliable_change_without_reliability_gives_no_category():
    changes = pd.DataFrame({"before": [2.0], "after": [4.0], "change": [2.0]})
    out = scoring.reliable_change(changes, sd=float("nan"), reliability=0.8)
    assert out["category"].tolist() == [None]


def test_partner_agreement_counts_items_both_answer_positively_with_reversals():
    frame = answers(
        [
            ("C1", "A", "before", "checkin", "vu1", 5.0),
            ("C1", "B", "before", "checkin", "vu1", 4.0),
            # vu2 is reversed: 1 means "not true that I hide worries" → scored 5, positive
            ("C1", "A", "before", "checkin", "vu2", 1.0),
            ("C1", "B", "before", "checkin", "vu2", 4.0),
            # only one partner answered ec1: not counted
            ("C1", "A", "before", "checkin", "ec1", 5.0),
        ]
    )
    out = scoring.partner_agreement(frame, CHECKIN).set_index("subscale")
    assert out.loc["vulnerability", "agreement"] == 0.5
    assert out.loc["vulnerability", "n_items"] == 2
    assert "emotional_connection" not in out.index


def test_cronbach_alpha_matches_the_hand_worked_example():
    table = pd.DataFrame({"i1": [1, 2, 3, 4, 5], "i2": [2, 2, 3, 5, 5], "i3": [1, 3, 3, 4, 4]})
    assert scoring.cronbach_alpha(table) == pytest.approx(1.5 * (1 - 6.3 / 17.3))


def test_couple_scores_hide_individual_scores_without_both_consents():
    scores = pd.DataFrame(
        {
            "couple_code": "C1",
            "partner": ["A", "B", "A", "B"],
            "phase": ["before", "before", "after", "after"],
            "subscale": "trust",
            "score": [3.0, 4.0, 4.0, 5.0],
        }
    )
    both = couple_scores(scores, "C1", True, True).set_index("phase")
    assert both.loc["after", "partner_a"] == 4.0 and both.loc["after", "partner_b"] == 5.0
    one = couple_scores(scores, "C1", True, False).set_index("phase")
    assert one["partner_a"].isna().all() and one["partner_b"].isna().all()
    assert one.loc["after", "couple_mean"] == 4.5


def test_sample_reliability_warns_for_small_groups(demo_session):
    from workshop_kit.results import checkin_results

    results = checkin_results(demo_session)
    rel = results.reliability.set_index(["measure", "subscale"])
    assert rel.loc[("ios", "ios"), "reliability"] == pytest.approx(0.83)
    assert "Aron" in rel.loc[("ios", "ios"), "source"]
    comm = rel.loc[("checkin", "communication")]
    assert 0 < comm["reliability"] < 1 and comm["sd"] > 0
    assert comm["warning"] is None  # 24 participants
    small = scoring.sample_reliability(
        results.answers[results.answers.couple_code.isin(demo_session.couple_codes()[:2])],
        CHECKIN,
        results.theme_scores,
    )
    assert small["warning"].notna().all()


def test_room_means_suppress_groups_under_k():
    scores = pd.DataFrame(
        {"subscale": ["a"] * 3 + ["b"] * 2, "phase": "before", "score": [1.0, 2.0, 3.0, 5.0, 5.0]}
    )
    out = room_means(scores, ["subscale", "phase"], "score", k=3).set_index("subscale")
    assert out.loc["a", "mean"] == 2.0 and not out.loc["a", "suppressed"]
    assert math.isnan(out.loc["b", "mean"]) and out.loc["b", "suppressed"]
