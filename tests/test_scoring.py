"""Scoring: known answers worked by hand and from the published examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

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


def test_reliable_change_without_usable_inputs_is_not_estimable_never_a_number():
    changes = pd.DataFrame({"before": [2.0, 3.0], "after": [4.0, float("nan")]})
    changes["change"] = changes["after"] - changes["before"]
    # the issue's examples: alpha -2.18 and -3.0 (3 couples), alpha 1 or SD 0 (hard times)
    for sd, r, n in [
        (float("nan"), 0.8, None),
        (0.39, -2.18, 24),
        (0.26, -3.0, 24),
        (0.5, 0.0, 24),
        (0.5, 1.0, 24),
        (0.0, 0.73, 24),
        (0.6, 0.8, 6),
    ]:
        out = scoring.reliable_change(changes, sd=sd, reliability=r, n=n)
        assert out["category"].tolist() == ["not estimable", None], (sd, r, n)
        assert out["rci"].isna().all()
        assert scoring.reliability_problem(r, sd, n) is not None
    assert scoring.reliability_problem(0.8, 0.6, 10) is None  # 10 people is enough


def test_counts_always_add_up_to_n_with_a_not_estimable_group(demo_session):
    from workshop_kit.results import checkin_results, room_change

    change = room_change(checkin_results(demo_session), k=1)
    people = change[["improved", "no_change", "worsened", "not_estimable"]].sum(axis=1)
    assert (people == change["n"]).all()
    couples = change[
        ["both_improved", "one_improved", "neither_improved", "couples_not_estimable"]
    ].sum(axis=1)
    assert (couples == change["couples"]).all()


def test_the_t_interval_of_the_issue_example_and_scipy_agree():
    # demo --couples 3 --seed 1, communication: changes 2/3, 2/3 (one couple) and 0
    changes = [2 / 3, 2 / 3, 0.0]
    out = scoring.grouped_interval(changes, [0, 0, 0], 1)
    assert (out["ci_low"][0], out["ci_high"][0]) == pytest.approx((-0.512, 1.401), abs=5e-4)
    want = stats.ttest_1samp(changes, 0).confidence_interval(0.95)
    assert (out["ci_low"][0], out["ci_high"][0]) == pytest.approx(tuple(want))
    # the couple as the unit: 2 couples, fewer than 3: withheld
    paired = scoring.grouped_interval(changes, [0, 0, 0], 1, clusters=[0, 0, 1])
    assert np.isnan(paired["ci_low"][0]) and paired["units"][0] == 2


def test_cluster_robust_interval_by_hand_and_singletons_equal_plain_t():
    values = np.array([1.0, 2.0, 2.0, 4.0, 0.0, 3.0])
    clusters = np.array([0, 0, 1, 1, 2, 2])
    out = scoring.grouped_interval(values, np.zeros(6, int), 1, clusters)
    # by hand: mean 2; residual sums per couple -1, 2, -1; V = 3/2 · 6 / 36 = 0.25
    assert out["se"][0] == pytest.approx(0.5)
    half = stats.t.ppf(0.975, 2) * 0.5
    assert (out["ci_low"][0], out["ci_high"][0]) == pytest.approx((2 - half, 2 + half))
    single = scoring.grouped_interval(values, np.zeros(6, int), 1, np.arange(6))
    plain = stats.ttest_1samp(values, 0).confidence_interval()
    assert (single["ci_low"][0], single["ci_high"][0]) == pytest.approx(tuple(plain))


def test_intervals_are_clipped_to_the_scale():
    out = scoring.grouped_interval([4.0, 5.0, 5.0], [0, 0, 0], 1, bounds=(1, 5))
    assert out["ci_high"][0] == 5.0 and out["ci_low"][0] >= 1


def test_hedges_g_z_with_its_correction_by_hand():
    changes = np.array([1.0, 2.0, 3.0, 4.0])
    out = scoring.grouped_interval(changes, np.zeros(4, int), 1)
    es = scoring.effect_size(out["mean"], out["sd"], out["n"], out["se"], out["units"])
    d = 2.5 / changes.std(ddof=1)
    j = 1 - 3 / (4 * 3 - 1)
    half = stats.t.ppf(0.975, 3) * math.sqrt(1 / 4 + d**2 / 6)
    assert es["g_z"][0] == pytest.approx(j * d)
    assert (es["g_low"][0], es["g_high"][0]) == pytest.approx((j * (d - half), j * (d + half)))
    # SD 0: no effect size, never a number
    flat = scoring.effect_size([0.5], [0.0], [5], [0.0], [5])
    assert np.isnan(flat["g_z"][0])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-4, 4), st.sampled_from([0, 1, 2, 3, -9])), min_size=1, max_size=30
    ),
    st.floats(0.01, 2.0),
)
def test_people_and_couple_counts_add_up(rows, s_diff):
    change = np.array([c if code != -9 else np.nan for c, code in rows])
    couple = np.arange(len(rows)) // 2
    category = scoring.classify_change(change, s_diff)
    out = scoring.summarise_changes(
        np.zeros(len(rows)), change, category, np.zeros(len(rows), int), 1, couple
    )
    people = sum(out[c][0] for c in scoring.SUMMARY_COUNTS)
    assert people == out["n"][0] == np.sum(~np.isnan(change))
    couples = sum(out[c][0] for c in scoring.COUPLE_COUNTS)
    assert couples == out["couples"][0]


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


def test_couple_scores_hide_every_partner_figure_without_both_consents():
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
    # consent covers every figure derived from a partner: without both, no couple mean
    # either (2 x mean - own answer would give the other partner's score back)
    assert one["couple_mean"].isna().all()
    assert both.loc["after", "couple_mean"] == 4.5


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


def test_what_the_room_sees_is_the_one_implementation(demo_session):
    """The results page, the room summary and summary --json show publish_checkin's
    change table: its figures are scoring.change_summary's (couple as the unit)."""
    from workshop_kit.published import publish_checkin
    from workshop_kit.results import checkin_results

    results = checkin_results(demo_session)
    shown = publish_checkin(demo_session, results).change.set_index(["measure", "subscale"])
    full = scoring.change_summary(
        results.changes.dropna(subset=["change"]),
        ["measure", "subscale"],
        "couple_code",
        bounds=results.bounds,
    ).set_index(["measure", "subscale"])
    whole = shown[shown["held_back"] == 0]
    assert len(whole) > 0
    for column in ("n", "couples", "mean_change", "ci_low", "g_z", "improved", "not_estimable"):
        got, want = whole[column].astype(float), full.loc[whole.index, column].astype(float)
        visible = got.notna()
        assert np.allclose(got[visible], want[visible]), column
    assert whole["ci_low"].notna().any()


@pytest.mark.parametrize("seed", [1, 42])
def test_the_issue_demo_rooms_of_three_couples(tmp_path, seed):
    """demo --couples 3 --seed 1 and --seed 42, the rooms issue 17 was worked out on."""
    from workshop_kit.demo import build_demo
    from workshop_kit.results import checkin_results

    session = build_demo(tmp_path / "three.sqlite", couples=3, seed=seed)
    try:
        results = checkin_results(session)
        rel = results.reliability.set_index(["measure", "subscale"])
        assert not rel["estimable"].any()  # 6 people at most: fewer than 10
        paired = results.changes.dropna(subset=["change"])
        assert (paired["category"] == "not estimable").all()
        table = scoring.change_summary(paired, ["measure", "subscale"], bounds=results.bounds)
        counts = table[list(scoring.SUMMARY_COUNTS)].sum(axis=1)
        assert (counts == table["n"]).all() and (table["not_estimable"] == table["n"]).all()
        if seed == 1:
            assert rel.loc[("checkin", "communication"), "reliability"] == pytest.approx(
                -2.1818, abs=1e-4
            )
            comm = paired[paired["subscale"] == "communication"]["change"].to_numpy()
            person = scoring.grouped_interval(comm, np.zeros(len(comm), int), 1)
            assert (person["ci_low"][0], person["ci_high"][0]) == pytest.approx(
                (-0.512, 1.401), abs=5e-4
            )
            row = table.set_index("subscale").loc["communication"]
            assert row["couples"] == 2 and np.isnan(row["ci_low"])  # couples as units: 2 < 3
    finally:
        session.close()
