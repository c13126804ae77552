"""``workshop-kit purge STORE [--yes]``: deletes a session and its exports, asking first."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys

import pytest

from workshop_kit.cli import main
from workshop_kit.export.folders import OWNER_FILE, claim_exports_folder
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
        folder = claim_exports_folder(s)
        assert folder == session_exports_dir(path)
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


def _copy_store(path, dest):
    """A byte copy of a closed session file, as a facilitator copies it to a USB stick."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(path.read_bytes())
    return dest


def test_purging_a_backup_copy_keeps_the_live_sessions_exports(places, capsys, ledger):
    live = _session_with_exports(places)
    usb = _copy_store(live, places / "usb" / "spring.sqlite")  # same name, same session id
    exports = session_exports_dir(live)
    before = tree_listing(exports)
    assert main(["purge", str(usb), "--yes"]) == 0
    assert not usb.exists()
    assert live.exists() and tree_listing(exports) == before
    out = capsys.readouterr().out
    assert f"Kept {exports}/" in out and str(live) in out
    ledger.case("Purge", "a backup copy: the live session's exports stay")


def test_purging_the_live_session_after_its_copy_still_deletes_its_exports(places):
    live = _session_with_exports(places)
    usb = _copy_store(live, places / "usb" / "spring.sqlite")
    assert main(["purge", str(usb), "--yes"]) == 0
    assert main(["purge", str(live), "--yes"]) == 0
    assert _gone(live)


def test_exports_of_a_moved_session_follow_it(places):
    """The owner file names a file that is gone: the same session id, moved, owns them."""
    old = _session_with_exports(places)
    moved = places / "sessions" / "renamed.sqlite"
    old.rename(moved)
    assert main(["purge", str(moved), "--yes"]) == 0
    assert not session_exports_dir(old).exists()


def test_a_folder_without_owner_file_is_kept_and_named(places, capsys):
    path = _session_with_exports(places)
    (session_exports_dir(path) / OWNER_FILE).unlink()
    assert main(["purge", str(path), "--yes"]) == 0
    assert session_exports_dir(path).is_dir()
    assert "does not say which session" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["..sqlite", "...sqlite", "....sqlite", ".sqlite"])
def test_dot_named_stores_never_reach_the_exports_root_or_above(places, name, ledger):
    """``..sqlite`` has the stem ``.`` and ``...sqlite`` the stem ``..``: neither may
    become the exports root or the folder above it."""
    other = _session_with_exports(places, "autumn.sqlite")
    (places / "exports" / "notes.txt").write_text("the facilitator's own file")
    (places / "keep.txt").write_text("beside the exports root")
    path = places / "sessions" / name
    with Session.create(path, "Dots", couples=2, seed=3) as s:
        folder = claim_exports_folder(s)
        assert folder.parent == places / "exports"
        assert folder.name not in (".", "..") and not folder.name.startswith(".")
        (folder / "chart.png").write_bytes(b"png")
    before_other = tree_listing(session_exports_dir(other))
    assert main(["purge", str(path), "--yes"]) == 0
    assert not path.exists() and not folder.exists()
    assert (places / "exports" / "notes.txt").exists() and (places / "keep.txt").exists()
    assert tree_listing(session_exports_dir(other)) == before_other
    ledger.case("Purge", f"a store named {name!r} deletes only its own exports")


def test_two_sessions_with_one_file_name_get_two_folders(places):
    first = _session_with_exports(places)
    elsewhere = places / "elsewhere" / "spring.sqlite"
    elsewhere.parent.mkdir()
    with Session.create(elsewhere, "Other spring", couples=1, seed=9) as s:
        folder = claim_exports_folder(s)
    assert folder != session_exports_dir(first) and folder.parent == places / "exports"
    assert main(["purge", str(elsewhere), "--yes"]) == 0
    assert not folder.exists() and session_exports_dir(first).is_dir()


def test_purge_refuses_a_session_open_in_another_process(places, capsys, ledger):
    path = _session_with_exports(places)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from workshop_kit.session import Session; "
            f"s = Session.open({str(path)!r}); s.answers(); print('open', flush=True); "
            "sys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        before = tree_listing(places)
        assert main(["purge", str(path), "--yes"]) == 2
        assert tree_listing(places) == before
        assert "open right now" in capsys.readouterr().err
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert main(["purge", str(path), "--yes"]) == 0  # closed: purge goes ahead
    assert _gone(path)
    ledger.case("Purge", "refused while another process has the session open")


def test_purge_refuses_a_session_open_in_this_process_unless_forced(places, capsys):
    path = _session_with_exports(places)
    with Session.open(path) as s:
        s.answers()
        assert main(["purge", str(path), "--yes"]) == 2
        assert path.exists()
        assert main(["purge", str(path), "--yes", "--force"]) == 0
        assert "WARNING" in capsys.readouterr().out
    assert _gone(path)


def test_left_over_wal_files_of_a_dead_process_do_not_block_purge(places):
    path = _session_with_exports(places)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from workshop_kit.session import Session; "
            f"s = Session.open({str(path)!r}); s.answers(); print('open', flush=True); "
            "time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    assert holder.stdout.readline().strip() == "open"
    holder.kill()
    holder.wait(timeout=60)
    assert path.with_name(path.name + "-shm").exists()
    assert main(["purge", str(path), "--yes"]) == 0
    assert _gone(path)
