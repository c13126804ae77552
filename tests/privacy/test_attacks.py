"""Every attack of issue 16, rerun as a plain test: each must recover nothing.

A curious participant with a calculator combines two published figures (two states of a
live view, two figures of one report, a session and the pooled report) or uses what
they know of their own answers. Each test builds the room of the attack, collects what
the kit publishes, and checks the subtraction no longer gives one person's value.
"""

from __future__ import annotations

import numpy as np
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
