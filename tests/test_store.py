"""The session store: committed at once, owner-only, WAL, versioned, and never half-written."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from workshop_kit import store as store_mod
from workshop_kit.errors import InputError, StoreError
from workshop_kit.session import Answer, Session
from workshop_kit.store import Store


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_store_is_owner_only_wal_and_versioned(tmp_path):
    session = Session.create(tmp_path / "s.sqlite", title="T", couples=2, seed=1)
    mode = stat.S_IMODE(os.stat(session.path).st_mode)
    assert mode == 0o600
    conn = session.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == store_mod.BUSY_TIMEOUT_MS
    assert session.store.schema_version() == store_mod.SCHEMA_VERSION


def test_store_in_a_missing_folder_is_refused_and_nothing_is_created(tmp_path):
    target = tmp_path / "no-such-folder" / "s.sqlite"
    with pytest.raises(StoreError, match="does not exist"):
        Session.create(target, title="T")
    assert not target.parent.exists()


def test_existing_store_is_not_overwritten(tmp_path):
    Session.create(tmp_path / "s.sqlite", title="T").close()
    with pytest.raises(StoreError, match="already exists"):
        Session.create(tmp_path / "s.sqlite", title="Other")


def test_store_from_a_newer_kit_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "s.sqlite"
    Session.create(path, title="T").close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    before = digest(path)
    with pytest.raises(StoreError, match=r"newer version of the kit \(schema 99"):
        Session.open(path)
    assert digest(path) == before


def test_not_a_store_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list")
    with pytest.raises(StoreError, match="not an SQLite file"):
        Session.open(path)
    with pytest.raises(StoreError, match="no session store"):
        Session.open(tmp_path / "missing.sqlite")


def test_truncated_store_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "s.sqlite"
    session = Session.create(path, title="T", couples=3, seed=1)
    session.close()
    data = path.read_bytes()
    path.write_bytes(data[:100])
    with pytest.raises(StoreError):
        Session.open(path)


def test_an_older_store_is_migrated(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    Session.create(path, title="T", couples=1, seed=1).close()
    monkeypatch.setattr(
        store_mod, "MIGRATIONS", [*store_mod.MIGRATIONS, "CREATE TABLE extra (x TEXT)"]
    )
    newer = len(store_mod.MIGRATIONS)  # one more than the kit's own
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", newer)
    store = Store.open(path)
    assert store.schema_version() == newer
    assert store.conn.execute("SELECT COUNT(*) FROM extra").fetchone() == (0,)
    store.close()


def test_answers_are_append_only_and_the_latest_wins(session):
    code = session.couple_codes()[0]
    session.record_answer(code, "A", "before", "checkin", "qt1", 2, source="paper")
    session.record_answer(code, "A", "before", "checkin", "qt1", 5, source="widget")
    rows = session.store.conn.execute("SELECT value, source FROM answers").fetchall()
    assert rows == [(2.0, "paper"), (5.0, "widget")]
    latest = session.answers()
    assert latest[["value", "source"]].values.tolist() == [[5.0, "widget"]]


def test_many_answers_land_whole_or_not_at_all(session):
    code = session.couple_codes()[0]
    good = Answer(code, "A", "before", "checkin", "qt1", 4)
    bad = Answer(code, "A", "before", "checkin", "qt2", 9)
    with pytest.raises(InputError, match="from 1 to 5; not 9"):
        session.record_answers([good, bad])
    assert session.answers().empty


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from workshop_kit.session import Session
    session = Session.open(sys.argv[1])
    code = session.couple_codes()[0]
    items = [i.id for i in session.content.instrument("checkin").items]
    for n, item in enumerate(items * 50):
        session.record_answer(code, "A", "before", "checkin", item, 1 + n % 5)
        print(n, flush=True)
    """
)


def test_killing_the_process_right_after_an_answer_loses_nothing(tmp_path):
    path = tmp_path / "s.sqlite"
    Session.create(path, title="T", couples=1, seed=1).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(path)], stdout=subprocess.PIPE, text=True
    )
    confirmed = -1
    for line in proc.stdout:
        confirmed = int(line)
        if confirmed >= 120:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Session.open(path) as session:
        conn = session.store.conn
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    # every answer confirmed before the kill is in the store (one more may have landed)
    assert stored >= confirmed + 1
