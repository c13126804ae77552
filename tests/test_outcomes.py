"""The programme outcome report: known answers, and the same as each session's results."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from workshop_kit.cli import main
from workshop_kit.content import load_checkin
from workshop_kit.demo import build_demo
from workshop_kit.errors import InputError, StoreError
from workshop_kit.outcomes import ALL_SESSIONS, ANSWER_COLUMNS, REPORT_COLUMNS, outcome_report
from workshop_kit.programme import programme_report, read_pooled_answers
from workshop_kit.results import checkin_results, room_change

CONTENT = load_checkin()
KEY = ["measure", "subscale"]


def ios_rows(session_id: str, pairs: list[tuple[int, int]]) -> list[tuple]:
    return [
        (session_id, f"C{i}", "A", phase, "ios", "ios", float(value))
        for i, (before, after) in enumerate(pairs)
        for phase, value in (("before", before), ("after", after))
    ]


@pytest.fixture
def tiny() -> pd.DataFrame:
    """Two sessions, closeness circles only, worked by hand below."""
    rows = ios_rows("S1", [(3, 5), (4, 4), (2, 5), (5, 6)]) + ios_rows("S2", [(4, 4), (2, 6)])
    return pd.DataFrame(rows, columns=ANSWER_COLUMNS)


def with_ios_norm(sd: float):
    """The shipped content with a published SD for the closeness circles (a norm)."""
    ios = CONTENT.instrument("ios")
    rel = dataclasses.replace(ios.reliability, sd=sd, sd_source="a worked example")
    inst = tuple(
        dataclasses.replace(i, reliability=rel) if i.id == "ios" else i for i in CONTENT.instruments
    )
    return dataclasses.replace(CONTENT, instruments=inst)


def test_known_answers_on_a_tiny_pool(tiny):
    # k = 1 shows every figure (the computation is checked here; suppression below)
    report = outcome_report(tiny, CONTENT, k=1)
    assert list(report.columns) == REPORT_COLUMNS
    report = report.set_index("session_id")
    s1 = report.loc["S1"]
    # changes 2, 0, 3, 1 of four people of four couples: mean 1.5, SD sqrt(5/3);
    # interval 1.5 ± t(3)·SD/2, t(0.975; 3) = 3.182 (scipy gives the same, below)
    assert s1["n"] == 4 and s1["couples"] == 4
    assert s1["mean_before"] == pytest.approx(3.5) and s1["mean_after"] == pytest.approx(5.0)
    half = 3.182446 * math.sqrt(5 / 3) / 2
    assert (s1["ci_low"], s1["ci_high"]) == pytest.approx((1.5 - half, 1.5 + half))
    expected = stats.ttest_1samp([2, 0, 3, 1], 0).confidence_interval()
    assert (s1["ci_low"], s1["ci_high"]) == pytest.approx(tuple(expected))
    # Hedges' g_z: d = 1.5/sqrt(5/3) = 1.162, J = 1 - 3/11
    assert s1["g_z"] == pytest.approx((1 - 3 / 11) * 1.5 / math.sqrt(5 / 3))
    # the SD is this room's, from 4 people (fewer than 10): reliable change not estimable
    assert (s1["improved"], s1["no_change"], s1["worsened"], s1["not_estimable"]) == (0, 0, 0, 4)
    s2 = report.loc["S2"]  # two people: the interval is withheld
    assert s2["n"] == 2 and np.isnan(s2["ci_low"]) and np.isnan(s2["ci_high"])
    overall = report.loc[ALL_SESSIONS]
    assert overall["scope"] == "overall" and overall["n"] == 6
    assert overall["mean_change"] == pytest.approx(10 / 6)
    assert overall["mean_before"] == pytest.approx(20 / 6)
    counts = ["improved", "no_change", "worsened", "not_estimable"]
    assert overall[counts].sum() == overall["n"]


def test_a_published_norm_classifies_everyone_against_one_threshold(tiny):
    # SD 1.0 published, r = .83: S_diff = √2·√0.17 = 0.5831, threshold 1.96·0.5831 = 1.143
    report = outcome_report(tiny, with_ios_norm(1.0), k=1).set_index("session_id")
    s1 = report.loc["S1"]  # changes 2, 0, 3, 1: 2 and 3 reliable
    assert (s1["improved"], s1["no_change"], s1["worsened"], s1["not_estimable"]) == (2, 2, 0, 0)
    s2 = report.loc["S2"]  # changes 0 and 4
    assert (s2["improved"], s2["no_change"]) == (1, 1)
    overall = report.loc[ALL_SESSIONS]
    assert (overall["improved"], overall["no_change"], overall["not_estimable"]) == (3, 3, 0)
    # every participant here is a couple of one: not estimable as a couple
    assert overall["couples"] == 6 and overall["couples_not_estimable"] == 6


def test_the_k_rule_blanks_small_sessions_and_small_counts(tiny):
    report = outcome_report(tiny, with_ios_norm(1.0), k=3).set_index("session_id")
    s2 = report.loc["S2"]  # two people: only n is shown
    assert s2["suppressed"] and s2["n"] == 2
    assert all(np.isnan(s2[c]) for c in ("mean_before", "mean_change", "improved", "g_z"))
    # S1 is withheld too (complementary suppression): the overall minus S1 would be S2
    s1 = report.loc["S1"]
    assert s1["suppressed"] and s1["n"] == 4 and np.isnan(s1["mean_change"])
    overall = report.loc[ALL_SESSIONS]  # 3, 3, 0, 0: all shown; 6 people, interval shown
    assert (overall["improved"], overall["no_change"], overall["worsened"]) == (3, 3, 0)
    assert not np.isnan(overall["ci_low"])


def test_small_counts_are_blanked_with_a_complement(tiny):
    report = outcome_report(tiny, with_ios_norm(1.0), k=2).set_index("session_id")
    s1, s2 = report.loc["S1"], report.loc["S2"]
    # S2's counts of 1 are blanked; then S1's as well (overall 3 − S1's 2 = S2's 1)
    assert np.isnan(s2["improved"]) and np.isnan(s2["no_change"])
    assert np.isnan(s1["improved"]) and np.isnan(s1["no_change"])
    # S2 (2 people) has no interval, so neither has S1: overall − S1 would give S2's spread
    assert np.isnan(s1["ci_low"]) and np.isnan(s2["ci_low"])


def same_as_room_change(report: pd.DataFrame, session, pooled: bool = False) -> None:
    """A session's rows are its room_change; pooled, some may be withheld besides.

    In a pooled report a session's figure may also be withheld (complementary
    suppression against the overall row), never shown where room_change hides it.
    """
    expected = room_change(checkin_results(session), session.k)
    got = report[(report["scope"] == "session") & (report["session_id"] == session.session_id)]
    got = got[expected.columns].sort_values(KEY).reset_index(drop=True)
    expected = expected.sort_values(KEY).reset_index(drop=True)
    if pooled:
        figures = [c for c in expected.columns if c not in (*KEY, "n", "suppressed")]
        assert (got["n"] == expected["n"]).all()
        assert not (got[figures].notna() & expected[figures].isna()).any().any()
        expected[figures] = expected[figures].where(got[figures].notna())
        expected["suppressed"] = got["suppressed"]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_one_session_matches_its_room_change(demo_session):
    pooled = demo_session.answers().assign(session_id=demo_session.session_id)
    report = outcome_report(pooled, demo_session.content, k=demo_session.k)
    same_as_room_change(report, demo_session)
    overall = report[report["scope"] == "overall"].drop(columns=["scope", "session_id"])
    session = report[report["scope"] == "session"].drop(columns=["scope", "session_id"])
    pd.testing.assert_frame_equal(overall.reset_index(drop=True), session.reset_index(drop=True))
    # themes in the check-in's order, then the circles, then the CSI-4 total
    themes = [s.id for s in demo_session.content.instrument("checkin").subscales]
    assert list(overall["subscale"]) == [*themes, "ios", "csi4"]


@pytest.fixture
def stores(tmp_path):
    sessions = [
        build_demo(tmp_path / f"s{i}.sqlite", couples=couples, seed=seed)
        for i, (couples, seed) in enumerate([(12, 7), (5, 2), (2, 4)])
    ]
    yield sessions
    for s in sessions:
        s.close()


def test_each_pooled_session_matches_its_own_results_and_overall_adds_up(stores):
    pooled = pd.concat(
        [s.answers().assign(session_id=s.session_id) for s in stores], ignore_index=True
    )
    report = outcome_report(pooled, CONTENT, k=3)
    for session in stores:
        same_as_room_change(report, session, pooled=True)
    per_session = report[report["scope"] == "session"].groupby(KEY)["n"].sum()
    overall = report[report["scope"] == "overall"].set_index(KEY)["n"]
    pd.testing.assert_series_equal(overall.sort_index(), per_session.sort_index())


def test_reading_session_files_gives_the_latest_answers_of_each(stores):
    code = stores[0].couple_codes()[3]
    stores[0].record_answer(code, "A", "before", "checkin", "qt1", 1)  # a corrected answer
    pooled = read_pooled_answers([s.path for s in stores])
    expected = pd.concat(
        [s.answers().assign(session_id=s.session_id) for s in stores], ignore_index=True
    )
    key = ["session_id", "couple_code", "partner", "phase", "instrument", "item_id"]
    got = pooled.astype({c: str for c in key}).sort_values(key).reset_index(drop=True)
    want = expected[[*key, "value"]].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[[*key, "value"]], want)
    report = programme_report([s.path for s in stores], workers=2)
    for session in stores:
        same_as_room_change(report, session, pooled=True)


def test_bad_files_and_tables_are_refused_by_name(stores, tmp_path):
    not_a_store = tmp_path / "notes.sqlite"
    not_a_store.write_text("hello")
    with pytest.raises(StoreError, match=r"notes\.sqlite"):
        read_pooled_answers([stores[0].path, not_a_store])
    with pytest.raises(InputError, match="given twice"):
        read_pooled_answers([stores[0].path, stores[0].path])
    table = stores[0].answers().assign(session_id="S")
    with pytest.raises(InputError, match=r"'phase'.*'during'"):
        outcome_report(table.assign(phase="during"), CONTENT)
    with pytest.raises(InputError, match="missing \\['session_id'\\]"):
        outcome_report(table.drop(columns="session_id"), CONTENT)


def test_outcomes_command_writes_the_report_and_pool_can_too(stores, tmp_path, capsys):
    paths = [str(s.path) for s in stores]
    out = tmp_path / "report.csv"
    assert main(["outcomes", *paths, "--out", str(out)]) == 0
    written = pd.read_csv(out, encoding="utf-8-sig")
    assert list(written.columns) == REPORT_COLUMNS
    assert set(written["session_id"]) == {ALL_SESSIONS, *(s.session_id for s in stores)}
    assert main(["outcomes", *paths, "--out", str(tmp_path / "report.txt")]) == 2
    assert not (tmp_path / "report.txt").exists()
    pooled, report = tmp_path / "pooled.csv", tmp_path / "pooled-report.xlsx"
    assert main(["pool", *paths, "--out", str(pooled), "--report", str(report)]) == 0
    assert pooled.exists() and report.exists()
    assert main(["pool", *paths, "--out", str(tmp_path / "p2.csv"), "--report", "r.doc"]) == 2
    assert not (tmp_path / "p2.csv").exists()


def test_overall_rows_use_one_threshold_from_all_sessions(stores, monkeypatch):
    """The overall rows' alpha is Cronbach's alpha of all sessions' complete "before"
    answers together (combined from the sessions' sums), as scoring.cronbach_alpha gives
    it from one table; every pooled person is judged against that one threshold."""
    from workshop_kit import outcomes, scoring

    pooled = pd.concat(
        [s.answers().assign(session_id=s.session_id) for s in stores], ignore_index=True
    )
    seen = {}
    real = outcomes._report

    def spy(measures, before, after, alphas, people, sessions, k):
        seen["pooled_r"] = alphas[2]
        return real(measures, before, after, alphas, people, sessions, k)

    monkeypatch.setattr(outcomes, "_report", spy)
    report = outcome_report(pooled, CONTENT, k=1)
    inst = CONTENT.instrument("checkin")
    before = pooled[(pooled["phase"] == "before") & (pooled["instrument"] == "checkin")]
    before = before.assign(
        value=scoring.mirror_values(
            before["item_id"], before["value"], scoring.item_mirrors([inst])
        )
    )
    wide = before.pivot_table(
        index=["session_id", "couple_code", "partner"], columns="item_id", values="value"
    )
    for i, sub in enumerate(inst.subscales):
        want = scoring.cronbach_alpha(wide.reindex(columns=[it.id for it in sub.items]))
        assert seen["pooled_r"][i] == pytest.approx(want, nan_ok=True), sub.id
    overall = report[report["scope"] == "overall"]
    counts = overall[["improved", "no_change", "worsened", "not_estimable"]].sum(axis=1)
    assert (counts == overall["n"]).all()
