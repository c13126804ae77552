"""``workshop-kit purge STORE [--yes]``: deletes a session and its exports, asking first."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys

import pytest

from workshop_kit.cli import main
from workshop_kit.locations import session_exports_dir
from workshop_kit.session import Session

from .helpers import child_env, file_digest, tree_listing


@pytest.fixture
def places(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path / "sessions"))
    monkeypatch.setenv("WORKSHOP_KIT_EXPORTS", str(tmp_path / "exports"))
    (tmp_path / "sessions").mkdir()
    return tmp_path


def _session_with_exports(places, name="spring.sqlite"):
    path = places / "sessions" / name
    with Session.create(path, "Spring", couples=3, seed=1) as s:
        s.record_answer(s.couple_codes()[0], "A", "before", "checkin", "qt1", 4)
        folder = session_exports_dir(path)
        (folder / s.couple_codes()[0]).mkdir(parents=True)
        (folder / s.couple_codes()[0] / "chart.png").write_bytes(b"png")
        still_open = Session.open(path)  # leaves -wal and -shm beside it
        still_open.answers()
        still_open.close()
    return path


def _gone(path):
    return not any(
        p.exists()
        for p in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
            session_exports_dir(path),
        )
    )


def test_purge_with_yes_deletes_the_store_its_wal_shm_and_exports(places, capsys, ledger):
    path = _session_with_exports(places)
    other = _session_with_exports(places, "autumn.sqlite")
    assert main(["purge", str(path), "--yes"]) == 0
    assert _gone(path)
    assert other.exists() and session_exports_dir(other).is_dir()  # only that session
    out = capsys.readouterr().out
    assert "deletes for good" in out and "Deleted" in out
    ledger.case("Purge", "--yes deletes store, -wal/-shm and exports; other sessions stay")


@pytest.mark.parametrize("answer", ["y\n", "yes\n", "Y\n"])
def test_purge_asks_first_and_a_yes_deletes(places, monkeypatch, answer, ledger):
    path = _session_with_exports(places)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    assert main(["purge", str(path)]) == 0
    assert _gone(path)
    ledger.case("Purge", f"answer {answer.strip()!r} deletes")


@pytest.mark.parametrize("answer", ["\n", "n\n", "no\n", "maybe\n"])
def test_purge_keeps_everything_unless_the_answer_is_yes(
    places, monkeypatch, capsys, answer, ledger
):
    path = _session_with_exports(places)
    before = tree_listing(places)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    assert main(["purge", str(path)]) == 1
    assert tree_listing(places) == before
    assert "Nothing was deleted" in capsys.readouterr().out
    ledger.case("Purge", f"answer {answer.strip()!r} keeps everything")


def test_purge_with_no_input_does_nothing_says_so_and_exits_1(places, ledger):
    path = _session_with_exports(places)
    before = tree_listing(places)
    env = child_env()
    env["WORKSHOP_KIT_SESSIONS"] = str(places / "sessions")
    env["WORKSHOP_KIT_EXPORTS"] = str(places / "exports")
    run = subprocess.run(
        [sys.executable, "-m", "workshop_kit.cli", "purge", str(path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "nothing was deleted" in run.stdout
    assert tree_listing(places) == before
    ledger.case("Purge", "no input (EOF) deletes nothing, exit 1")


def _foreign(places):
    path = places / "recipes.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "make, needle",
    [
        (lambda p: p / "nowhere.sqlite", "no session store"),
        (lambda p: (p / "notes.txt", (p / "notes.txt").write_text("hello"))[0], "not an SQLite"),
        (lambda p: (p / "empty.sqlite", (p / "empty.sqlite").write_bytes(b""))[0], "not an SQLite"),
        (_foreign, "no session id"),
        (lambda p: (p / "folder.sqlite", (p / "folder.sqlite").mkdir())[0], "no session store"),
    ],
    ids=["missing", "text-file", "empty-file", "foreign-sqlite", "folder"],
)
def test_purge_refuses_what_is_not_a_session_store(places, capsys, make, needle, ledger):
    path = make(places)
    digest = file_digest(path) if path.is_file() else None
    assert main(["purge", str(path), "--yes"]) == 2
    err = capsys.readouterr().err
    assert needle in err and str(path.name) in err
    if digest:
        assert file_digest(path) == digest
    ledger.case("Purge", f"refuses {path.name}")


def test_purge_forgets_the_current_session_pointer(places):
    from workshop_kit.locations import CURRENT_POINTER, set_current

    path = _session_with_exports(places)
    set_current(path)
    assert main(["purge", str(path), "--yes"]) == 0
    assert not (places / "sessions" / CURRENT_POINTER).exists()


def test_results_widget_saves_into_the_folder_purge_deletes(places):
    from workshop_kit.widgets.results import CoupleChartsWidget, exports_dir

    path = _session_with_exports(places, "charts.sqlite")
    with Session.open(path) as s:
        widget = CoupleChartsWidget(s)
        assert widget.out_dir == session_exports_dir(path)
        assert widget.out_dir.parent == exports_dir()
