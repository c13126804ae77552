"""The live room dashboard: follows another process's writes, keeps the private panel apart."""

from __future__ import annotations

import asyncio
import html
import subprocess
import sys
import time

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
