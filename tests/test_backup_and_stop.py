"""Nothing left outside the file: online backup, a checkpoint on every kind of stop, and
session files that appear complete or not at all."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from workshop_kit.cli import main
from workshop_kit.errors import StoreError
from workshop_kit.session import Session
from workshop_kit.store import CREATING_PREFIX, Store, backup

REPO = Path(__file__).resolve().parents[1]


def child_env() -> dict[str, str]:
    """The environment of a subprocess running the kit from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.setdefault("MPLBACKEND", "Agg")
    return env


def read_only(path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def count_answers(path) -> int:
    conn = read_only(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    finally:
        conn.close()


# -- backup ----------------------------------------------------------------------------
def test_backup_while_a_writer_runs_is_complete_and_consistent(tmp_path):
    path = tmp_path / "live.sqlite"
    Session.create(path, "Live", couples=4, seed=1).close()
    committed = [0]
    stop = threading.Event()

    def writer():
        # its own connection, as another notebook or the phone server would have
        with Session.open(path) as session:
            codes = session.couple_codes()
            items = [i.id for i in session.content.instrument("checkin").items]
            n = 0
            while not stop.is_set():
                code, item = codes[n % len(codes)], items[n % len(items)]
                session.record_answer(code, "AB"[n % 2], "before", "checkin", item, 1 + n % 5)
                n += 1
                committed[0] = n

    thread = threading.Thread(target=writer)
    thread.start()
    copies = []
    try:
        while committed[0] < 20:
            time.sleep(0.01)
        for i in range(3):
            before = committed[0]
            copy = backup(path, tmp_path / f"copy-{i}.sqlite")
            copies.append((copy, before))
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(30)
    for copy, before in copies:
        assert not os.path.exists(f"{copy}-wal")  # one self-contained file
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        conn = read_only(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = [r[0] for r in conn.execute("SELECT id FROM answers ORDER BY id")]
        conn.close()
        # every answer committed before the backup began, and no gap: one moment's copy
        assert len(ids) >= before
        assert ids == list(range(1, len(ids) + 1))
    final = backup(path, tmp_path / "final.sqlite")
    assert count_answers(final) == committed[0]
    assert not list(tmp_path.glob(f"{CREATING_PREFIX}*"))


def test_backup_command_copies_into_a_folder_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "s.sqlite"
    with Session.create(path, "Spring", couples=2, seed=1) as session:
        code = session.couple_codes()[0]
        session.record_answer(code, "A", "before", "checkin", "qt1", 4)
        # the answer is still in the -wal file: a plain file copy would miss it
        assert count_answers(path) == 1
        folder = tmp_path / "stick"
        folder.mkdir()
        assert main(["backup", str(path), str(folder)]) == 0
        out = capsys.readouterr().out
        (copy,) = folder.glob("s-backup-*.sqlite")
        assert "1 answer rows" in out and str(copy) in out
        assert [p.name for p in folder.iterdir()] == [copy.name]
        assert count_answers(copy) == 1
        before = copy.read_bytes()
        assert main(["backup", str(path), str(copy)]) == 2
        assert "exists already" in capsys.readouterr().err
        assert copy.read_bytes() == before


def test_backup_of_a_missing_or_foreign_file_is_refused(tmp_path):
    with pytest.raises(StoreError, match="no session store"):
        backup(tmp_path / "none.sqlite", tmp_path / "copy.sqlite")
    with pytest.raises(StoreError, match="does not exist"):
        Session.create(tmp_path / "s.sqlite", "T").close()
        backup(tmp_path / "s.sqlite", tmp_path / "no" / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()
    with pytest.raises(StoreError, match="that folder does not exist"):
        backup(tmp_path / "s.sqlite", f"{tmp_path / 'later'}/")
    assert not (tmp_path / "later").exists()


# -- a checkpoint on every kind of stop --------------------------------------------------
KERNEL = textwrap.dedent(
    """
    import sys, time
    from workshop_kit.session import Session
    path, how = sys.argv[1], sys.argv[2]
    session = Session.open(path)
    code = session.couple_codes()[0]
    items = [i.id for i in session.content.instrument("checkin").items][:12]
    for n, item in enumerate(items):
        session.record_answer(code, "A", "before", "checkin", item, 1 + n % 5)
    print(len(items), flush=True)
    if how == "exit":
        sys.exit(0)
    time.sleep(60)
    """
)


@pytest.mark.parametrize("how", ["exit", "SIGINT", "SIGTERM", "SIGHUP"])
def test_the_session_file_alone_holds_every_answer_after_each_kind_of_stop(tmp_path, how):
    path = tmp_path / "s.sqlite"
    Session.create(path, "T", couples=1, seed=1).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", KERNEL, str(path), how],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    saved = int(proc.stdout.readline())
    if how != "exit":
        assert os.path.exists(f"{path}-wal") and os.path.getsize(f"{path}-wal") > 0
        proc.send_signal(getattr(signal, how))
    proc.wait(30)
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(path, alone / "s.sqlite")  # the .sqlite only, without -wal or -shm
    assert count_answers(alone / "s.sqlite") == saved == 12
    conn = read_only(alone / "s.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_closing_a_store_folds_the_log_into_the_file(tmp_path):
    path = tmp_path / "s.sqlite"
    session = Session.create(path, "T", couples=1, seed=1)
    session.record_answer(session.couple_codes()[0], "B", "after", "checkin", "qt1", 2)
    session.close()
    assert not os.path.exists(f"{path}-wal") or os.path.getsize(f"{path}-wal") == 0
    copy = tmp_path / "copy.sqlite"
    shutil.copy(path, copy)
    assert count_answers(copy) == 1


# -- atomic creation ----------------------------------------------------------------------
CRASH = textwrap.dedent(
    """
    import os, sys
    import workshop_kit.store as store
    from workshop_kit.session import Session
    path, where = sys.argv[1], sys.argv[2]
    if where == "populate":
        store.Store.create(path, {"title": "T"}, populate=lambda conn: os._exit(3))
    else:
        store._place_new = lambda tmp, target: os._exit(3)  # just before the rename
        Session.create(path, "T", couples=3)
    """
)


@pytest.mark.parametrize("where", ["populate", "rename"])
def test_a_crash_while_creating_leaves_no_unusable_session_file(tmp_path, where):
    path = tmp_path / "new.sqlite"
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, str(path), where], env=child_env(), timeout=60
    )
    assert proc.returncode == 3
    assert not path.exists()  # no stub where the session should be
    leftovers = list(tmp_path.glob(f"{CREATING_PREFIX}*"))
    assert leftovers  # only a hidden temporary file, which a later creation clears
    with Session.create(path, "T", couples=3, seed=1) as session:
        assert len(session.couple_codes()) == 3
    # the crashed creation's temporary file is removed once it is an hour old
    old = time.time() - 7200
    for p in leftovers:
        if p.exists():
            os.utime(p, (old, old))
    Session.create(tmp_path / "other.sqlite", "T").close()
    assert not list(tmp_path.glob(f"{CREATING_PREFIX}*"))


def test_a_created_session_is_complete_with_its_couples_in_one_step(tmp_path):
    path = tmp_path / "s.sqlite"
    with Session.create(path, "T", couples=5, seed=4) as session:
        assert len(session.couple_codes()) == 5
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    conn = read_only(path)
    assert conn.execute("SELECT COUNT(*) FROM couples").fetchone() == (5,)
    conn.close()
    with pytest.raises(StoreError, match="already exists"):
        Store.create(path, {"title": "again"})


# -- a real Jupyter kernel stopping ----------------------------------------------------------
KERNEL_CODE = """
from workshop_kit.locations import current_session
session = current_session()
code = session.couple_codes()[0]
items = [i.id for i in session.content.instrument("checkin").items][:9]
for n, item in enumerate(items):
    session.record_answer(code, "B", "after", "checkin", item, 1 + n % 5)
print(len(items))
"""


@pytest.mark.slow
@pytest.mark.parametrize("how", ["shutdown", "SIGTERM", "SIGHUP"])
def test_a_jupyter_kernel_stopping_leaves_every_answer_in_the_file(tmp_path, how):
    """The kernel a notebook runs in: shut down by Jupyter, or sent SIGTERM / SIGHUP."""
    from jupyter_client.manager import KernelManager

    path = tmp_path / "s.sqlite"
    Session.create(path, "T", couples=1, seed=1).close()
    env = child_env()
    env["WORKSHOP_KIT_STORE"] = str(path)
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(env=env, cwd=str(tmp_path))
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        reply = client.execute_interactive(KERNEL_CODE, timeout=120)
        assert reply["content"]["status"] == "ok", reply["content"]
        assert os.path.getsize(f"{path}-wal") > 0  # the answers are in the log so far
        if how == "shutdown":
            manager.shutdown_kernel(now=False)
        else:
            manager.provisioner.process.send_signal(getattr(signal, how))
            manager.provisioner.process.wait(60)
    finally:
        client.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(path, alone / "s.sqlite")
    assert count_answers(alone / "s.sqlite") == 9
