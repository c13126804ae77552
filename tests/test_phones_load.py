"""80 phones on 127.0.0.1 take the check-in at the same time: nothing lost, store whole."""

from __future__ import annotations

import sqlite3

import pytest
from phones_support import free_port

from workshop_kit.phones import devices as dev
from workshop_kit.phones.client import simulate_room
from workshop_kit.phones.server import PhoneServer
from workshop_kit.session import Session

pytestmark = pytest.mark.slow
COUPLES = 40


def test_80_phones_at_once_lose_nothing(tmp_path):
    store = tmp_path / "room.sqlite"
    with Session.create(store, "Eighty phones", couples=COUPLES, seed=11) as session:
        people = [(code, partner) for code in session.couple_codes() for partner in "AB"]
        steps = len(session.content.flags)
    with PhoneServer(store, bind="127.0.0.1", port=free_port(), log=tmp_path / "p.log") as server:
        with Session.open(store) as session:
            join_code = dev.joining(session).code
        run = simulate_room(server.url(""), join_code, people, think=0.3)
    assert run.failed == [] and run.completed == 80

    with Session.open(store) as session:
        answers = session.answers("before")
        per_person = answers.groupby(["couple_code", "partner"]).size()
        assert len(per_person) == 80
        # every item of the check-in, answered or skipped, for every one of the 80
        items = len(answers[answers["couple_code"] == people[0][0]]) // 2
        assert (per_person == items).all()
        assert set(answers["source"]) == {"phone"}
        flags = [session.flag(code, partner, "consent") for code, partner in people]
        assert None not in flags and steps == 2
        assert dev.joined_people(session) == 80
    with sqlite3.connect(store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # exactly one row per answer sent: no answer written twice or lost
        rows = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    assert rows == 80 * items
