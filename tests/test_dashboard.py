"""The live room dashboard: follows another process's writes, keeps the private panel apart."""

from __future__ import annotations

import asyncio
import html
import subprocess
import sys
import time

import pandas as pd
import pytest

from workshop_kit.charts.dashboard import room_theme_bars
from workshop_kit.results import checkin_results, follow_up_list, room_theme_means
from workshop_kit.session import Session
from workshop_kit.widgets.dashboard import (
    PRIVATE_TITLE,
    RoomDashboard,
    room_dashboard_figure,
    store_version,
)

WRITER = """
import random, sys, time
from workshop_kit.session import Answer, Session

session = Session.open(sys.argv[1])
rng = random.Random(5)
items = [i.id for i in session.content.instrument("checkin").items]
for code in session.couple_codes():
    for partner in ("A", "B"):
        answers = [Answer(code, partner, "before", "checkin", item, rng.randint(1, 5))
                   for item in items]
        answers.append(Answer(code, partner, "before", "ios", "ios", rng.randint(1, 7)))
        session.record_answers(answers, source="widget")
        session.put_entry("flag", "wants_to_talk", partner == "B" and code.endswith(("3", "C")),
                          code, partner)
        time.sleep(0.02)
print("done")
"""


@pytest.fixture
def room(tmp_path):
    session = Session.create(tmp_path / "room.sqlite", "Live room", couples=10, seed=11)
    yield session
    session.close()


def test_a_writer_in_another_process_and_the_dashboard_lose_nothing(room, tmp_path):
    board = RoomDashboard(Session.open(room.path))
    assert board.received["received"].tolist() == [0, 0]
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(room.path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    redraws = 0
    deadline = time.monotonic() + 120
    while writer.poll() is None and time.monotonic() < deadline:
        redraws += board.refresh()  # must never raise while the other process writes
    out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert out.strip() == "done"
    board.refresh()
    assert redraws >= 1
    assert board.version == store_version(room)
    assert board.received.set_index("phase")["received"].to_dict() == {"before": 20, "after": 0}
    n_items = len(room.content.instrument("checkin").items) + 1
    assert len(room.answers()) == 20 * n_items
    assert bytes(board.chart.value).startswith(b"\x89PNG")
    board.session.close()


def test_the_poll_task_redraws_when_the_store_changes(room):
    board = RoomDashboard(room, poll_seconds=0.05)
    code = room.couple_codes()[0]

    async def scenario():
        board.start()
        await asyncio.sleep(0.15)
        room.record_answer(code, "A", "after", "checkin", "qt1", 5)
        for _ in range(100):
            await asyncio.sleep(0.05)
            if board.received.set_index("phase").loc["after", "received"] == 1:
                break
        board.stop()

    asyncio.run(scenario())
    assert board.received.set_index("phase").loc["after", "received"] == 1
    assert board.errors == 0
    assert board.task is None


def test_private_panel_is_hidden_empty_and_marked_until_asked(demo_session):
    board = RoomDashboard(demo_session)
    assert board.private.layout.display == "none"
    assert board.private_body.value == ""
    assert PRIVATE_TITLE in html.unescape(board.private.children[0].value)
    assert "wk-private" in board.private._dom_classes
    board.private_toggle.value = True
    assert board.private.layout.display == "flex"
    shown = html.unescape(board.private_body.value)
    follow = follow_up_list(demo_session)
    assert not follow.empty
    for row in follow.itertuples():
        assert row.couple_code in shown and row.reason in shown
    board.private_toggle.value = False
    assert board.private_body.value == "" and board.private.layout.display == "none"


def test_room_view_names_no_one(demo_session):
    board = RoomDashboard(demo_session)
    fig = room_dashboard_figure(demo_session)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    texts += " ".join(t.get_text() for ax in fig.axes for t in ax.get_yticklabels())
    for code in demo_session.couple_codes():
        assert code not in texts
        assert code not in html.unescape(board.room.children[0].value + board.status.value)
    assert "24 of 24" in texts


def test_themes_under_k_are_named_not_drawn(room):
    codes = room.couple_codes()
    for code in codes[:1]:
        for partner in ("A", "B"):
            room.record_answer(code, partner, "before", "checkin", "qt1", 4)
    means = room_theme_means(checkin_results(room), room.k)
    names = {s.id: s.name for s in room.content.instrument("checkin").subscales}
    ax = room_theme_bars(means, names, room.k)
    assert not ax.patches  # nothing drawn: an empty message instead
    assert "Waiting for answers" in ax.texts[0].get_text()
    for code in codes[1:3]:
        room.record_answer(code, "A", "before", "checkin", "qt1", 2)
        room.record_answer(code, "A", "before", "checkin", "vu1", 2)
    means = room_theme_means(checkin_results(room), room.k)
    ax = room_theme_bars(means, names, room.k)
    widths = [round(p.get_width(), 6) for p in ax.patches]
    assert widths == [round((4 + 4 + 2 + 2) / 4 - 1, 6)]  # only quality time has 3+ people
    labels = [t.get_text() for t in ax.texts]
    assert labels.count(f"fewer than {room.k}") == 1  # vulnerability: 2 people


def test_after_fast_updates_the_board_shows_what_a_new_board_would(demo_session):
    import numpy as np

    writer = Session.open(demo_session.path)  # the entry notebook's connection
    board = RoomDashboard(demo_session)
    codes = writer.couple_codes()
    for value, code in zip((1, 5, 2, 4, 3), codes):
        writer.record_answer(code, "B", "after", "checkin", "gr1", value)
        writer.record_answer(codes[0], "A", "after", "checkin", "gr1", 6 - value)  # changed
        assert board.refresh()
    writer.close()
    assert board.painter.fast_draws == 5
    fresh = RoomDashboard(Session.open(demo_session.path))
    assert fresh.painter.full_draws == 1
    pd.testing.assert_frame_equal(board.received, fresh.received)
    mine, theirs = board.painter.figure, fresh.painter.figure
    for ax, other in zip(mine.axes, theirs.axes):
        assert [t.get_text() for t in ax.texts] == [t.get_text() for t in other.texts]
        assert [p.get_width() for p in ax.patches] == [p.get_width() for p in other.patches]
    same = np.asarray(board.painter.canvas.buffer_rgba()) == np.asarray(
        fresh.painter.canvas.buffer_rgba()
    )
    assert same.all()
    assert bytes(board.chart.value) == bytes(fresh.chart.value)
    fresh.session.close()


def test_entries_do_not_redraw_the_chart_and_the_private_panel_recomputes_only_on_change(
    demo_session, monkeypatch
):
    from workshop_kit.widgets import dashboard

    calls = []

    def counted(session):
        calls.append(1)
        return follow_up_list(session)

    monkeypatch.setattr(dashboard, "follow_up_list", counted)
    writer = Session.open(demo_session.path)
    board = RoomDashboard(demo_session)
    board.private_toggle.value = True
    assert len(calls) == 1
    draws = (board.painter.full_draws, board.painter.fast_draws)
    chart = bytes(board.chart.value)
    code = writer.couple_codes()[0]

    writer.put_entry("word", "w1", "kind", code, "A")  # a room word: nothing here moves
    assert board.refresh()
    assert (board.painter.full_draws, board.painter.fast_draws) == draws
    assert bytes(board.chart.value) == chart
    assert len(calls) == 1

    writer.set_flag(code, "B", "wants_to_talk", True)  # a flag: the private list moves
    assert board.refresh()
    assert len(calls) == 2
    assert "would like to talk to someone" in html.unescape(board.private_body.value)
    assert (board.painter.full_draws, board.painter.fast_draws) == draws

    writer.record_answer(code, "A", "after", "checkin", "qt1", 1)  # an answer: both move
    assert board.refresh()
    assert len(calls) == 3
    assert sum((board.painter.full_draws, board.painter.fast_draws)) == sum(draws) + 1
    assert not board.refresh()  # nothing new: nothing recomputed
    assert len(calls) == 3

    board.private_toggle.value = False
    writer.record_answer(code, "A", "after", "checkin", "qt1", 2)
    assert board.refresh()
    assert len(calls) == 3  # hidden: never computed
    board.private_toggle.value = True
    assert len(calls) == 4
    writer.close()


def test_a_drawing_that_failed_is_done_again_at_the_next_poll(demo_session, monkeypatch):
    from workshop_kit.charts import dashboard as charts

    writer = Session.open(demo_session.path)
    board = RoomDashboard(demo_session)
    code = writer.couple_codes()[0]
    writer.record_answer(code, "A", "after", "checkin", "qt1", 1)
    real = charts.update_room_theme_bars

    def fails_after_moving_some_bars(ax, means, names, k):
        real(ax, means, names, k)
        raise OSError("disk hiccup")

    monkeypatch.setattr(
        "workshop_kit.charts.live.update_room_theme_bars", fails_after_moving_some_bars
    )
    with pytest.raises(OSError):
        board.refresh()
    assert board.chart_stale
    draws = board.painter.full_draws
    monkeypatch.undo()
    assert board.refresh()  # nothing new in the store, but the chart is still owed
    assert not board.chart_stale and board.painter.full_draws == draws + 1
    fresh = RoomDashboard(Session.open(demo_session.path))
    assert bytes(board.chart.value) == bytes(fresh.chart.value)
    assert not board.refresh()
    fresh.session.close()
    writer.close()


def test_a_failed_follow_up_list_is_computed_again(demo_session, monkeypatch):
    # the facilitator's safety list must not stay stale because one computation failed
    import workshop_kit.widgets.dashboard as dashboard

    writer = Session.open(demo_session.path)
    board = RoomDashboard(demo_session)
    board.private_toggle.value = True
    code = writer.couple_codes()[2]
    writer.set_flag(code, "A", "wants_to_talk", True)
    real = dashboard.follow_up_list

    def busy(session):
        raise OSError("database is locked")

    monkeypatch.setattr(dashboard, "follow_up_list", busy)
    board.poll_once()
    assert "Could not refresh just now (database is locked); retrying." in board.status.value
    monkeypatch.setattr(dashboard, "follow_up_list", real)
    writer.put_entry("word", "1", "kind", code, "B")  # an entry that is not a flag or answer
    board.poll_once()
    assert html.escape(code) in board.private_body.value
    assert "would like to talk" in board.private_body.value
    # and the status line says it is working again, with nothing new in the store
    assert "Updated" in board.status.value and "Could not" not in board.status.value
    board.poll_once()
    assert "Updated" in board.status.value
    writer.close()
