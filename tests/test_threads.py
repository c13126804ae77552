"""The store and the widgets work from any thread (JupyterLab runs comm callbacks on
kernel subshell threads; a phone server writes from its own threads)."""

from __future__ import annotations

import threading
import time

import pytest

from workshop_kit.errors import StoreBusy
from workshop_kit.session import Session
from workshop_kit.store import click_wait
from workshop_kit.widgets.checkin import CheckinWidget


def run_in_threads(targets, timeout=60):
    """Run each callable on its own thread, started together; re-raise the first error."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def wrap(fn):
        def run():
            try:
                barrier.wait()
                fn()
            except BaseException as exc:
                errors.append(exc)

        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a thread hung"
    if errors:
        raise errors[0]


def test_an_answer_recorded_on_another_thread_is_stored(session):
    code = session.couple_codes()[0]
    run_in_threads([lambda: session.record_answer(code, "A", "before", "checkin", "qt1", 4)])
    assert session.answers()["value"].tolist() == [4.0]


def test_many_threads_writing_and_reading_at_once_lose_nothing(session):
    codes = session.couple_codes()
    items = [i.id for i in session.content.instrument("checkin").items][:10]
    reads = []

    def writer(code, partner):
        def run():
            for n, item in enumerate(items):
                session.record_answer(code, partner, "before", "checkin", item, 1 + n % 5)
                session.put_entry("note", item, {"n": n}, code, partner)

        return run

    def reader():
        for _ in range(20):
            reads.append(len(session.answers()))
            session.entries("note")

    targets = [writer(c, p) for c in codes for p in "AB"] + [reader, reader]
    run_in_threads(targets)
    answers = session.answers()
    assert len(answers) == len(codes) * 2 * len(items)
    assert len(session.entries("note")) == len(codes) * 2 * len(items)
    assert all(0 <= r <= len(answers) for r in reads)
    check = session.store.conn.execute("PRAGMA integrity_check").fetchone()
    assert check == ("ok",)


def test_transactions_on_two_threads_never_interleave(session):
    code = session.couple_codes()[0]
    inside = threading.Event()

    def slow_failing_batch():
        with pytest.raises(RuntimeError), session.store.transaction() as conn:
            conn.execute(
                "INSERT INTO entries (kind, couple_code, partner, key, value_json, source,"
                " created_at) VALUES ('x', ?, 'A', 'k', '1', 'widget', 't')",
                (code,),
            )
            inside.set()
            time.sleep(0.3)
            raise RuntimeError("this batch fails and rolls back")

    def other_write():
        inside.wait(5)
        session.put_entry("y", "k", 2, code, "B")  # must not land inside the batch

    run_in_threads([slow_failing_batch, other_write])
    assert session.entries("x") == []  # the failed batch left nothing
    assert [e.value for e in session.entries("y")] == [2]  # the other write was not lost


def test_a_click_waits_for_a_busy_thread_at_most_the_click_wait(session):
    code = session.couple_codes()[0]
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with session.store.transaction():
            holding.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    holding.wait(5)
    try:
        started = time.monotonic()
        with click_wait(300), pytest.raises(StoreBusy, match="busy"):
            session.record_answer(code, "A", "before", "checkin", "qt1", 3)
        assert time.monotonic() - started < 2
    finally:
        release.set()
        t.join(10)
    session.record_answer(code, "A", "before", "checkin", "qt1", 3)  # trying again works
    assert session.answers()["value"].tolist() == [3.0]


def start_on_main_click_on_thread(session: Session, code: str, partner: str, values):
    """Start in the main thread (a cell), click on another (a subshell), as JupyterLab does."""
    widget = CheckinWidget(session, "before")
    widget.code_picker.value = code
    widget.partner_picker.value = partner
    widget.start_button.click()  # first use: the partner chooses a secret

    def clicks():
        widget.gate.secret.value = widget.gate.repeat.value = "tulip"
        widget.gate.ok_button.click()
        for value in values:
            widget.choice.choose(value)

    return widget, clicks


def test_checkin_clicks_on_a_subshell_thread_are_saved(session):
    code = session.couple_codes()[0]
    widget, clicks = start_on_main_click_on_thread(session, code, "A", [4, 2, 5])
    run_in_threads([clicks])
    saved = session.answers()
    assert saved["value"].tolist() == [4.0, 2.0, 5.0]
    assert widget.index == 3
    assert "Not saved" not in widget.help.value


def test_checkin_clicks_on_many_threads_at_once_are_all_saved(session):
    codes = session.couple_codes()
    runs = [start_on_main_click_on_thread(session, c, p, [1, 2, 3, 4]) for c in codes for p in "AB"]
    run_in_threads([clicks for _w, clicks in runs])
    saved = session.answers()
    assert len(saved) == len(runs) * 4
    for widget, _clicks in runs:
        mine = saved[(saved.couple_code == widget.couple_code) & (saved.partner == widget.partner)]
        assert mine["value"].tolist() == [1.0, 2.0, 3.0, 4.0]
        assert widget.index == 4


def test_charts_drawn_on_many_threads_at_once_match_the_one_drawn_alone(demo_session):
    import io

    from workshop_kit.charts.style import drawing
    from workshop_kit.widgets.results import room_figure

    def png() -> bytes:
        fig = room_figure(demo_session, "checkin")
        buffer = io.BytesIO()
        with drawing():
            fig.savefig(buffer, format="png", dpi=40)
        return buffer.getvalue()

    alone = png()
    drawn: list[bytes] = []
    run_in_threads([lambda: drawn.append(png()) for _ in range(6)])
    assert len(drawn) == 6
    assert all(d == alone for d in drawn)
