"""Every attack of issue 16, rerun as a plain test: each must recover nothing.

A curious participant with a calculator combines two published figures (two states of a
live view, two figures of one report, a session and the pooled report) or uses what
they know of their own answers. Each test builds the room of the attack, collects what
the kit publishes, and checks the subtraction no longer gives one person's value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workshop_kit.session import Answer, Session
from workshop_kit.widgets.dashboard import RoomDashboard

THEME_ITEMS = None


def checkin_items(session):
    return [item.id for item in session.content.instrument("checkin").items]


def answer_all(session, code, partner, phase, rng, lo=1, hi=5):
    answers = [
        Answer(code, partner, phase, "checkin", item, int(rng.integers(lo, hi + 1)))
        for item in checkin_items(session)
    ]
    session.record_answers(answers, source="widget")


@pytest.fixture
def room(tmp_path):
    session = Session.create(tmp_path / "room.sqlite", "Attacks", couples=8, seed=3)
    yield session
    session.close()


def people(session):
    return [(code, partner) for code in session.couple_codes() for partner in "AB"]


def shown_means(board):
    means, _waiting = board.live.released_theme_means(board.ledger)
    return means.set_index(["subscale", "phase"])[["n", "mean", "suppressed"]]


# -- the live dashboard: 3 then 4 people ------------------------------------------------
def test_dashboard_does_not_move_for_a_fourth_person(room):
    rng = np.random.default_rng(1)
    who = people(room)
    for code, partner in who[:3]:
        answer_all(room, code, partner, "before", rng)
    board = RoomDashboard(room)
    three = shown_means(board)
    assert not three["suppressed"].any() and (three["n"] == 3).all()
    answer_all(room, *who[3], "before", rng)
    assert board.refresh()
    four = shown_means(board)
    # the picture after the 4th person is the picture of the first 3: nothing to subtract
    assert four.equals(three)
    assert board.waiting == 2
    assert "next update after 2 more people" in board.status.value
    # a dashboard opened afresh (kernel restart) goes on from what was shown
    again = RoomDashboard(room)
    assert shown_means(again).equals(three)
    for code, partner in who[4:6]:
        answer_all(room, code, partner, "before", rng)
    board.refresh()
    six = shown_means(board)
    assert (six["n"] == 6).all() and not six["mean"].equals(three["mean"])
    assert board.waiting == 0


def test_a_changed_answer_counts_as_a_person(room):
    rng = np.random.default_rng(2)
    who = people(room)
    for code, partner in who[:3]:
        answer_all(room, code, partner, "before", rng)
    board = RoomDashboard(room)
    first = shown_means(board)
    # one person changes every answer: the sum would move by their change alone
    answer_all(room, *who[0], "before", rng)
    board.refresh()
    assert shown_means(board).equals(first)
    assert board.waiting == 2


# -- two figures of one report ----------------------------------------------------------
def test_summary_after_mean_and_paired_change_rest_on_one_set(tmp_path):
    from workshop_kit.summary import build_summary

    session = Session.create(tmp_path / "s.sqlite", "Summary", couples=11, seed=4)
    rng = np.random.default_rng(4)
    who = people(session)
    for code, partner in who[:20]:
        answer_all(session, code, partner, "before", rng)
        answer_all(session, code, partner, "after", rng)
    answer_all(session, *who[20], "after", rng)  # after only: "after" n = 21, paired n = 20
    answer_all(session, *who[21], "before", rng)  # before only
    checkin = build_summary(session)["checkin"]
    change = {(r["measure"], r["subscale"]): r for r in checkin["change"]}
    for row in checkin["theme_means"]:
        paired = change[("checkin", row["subscale"])]
        # n·mean − n'·mean' would be one person's score: the two rest on the same people
        assert row["n"] == paired["n"] == 20
        assert row["over"] == "paired"
        assert row["mean"] == pytest.approx(paired[f"mean_{row['phase']}"])
    session.close()


def test_three_people_get_no_interval_they_could_solve(tmp_path):
    from workshop_kit.results import checkin_results, room_change
    from workshop_kit.widgets.results import room_figure

    session = Session.create(tmp_path / "s.sqlite", "Three", couples=2, seed=5)
    rng = np.random.default_rng(5)
    for code, partner in people(session)[:3]:
        for phase in ("before", "after"):
            session.record_answer(code, partner, phase, "ios", "ios", int(rng.integers(1, 8)))
            answer_all(session, code, partner, phase, rng)
    change = room_change(checkin_results(session), session.k)
    shown = change[~change["suppressed"]]
    assert not shown.empty and (shown["n"] == 3).all()
    # with n = 3, mean and SD of the changes let each person solve the other two
    assert shown["ci_low"].isna().all() and shown["ci_high"].isna().all()
    fig = room_figure(session, "checkin")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert not any("±" in t for t in texts if t[:1] in "+-")
    assert any("No interval under 6 people" in t for t in texts)
    session.close()


def test_reliability_block_shows_no_spread_where_the_mean_is_hidden(tmp_path):
    from workshop_kit.summary import build_summary

    session = Session.create(tmp_path / "s.sqlite", "Two", couples=1, seed=6)
    rng = np.random.default_rng(6)
    for partner in "AB":
        session.record_answer(session.couple_codes()[0], partner, "before", "ios", "ios", 3)
        answer_all(session, session.couple_codes()[0], partner, "before", rng)
    checkin = build_summary(session)["checkin"]
    for row in checkin["reliability"]:
        if row["n"] and row["n"] < 6:
            assert row["sd"] is None, row
    for row in checkin["theme_means"]:
        assert row["mean"] is None and row["sd"] is None
    session.close()


# -- sessions against the pooled report ------------------------------------------------
def test_outcomes_session_of_one_is_not_overall_minus_the_others(tmp_path):
    import pandas as pd

    from workshop_kit.content import load_checkin
    from workshop_kit.outcomes import ALL_SESSIONS, ANSWER_COLUMNS, outcome_report

    rows = []
    rng = np.random.default_rng(7)
    for session_id, size in (("S1", 1), ("S2", 12), ("S3", 9)):
        for i in range(size):
            for phase in ("before", "after"):
                value = float(rng.integers(1, 8))
                rows.append((session_id, f"C{i}", "A", phase, "ios", "ios", value))
    pooled = pd.DataFrame(rows, columns=ANSWER_COLUMNS)
    report = outcome_report(pooled, load_checkin(), k=3)
    ios = report[report["subscale"] == "ios"].set_index("session_id")
    overall = ios.loc[ALL_SESSIONS]
    shown = ios[(ios["scope"] == "session") & ios["mean_before"].notna()]
    if overall["mean_before"] == overall["mean_before"]:  # the overall row is shown
        rest = overall["n"] - shown["n"].sum()
        # overall minus the sessions shown must rest on at least k people
        assert rest == 0 or rest >= 3
    assert np.isnan(ios.loc["S1", "mean_before"])


def test_k_below_the_sessions_own_is_refused(tmp_path):
    from workshop_kit.cli import main
    from workshop_kit.demo import build_demo

    store = tmp_path / "s.sqlite"
    build_demo(store, couples=4, seed=1).close()
    out = tmp_path / "report.csv"
    code = main(["outcomes", str(store), "--out", str(out), "--k", "1"])
    assert code == 2 and not out.exists()


# -- tallies: successive values piles and points charts, words, ritual counts -------------
def random_sort(deck, rng):
    from workshop_kit.values import make_sort

    ids = list(deck.ids)
    piles = {v: ["very", "important", "not"][int(rng.integers(0, 3))] for v in ids}
    very = [v for v in ids if piles[v] == "very"]
    top5 = list(rng.permutation(very)[:5]) if len(very) >= 5 else []
    return make_sort(deck, piles, top5)


def test_successive_values_tallies_do_not_give_the_newest_sorter(tmp_path):
    from workshop_kit.values import load_deck
    from workshop_kit.values_session import published_room_values, save_sort

    session = Session.create(tmp_path / "v.sqlite", "Values", couples=5, seed=8)
    deck = load_deck()
    rng = np.random.default_rng(8)
    who = people(session)
    states = []
    for i, (code, partner) in enumerate(who[:9]):
        save_sort(session, code, partner, random_sort(deck, rng), deck)
        points, piles, waiting = published_room_values(session, deck)
        states.append((i + 1, points.to_dict("records"), piles.to_dict("records"), waiting))
    # the tallies move at the 3rd, 6th and 9th sorter, never in between: two successive
    # tallies never differ by one sorter's cards
    changes = [states[i][0] for i in range(1, len(states)) if states[i][1:3] != states[i - 1][1:3]]
    assert changes == [3, 6, 9]
    assert states[0][1] == [] and states[1][2] == []  # nothing before 3 sorters
    assert [s[3] for s in states] == [2, 1, 0, 2, 1, 0, 2, 1, 0]  # "next update after …"
    # a re-sort by one person is a change of one: held back too
    save_sort(session, *who[0], random_sort(deck, rng), deck)
    points, piles, waiting = published_room_values(session, deck)
    assert (points.to_dict("records"), piles.to_dict("records")) == states[-1][1:3]
    assert waiting == 2
    session.close()


def test_words_and_ritual_counts_move_in_steps_of_k(tmp_path):
    from workshop_kit import appreciation as ap
    from workshop_kit import exercises as ex

    session = Session.create(tmp_path / "w.sqlite", "Words", couples=4, seed=9)
    who = people(session)
    clouds = []
    for code, partner in who[:7]:
        ap.save_words(session, code, partner, ["kind", "patient"])
        clouds.append(ap.published_room_words(session)[0].to_dict("records"))
    assert clouds[2] == clouds[3] == clouds[4] != clouds[5]
    assert clouds[0] == clouds[1] == []
    plans = []
    for code in session.couple_codes():
        choice = [{"ritual": r, "day": "Friday", "time": "19:30"} for r in ("walk", "cooking")]
        ex.save_rituals_plan(session, code, choice)
        counts, made, waiting = ex.published_room_plans(session)
        plans.append((counts.to_dict("records"), made, waiting))
    # three couples: first figures; the fourth alone moves nothing
    assert plans[2][1]["rituals_plans"] == 3 and plans[3][1]["rituals_plans"] == 3
    assert plans[3][2] == 2
    session.close()


def test_results_page_after_one_more_person_shows_the_same_room(tmp_path):
    from workshop_kit.published import publish_checkin

    session = Session.create(tmp_path / "s.sqlite", "Results", couples=6, seed=10)
    rng = np.random.default_rng(10)
    who = people(session)
    for code, partner in who[:9]:
        answer_all(session, code, partner, "before", rng)
    for code, partner in who[:6]:
        answer_all(session, code, partner, "after", rng)
    first = publish_checkin(session).change.set_index(["measure", "subscale"])
    answer_all(session, *who[6], "after", rng)  # one more: the page must not move
    second = publish_checkin(session).change.set_index(["measure", "subscale"])
    figures = ["n", "mean_before", "mean_after", "mean_change"]
    pd.testing.assert_frame_equal(first[figures], second[figures])
    assert (second.loc["checkin", "held_back"] == 1).all()
    for code, partner in who[7:9]:  # k people since: it moves, over all 9
        answer_all(session, code, partner, "after", rng)
    third = publish_checkin(session).change.set_index(["measure", "subscale"])
    assert (third.loc["checkin", "n"] == 9).all() and (third["held_back"] == 0).all()
    session.close()
