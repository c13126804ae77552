"""Every failed save is said on the page within 2 s, in plain words, and can be tried again.

Each fault (file busy, disk full, read-only location, file gone) is met by a click on a
check-in answer made on another thread (as JupyterLab runs it); the test reads the
message on the page, checks nothing was saved, clears the fault and saves with Next.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path

import ipywidgets as w
import pytest

from workshop_kit.errors import StoreBusy, StoreError, StoreFull, StoreGone, StoreReadOnly
from workshop_kit.session import Answer, Session
from workshop_kit.store import Store, explain
from workshop_kit.widgets import common
from workshop_kit.widgets.checkin import CheckinWidget

WIDGETS = Path(__file__).resolve().parents[1] / "workshop_kit" / "widgets"


def on_thread(fn) -> float:
    """Run ``fn`` on another thread (a kernel subshell); return the seconds it took."""
    errors: list[BaseException] = []

    def run():
        try:
            fn()
        except BaseException as exc:
            errors.append(exc)

    started = time.monotonic()
    t = threading.Thread(target=run)
    t.start()
    t.join(30)
    assert not t.is_alive(), "the click hung"
    if errors:
        raise errors[0]
    return time.monotonic() - started


@pytest.fixture
def widget(session) -> CheckinWidget:
    """A check-in at its first question for couple 1, partner A."""
    widget = CheckinWidget(session, "before")
    widget.start(session.couple_codes()[0], "A", secret="tulip")
    assert widget.index == 0
    return widget


def mine(session: Session) -> list[float]:
    code = session.couple_codes()[0]
    saved = session.answers()
    return saved[(saved.couple_code == code) & (saved.partner == "A")]["value"].tolist()


def page_text(widget: CheckinWidget) -> str:
    return re.sub(r"<[^>]+>", "", widget.help.value)


def click_fails_then_next_saves(session, widget, clear, words: str) -> str:
    """Click 4 under the fault: message within 2 s, nothing saved; clear it; Next saves."""
    seconds = on_thread(lambda: widget.choice.choose(4))
    message = page_text(widget)
    assert seconds < 2.0, f"the click took {seconds:.1f} s to answer"
    assert "wk-error" in widget.help.value
    assert words in message
    assert "damaged" not in message
    assert widget.index == 0  # still on the question: the person sees it was not saved
    assert mine(session) == []  # nothing half-saved
    clear()
    on_thread(widget.next_button.click)  # Next is the save of the answer clicked
    assert mine(session) == [4.0]
    assert widget.index == 1
    assert "wk-error" not in widget.help.value
    return message


def test_busy_file_is_said_within_two_seconds_and_next_saves(session, widget):
    other = sqlite3.connect(session.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        message = click_fails_then_next_saves(
            session, widget, lambda: other.execute("ROLLBACK"), "busy"
        )
    finally:
        other.close()
    assert message.startswith("The session file is busy")
    assert "try again" in message


def fill_up(session: Session) -> None:
    """Let the file grow no more, then add answers of another couple until it is full."""
    conn = session.store.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    other = session.couple_codes()[1]
    with pytest.raises(StoreFull):
        for _ in range(5000):
            session.record_answer(other, "B", "before", "checkin", "qt1", 3)


def test_full_disk_is_said_and_next_saves_once_there_is_room(session, widget):
    fill_up(session)
    before = len(session.answers_since(0))
    batch = [Answer(session.couple_codes()[2], "A", "before", "checkin", "qt1", 2)] * 5
    with pytest.raises(StoreFull):
        session.record_answers(batch)  # a batch is all or nothing
    assert len(session.answers_since(0)) == before
    message = click_fails_then_next_saves(
        session,
        widget,
        lambda: session.store.conn.execute("PRAGMA max_page_count = 1000000"),
        "disk is full",
    )
    assert "free some space" in message


def test_read_only_location_says_copy_it_onto_the_laptop(session, widget):
    store = session.store
    writable = store.raw_connection
    # a read-only stick or folder: tests may run as root, where chmod does not bite, so
    # the store's connection is swapped for one SQLite opens read-only
    store.raw_connection = sqlite3.connect(
        f"file:{session.path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
    )
    store._busy_ms = None

    def clear():
        store.raw_connection.close()
        store.raw_connection = writable
        store._busy_ms = None

    message = click_fails_then_next_saves(session, widget, clear, "read")
    assert "copy it onto the laptop" in message


def test_moved_file_is_said_and_next_saves_once_it_is_back(session, widget, tmp_path):
    moved = tmp_path / "elsewhere.sqlite"
    session.path.rename(moved)

    def put_back():
        moved.rename(session.path)

    message = click_fails_then_next_saves(session, widget, put_back, "moved, renamed or deleted")
    assert str(session.path) in message
    # the answer went nowhere while the file was away
    assert sqlite3.connect(session.path).execute("SELECT COUNT(*) FROM answers").fetchone() == (1,)


def test_deleted_file_is_said_and_nothing_is_written_into_the_void(session, widget):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{session.path}{suffix}").unlink(missing_ok=True)
    on_thread(lambda: widget.choice.choose(4))
    assert "moved, renamed or deleted" in page_text(widget)
    assert widget.index == 0
    with pytest.raises(StoreGone):
        session.put_entry("note", "k", 1)


def test_skip_and_other_buttons_show_a_failed_save_too(session, widget):
    other = sqlite3.connect(session.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        seconds = on_thread(widget.skip_button.click)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert seconds < 2.0
    assert "busy" in page_text(widget)
    assert widget.index == 0 and mine(session) == []


def test_an_unexpected_error_in_a_callback_is_shown_and_logged_not_lost(caplog):
    class View:
        def __init__(self):
            self.message = common.text("")
            self.button = common.button("Go")
            common.on_click(self.button, self.go, self)

        def go(self):
            raise KeyError("surprise")

    view = View()
    view.button.click()  # does not raise
    assert "Something went wrong here" in view.message.value
    assert "wk-error" in view.message.value
    assert any("surprise" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (sqlite3.OperationalError("database is locked"), StoreBusy, "busy"),
        (sqlite3.OperationalError("database or disk is full"), StoreFull, "disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), StoreReadOnly, "read"),
        (OSError(28, "No space left on device"), StoreFull, "disk is full"),
        (OSError(30, "Read-only file system"), StoreReadOnly, "copy it onto the laptop"),
    ],
)
def test_sqlite_and_os_errors_become_the_kits_own(tmp_path, error, kind, words):
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"")
    found = explain(error, path)
    assert isinstance(found, kind) and isinstance(found, StoreError)
    assert words in str(found)
    assert words in common.plain_words(error)


def test_a_read_only_folder_is_never_called_damaged(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root may write anywhere: the swapped connection test covers this")
    folder = tmp_path / "stick"
    folder.mkdir()
    path = folder / "s.sqlite"
    Session.create(path, "T", couples=1).close()
    for p in folder.iterdir():
        if p != path:
            p.unlink()
    path.chmod(0o400)
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError) as caught:
            Store.open(path).close()
        assert "damaged" not in str(caught.value)
        assert "copy it onto the laptop" in str(caught.value)
    finally:
        folder.chmod(0o700)
        path.chmod(0o600)


def test_every_widget_callback_goes_through_the_guard():
    """No widget registers a callback itself: each goes through common.on_click/on_change,
    which shows any error on the page (a bare one would only reach the kernel log)."""
    bare = []
    for path in sorted(WIDGETS.glob("*.py")):
        if path.name == "common.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#")[0]
            if re.search(r"\.(on_click|observe|on_submit|on_msg)\(", code) and not re.search(
                r"common\.(on_click|on_change)\(", code
            ):
                bare.append(f"{path.name}:{number}: {line.strip()}")
    assert bare == []


def test_the_guard_waits_briefly_for_a_busy_file(session):
    seen = []

    class View:
        message = w.HTML("")

    def save():
        seen.append(session.store.conn.execute("PRAGMA busy_timeout").fetchone()[0])

    common.guarded(save, View())()
    assert seen == [1500]
    assert session.store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000


def test_an_unexpected_error_is_told_in_the_views_language():
    class View:
        message = w.HTML("")
        language = "es"

    def save():
        raise KeyError("x")

    common.guarded(save, View)()
    spanish = common.plain_words(KeyError("x"), "es")
    assert not spanish.startswith("Something went wrong")  # the catalogue has Spanish words
    assert spanish.split(" (")[0] in View.message.value
