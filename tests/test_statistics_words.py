"""Every claim "Reading the charts" makes about the numbers, tied to the code that makes them.

The page is what a facilitator reads to answer a couple's question; a claim the code does
not keep is a wrong answer given in good faith. Each test quotes the page and checks the
code (issue 17).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workshop_kit import scoring
from workshop_kit.charts import checkin as checkin_charts
from workshop_kit.content import load_checkin
from workshop_kit.export.data import DICTIONARY, TABLES

PAGE = Path(__file__).resolve().parent.parent / "facilitator_notes" / "reading_the_charts.md"
TEXT = " ".join(PAGE.read_text(encoding="utf-8").split())  # one line: claims wrap
CONTENT = load_checkin()


def says(phrase: str) -> None:
    assert " ".join(phrase.split()) in TEXT, f"the page no longer says {phrase!r}"


def test_the_room_estimate_needs_10_people_and_a_usable_alpha():
    says("at least **10 people** who answered every sentence of the theme")
    assert scoring.MIN_N_RELIABILITY == 10
    says('Otherwise reliable change is **"not estimable"**, never a number')
    for r, sd, n in [(0.8, 0.6, 9), (-2.18, 0.39, 24), (1.0, 0.5, 24), (0.7, 0.0, 24)]:
        assert scoring.reliability_problem(r, sd, n) is not None
    assert scoring.reliability_problem(0.8, 0.6, 10) is None


def test_the_table_of_reliabilities_is_the_content():
    ios, csi4 = CONTENT.instrument("ios"), CONTENT.instrument("csi4")
    says(f"{ios.reliability.r:g}, the two-week test–retest reliability")
    assert ios.reliability.kind == "test-retest"
    says(f"{csi4.reliability.r:g}, the internal consistency (Cronbach's alpha)")
    assert csi4.reliability.kind == "internal consistency"
    checkin = CONTENT.instrument("checkin").reliability
    assert checkin.method == "sample" and checkin.kind == "internal consistency"
    assert all(i.reliability.sd is None for i in CONTENT.instruments if i.reliability)
    says("The kit's own check-in has no published norm")


def test_the_cutoff_and_the_bands_are_the_content():
    cut = CONTENT.instrument("csi4").cutoffs[0].below
    says(f"a total **below {cut:g}** suggests")
    bands = [b for sub in CONTENT.instrument("checkin").subscales for b in sub.bands]
    assert [b.below for b in bands] == [2.5, 4.0, None]
    says("| Low | below 2.5 |")
    says("| Middle | 2.5 up to (not including) 4.0 |")


def test_the_worked_example_of_reliable_change():
    says("S_diff = 0.8 × 1.414 × √0.30 ≈ 0.62")
    s_diff = scoring.rci_s_diff(0.8, 0.70)
    assert round(s_diff, 2) == 0.62 and round(1.96 * s_diff, 2) == 1.21
    changes = pd.DataFrame({"change": [1.0, 1.5]})
    got = scoring.reliable_change(changes, sd=0.8, reliability=0.70)["category"].tolist()
    assert got == ["no reliable change", "improved"]


def test_reliability_is_where_the_page_says():
    says("in the `reliability` table of the data export")
    assert "reliability" in TABLES
    assert {"reliability", "kind", "sd", "n", "estimable", "source"} <= set(
        DICTIONARY["reliability"]
    )
    says('in the "reliability" part of `workshop-kit summary')


def test_counts_add_up_and_are_not_on_the_room_chart():
    says("the four always add up to the number of people with both check-ins")
    assert scoring.SUMMARY_COUNTS == ("improved", "no_change", "worsened", "not_estimable")
    says("These counts are in `summary --json`, the data export (`room_change` table)")
    assert set(scoring.SUMMARY_COUNTS) | set(scoring.COUPLE_COUNTS) <= set(
        DICTIONARY["room_change"]
    )
    says("They are **not drawn on the room chart**")
    change = pd.DataFrame(
        {
            "measure": "checkin",
            "subscale": ["trust_intimacy"],
            "n": [12],
            "couples": [6],
            "mean_before": [3.0],
            "mean_after": [3.5],
            "mean_change": [0.5],
            "ci_low": [0.1],
            "ci_high": [0.9],
            "improved": [4.0],
            "no_change": [8.0],
            "worsened": [0.0],
            "suppressed": [False],
        }
    )
    names = {"trust_intimacy": "Trust and intimacy"}
    texts = " ".join(t.get_text() for t in checkin_charts.room_before_after(change, names, 3).texts)
    assert "improved" not in texts.lower() and "reliabl" not in texts.lower()


def test_the_interval_is_t_with_the_couple_as_the_unit_as_the_chart_note_says():
    says("with **Student's t**")
    says("with **each couple as one unit**")
    assert "Student t" in checkin_charts.INTERVAL_METHOD
    assert "couple" in checkin_charts.INTERVAL_METHOD
    # 12 couples of two whose partners moved together: the certainty of 12 units
    values = np.repeat(np.arange(12.0) / 10, 2)
    out = scoring.grouped_interval(values, np.zeros(24, int), 1, np.repeat(np.arange(12), 2))
    assert out["units"][0] == 12
    says("when fewer than 3 couples")
    assert scoring.MIN_UNITS_INTERVAL == 3
    says("shown as a range instead")
    row = {"mean_change": 3.5, "ci_low": 1.0, "ci_high": 4.0}
    assert checkin_charts._change_label(row) == "+3.50 (+1.00 to +4.00)"


def test_small_room_warnings_are_where_people_look():
    says("when fewer than 10 people answered both check-ins")
    assert checkin_charts.SMALL_ROOM == 10
    says("these numbers can swing a lot with one person's answers")
    data = pd.DataFrame({"n": [9], "couples": [5], "ci_low": [0.1]})
    assert "these numbers can swing a lot with one person's answers" in checkin_charts.room_note(
        data, 3, []
    )
    assert "swing" not in checkin_charts.room_note(data.assign(n=10), 3, [])


def test_the_effect_size_formula_on_the_page():
    says("J = 1 − 3 / (4(n − 1) − 1)")
    n = 8
    out = scoring.effect_size([1.0], [2.0], [n], [2.0 / math.sqrt(n)], [n])
    assert out["g_z"][0] == pytest.approx((1 - 3 / (4 * (n - 1) - 1)) * 0.5)


def test_the_page_no_longer_makes_the_false_claims_of_issue_17():
    for wrong in (
        "everyday wobble",
        "very hard to reach",
        "how many people chose each pair",
        "The counts of reliable increases and decreases are shown the same way",
        "The kit warns you, next to the numbers, when fewer than 10 people",
    ):
        assert wrong not in TEXT, wrong
    assert "Jacobson" not in CONTENT.instrument("checkin").reliability.source
