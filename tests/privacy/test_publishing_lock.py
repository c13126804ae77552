"""Publishing holds the session file's write lock from reading a ledger to saving it.

Two processes (the dashboard's kernel and the results page's) each read the release
ledger, decide what may be shown and write it back. Without one lock across the three
steps, the last write erases the other's record (found by a second read of the code).
"""

from __future__ import annotations

import threading

import pytest

from workshop_kit import disclosure
from workshop_kit.errors import StoreBusy
from workshop_kit.session import Session
from workshop_kit.store import click_wait


def test_a_second_connection_cannot_write_while_one_is_publishing(tmp_path):
    path = tmp_path / "s.sqlite"
    Session.create(path, "Lock", couples=3).close()
    first, second = Session.open(path), Session.open(path)  # two kernels
    try:
        with disclosure.publishing(first.store):
            first.store.set_meta("x", "1")  # nested: part of the publishing transaction
            with click_wait(100), pytest.raises(StoreBusy):
                second.store.set_meta("y", "2")
        second.store.set_meta("y", "2")  # free again once published
        assert first.store.meta()["x"] == "1" and first.store.meta()["y"] == "2"
    finally:
        first.close()
        second.close()


def test_a_publisher_waits_and_then_sees_the_other_ones_record(tmp_path):
    path = tmp_path / "s.sqlite"
    Session.create(path, "Lock", couples=3).close()
    first, second = Session.open(path), Session.open(path)
    inside, release, seen = threading.Event(), threading.Event(), []

    def dashboard():
        with disclosure.publishing(first.store):
            ledger = disclosure.load_ledger(first.store, "view", 3)
            ledger.record("q", {"A1": "h1", "A2": "h2", "A3": "h3"}, {"n": 3})
            disclosure.save_ledger(first.store, "view", ledger)
            inside.set()
            release.wait(5)

    def report():
        inside.wait(5)
        with disclosure.publishing(second.store):  # waits for the dashboard's commit
            seen.append(disclosure.load_ledger(second.store, "view", 3).history.get("q"))

    threads = [threading.Thread(target=dashboard), threading.Thread(target=report)]
    try:
        for thread in threads:
            thread.start()
        inside.wait(5)
        release.set()
        for thread in threads:
            thread.join(10)
        assert seen and seen[0], "the second publisher read a ledger without the first's record"
    finally:
        first.close()
        second.close()


def test_a_failed_publication_rolls_back_the_ledger(tmp_path):
    path = tmp_path / "s.sqlite"
    session = Session.create(path, "Lock", couples=3)
    try:
        with pytest.raises(RuntimeError), disclosure.publishing(session.store):
            ledger = disclosure.load_ledger(session.store, "view", 3)
            ledger.record("q", {"A1": "h1", "A2": "h2", "A3": "h3"}, {"n": 3})
            disclosure.save_ledger(session.store, "view", ledger)
            raise RuntimeError("drawing failed")
        assert not disclosure.load_ledger(session.store, "view", 3).history.get("q")
    finally:
        session.close()
