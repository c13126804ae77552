"""LiveRoom follows the store from new rows only, and always says what a full read says.

Every check compares with :func:`checkins_received` and :func:`session_theme_means`, which
read the whole answers table each time; the writes come from other connections to the
same file (as the entry notebook's would) and from another process.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from workshop_kit.errors import InputError
from workshop_kit.live import LiveRoom
from workshop_kit.results import checkins_received, session_theme_means
from workshop_kit.session import Answer, Session


@pytest.fixture
def room(tmp_path):
    """The viewer's connection to a six-couple session, and a writer's connection."""
    viewer = Session.create(tmp_path / "room.sqlite", "Live", couples=6, seed=2)
    writer = Session.open(viewer.path)
    yield viewer, writer
    writer.close()
    viewer.close()


def same_as_a_full_read(live: LiveRoom, session: Session) -> None:
    pd.testing.assert_frame_equal(live.received(), checkins_received(session))
    pd.testing.assert_frame_equal(
        live.theme_means(), session_theme_means(session), check_exact=True
    )


def theme(live: LiveRoom, subscale: str, phase: str) -> pd.Series:
    means = live.theme_means()
    return means[(means["subscale"] == subscale) & (means["phase"] == phase)].iloc[0]


def test_the_latest_answer_wins_and_a_skip_is_not_a_zero(room):
    viewer, writer = room
    live = LiveRoom(viewer)
    assert not live.update()
    same_as_a_full_read(live, viewer)  # nobody has answered: no means at all
    codes = writer.couple_codes()
    for code in codes[:3]:
        writer.record_answer(code, "A", "before", "checkin", "qt1", 4)
    assert live.update()
    assert theme(live, "quality_time", "before")["mean"] == 4.0
    writer.record_answer(codes[0], "A", "before", "checkin", "qt1", 1)  # changed
    assert live.update()
    assert theme(live, "quality_time", "before")["mean"] == 3.0
    same_as_a_full_read(live, viewer)
    writer.record_answer(codes[1], "A", "before", "checkin", "qt1", None)  # now skipped
    assert live.update()
    row = theme(live, "quality_time", "before")
    assert (row["n"], bool(row["suppressed"])) == (2, True)  # 2 people left: under k
    same_as_a_full_read(live, viewer)
    # received counts who has ever given an answer, as the full read does
    assert live.received()["received"].tolist() == [3, 0]


def test_a_phase_appearing_and_a_couple_joining(room):
    viewer, writer = room
    live = LiveRoom(viewer)
    codes = writer.couple_codes()
    items = [item.id for item in writer.content.instrument("checkin").items]
    for code in codes:
        writer.record_answers([Answer(code, "B", "before", "checkin", i, 3) for i in items])
    live.update()
    assert set(live.theme_means()["phase"]) == {"before"}
    for code in codes[:3]:
        writer.record_answers([Answer(code, "B", "after", "checkin", i, 5) for i in items])
    assert live.update()
    assert set(live.theme_means()["phase"]) == {"before", "after"}
    same_as_a_full_read(live, viewer)
    new_code = writer.add_couple()  # no answer yet: only the number of people moves
    assert not live.update()
    assert live.received()["participants"].tolist() == [14, 14]
    writer.record_answer(new_code, "A", "after", "checkin", items[0], 2)
    assert live.update()
    same_as_a_full_read(live, viewer)


def test_other_instruments_count_as_received_but_not_as_themes(room):
    viewer, writer = room
    live = LiveRoom(viewer)
    code = writer.couple_codes()[0]
    writer.record_answer(code, "A", "before", "ios", "ios", 5)
    writer.record_answer(code, "B", "after", "csi4", "csi4_1", 3)
    assert live.update()
    assert live.received()["received"].tolist() == [1, 1]
    assert live.theme_means().empty
    same_as_a_full_read(live, viewer)


def test_random_writes_from_two_connections_match_a_full_read_after_every_update(room):
    viewer, writer = room
    other = Session.open(viewer.path)  # a third connection: the paper-entry view
    live = LiveRoom(viewer)
    rng = np.random.default_rng(10)
    codes = writer.couple_codes()
    items = [item.id for item in writer.content.instrument("checkin").items][:12]
    for step in range(60):
        session = writer if step % 3 else other
        batch = [
            Answer(
                codes[int(rng.integers(len(codes)))],
                "AB"[int(rng.integers(2))],
                ("before", "after")[int(rng.integers(2))],
                "checkin",
                items[int(rng.integers(len(items)))],
                None if rng.random() < 0.1 else int(rng.integers(1, 6)),
            )
            for _ in range(int(rng.integers(1, 6)))
        ]
        session.record_answers(batch)
        if step % 4 == 0:
            continue  # several batches between two updates
        assert live.update()
        same_as_a_full_read(live, viewer)
    other.close()
    assert live.last_id == viewer.store.conn.execute("SELECT MAX(id) FROM answers").fetchone()[0]


WRITER = """
import random, sys
from workshop_kit.session import Answer, Session

session = Session.open(sys.argv[1])
rng = random.Random(4)
items = [i.id for i in session.content.instrument("checkin").items]
for round_ in range(3):
    for code in session.couple_codes():
        for partner in ("A", "B"):
            session.record_answers(
                [Answer(code, partner, "before", "checkin", item, rng.randint(1, 5))
                 for item in rng.sample(items, 8)]
            )
print("done")
"""


def test_answers_written_by_another_process(room):
    viewer, _writer = room
    live = LiveRoom(viewer)
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(viewer.path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while process.poll() is None:
        live.update()  # reading while the other process writes
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.strip() == "done"
    live.update()
    same_as_a_full_read(live, viewer)
    assert live.received()["received"].tolist() == [12, 0]


def test_answers_since_reads_every_row_after_an_id(room):
    viewer, writer = room
    code = writer.couple_codes()[0]
    writer.record_answer(code, "A", "before", "checkin", "qt1", 4)
    writer.record_answer(code, "A", "before", "checkin", "qt1", None)
    rows = viewer.answers_since(0)
    assert rows["id"].tolist() == [1, 2]
    assert rows["value"].isna().tolist() == [False, True]
    assert viewer.answers_since(np.int64(1))["id"].tolist() == [2]
    assert viewer.answers_since(2).empty
    for bad in (-1, 1.5, "3", True, None):
        with pytest.raises(InputError, match="after_id must be a whole number"):
            viewer.answers_since(bad)
