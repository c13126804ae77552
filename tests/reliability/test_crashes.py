"""Crashes: SIGKILL a real process in the middle of answers, an import and an export."""

from __future__ import annotations

import signal
import sqlite3
import textwrap
import time

import pandas as pd
import pytest

from workshop_kit.importers import import_file
from workshop_kit.session import Session

from .helpers import integrity_ok, start_python

ANSWER_STREAM = textwrap.dedent(
    """
    import sys
    from workshop_kit.session import Session
    session = Session.open(sys.argv[1])
    items = [i.id for i in session.content.instrument("checkin").items]
    n = 0
    for phase in ("before", "after"):
        for code in session.couple_codes():
            for partner in ("A", "B"):
                for item in items:
                    value = 1 + (n * 7) % 5
                    session.record_answer(code, partner, phase, "checkin", item, value)
                    print(code, partner, phase, item, value, flush=True)
                    n += 1
    """
)


def _kill_after(proc, confirmed_wanted: int) -> list[tuple]:
    confirmed = []
    for line in proc.stdout:
        code, partner, phase, item, value = line.split()
        confirmed.append((code, partner, phase, item, float(value)))
        if len(confirmed) >= confirmed_wanted:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return confirmed


@pytest.mark.parametrize("kill_after", [40, 130, 260])
def test_sigkill_in_an_answer_stream_loses_no_confirmed_answer(tmp_path, ledger, kill_after):
    path = tmp_path / "s.sqlite"
    Session.create(path, title="Crash", couples=4, seed=11).close()
    proc = start_python(ANSWER_STREAM, path)
    confirmed = _kill_after(proc, kill_after)
    assert proc.returncode == -signal.SIGKILL
    assert len(confirmed) == kill_after
    assert integrity_ok(path)
    with Session.open(path) as session:
        stored = session.answers().set_index(["couple_code", "partner", "phase", "item_id"])
        for code, partner, phase, item, value in confirmed:
            assert stored.loc[(code, partner, phase, item), "value"] == value
        # nothing beyond the one answer that may have been in flight
        assert len(stored) in (kill_after, kill_after + 1)
    ledger.add("Crashes", "answer streams killed with SIGKILL")
    ledger.add("Crashes", "confirmed answers checked after a kill", kill_after)


IMPORT_SCRIPT = textwrap.dedent(
    """
    import sys
    from workshop_kit.importers import import_file
    from workshop_kit.session import Session
    session = Session.open(sys.argv[1])
    original = session.record_import
    def announced(*args, **kwargs):
        print("writing", flush=True)
        return original(*args, **kwargs)
    session.record_import = announced
    print("start", flush=True)
    print(import_file(session, sys.argv[2]), flush=True)
    print("done", flush=True)
    """
)


def _wide_csv(session: Session, path) -> int:
    items = [i.id for i in session.content.instrument("checkin").items]
    lines = ["couple_code,partner,phase," + ",".join(items)]
    for n, code in enumerate(session.couple_codes()):
        for partner in "AB":
            for phase in ("before", "after"):
                values = ",".join(str(1 + (n + j) % 5) for j in range(len(items)))
                lines.append(f"{code},{partner},{phase},{values}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return (len(lines) - 1) * len(items)


@pytest.mark.slow
def test_sigkill_during_an_import_lands_whole_or_not_at_all(tmp_path, ledger):
    path = tmp_path / "s.sqlite"
    csv_path = tmp_path / "forms.csv"
    with Session.create(path, title="Crash import", couples=120, seed=5) as session:
        expected = _wide_csv(session, csv_path)
    # kill while planning, the moment the write starts, and a moment into the write
    for when, delay in (("start", 0.4), ("writing", 0.0), ("writing", 0.02)):
        proc = start_python(IMPORT_SCRIPT, path, csv_path)
        for line in proc.stdout:
            if line.strip() == when:
                break
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert integrity_ok(path)
        conn = sqlite3.connect(path)
        answers = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        imports = conn.execute("SELECT COUNT(*) FROM imports").fetchone()[0]
        conn.close()
        assert (answers, imports) in ((0, 0), (expected, 1))
        ledger.add("Crashes", "imports killed with SIGKILL (landed whole or not at all)")
    with Session.open(path) as session:
        report = import_file(session, csv_path)  # running it again finishes the job
        assert len(session.answers()) == expected
        assert report.already_imported or report.answers == expected
    ledger.add("Crashes", "answers checked after killed imports", expected)


EXPORT_SCRIPT = textwrap.dedent(
    """
    import sys
    from workshop_kit.export.data import export_data
    from workshop_kit.session import Session
    session = Session.open(sys.argv[1])
    print("start", flush=True)
    for _ in range(50):
        export_data(session, sys.argv[2])
        print("exported", flush=True)
    """
)


@pytest.mark.slow
def test_sigkill_during_an_export_can_simply_be_run_again(tmp_path, ledger, demo_session):
    out = tmp_path / "export"
    before = len(demo_session.answers())
    for delay in (0.05, 0.3):
        proc = start_python(EXPORT_SCRIPT, demo_session.path, out)
        assert proc.stdout.readline().strip() == "start"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert integrity_ok(demo_session.path)
        ledger.add("Crashes", "data exports killed with SIGKILL")
    from workshop_kit.export.data import export_data

    written = export_data(demo_session, out)  # simply run it again
    answers = pd.read_csv(out / "answers.csv")
    assert len(answers) == before
    for path in written:
        assert path.stat().st_size > 0
    pd.read_excel(next(p for p in written if p.suffix == ".xlsx"), sheet_name=None)
    ledger.add("Crashes", "exports run again after a kill and read back whole")


@pytest.mark.slow
def test_sigkill_during_a_pack_export_can_simply_be_run_again(tmp_path, ledger):
    import subprocess
    import sys

    from pypdf import PdfReader

    from workshop_kit.demo import build_demo

    from .helpers import child_env, run_cli

    store = tmp_path / "small.sqlite"
    build_demo(store, couples=3, seed=3).close()
    out = tmp_path / "packs"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workshop_kit.cli",
            "export",
            str(store),
            "--out",
            str(out),
            "--workers",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.glob("*/*.pdf")):
        time.sleep(0.1)  # kill once the first pack is on disk and the next is being drawn
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert integrity_ok(store)
    ledger.add("Crashes", "pack exports killed with SIGKILL")
    run = run_cli("export", store, "--out", out, "--workers", "1", timeout=300)
    assert run.returncode == 0, run.stderr
    pdfs = sorted(out.glob("*/*-take-home.pdf"))
    assert len(pdfs) == 3
    for pdf in pdfs:
        assert len(PdfReader(pdf).pages) >= 3
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") and not p.name.startswith(".")]
    ledger.add("Crashes", "pack exports run again after a kill and read back whole")
