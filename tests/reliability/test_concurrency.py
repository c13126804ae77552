"""Concurrency: entry, the dashboard and the CLI on one store at once; 4 writers, 10,000 answers."""

from __future__ import annotations

import sqlite3
import textwrap

import pytest

from workshop_kit.session import Session

from .helpers import child_env, integrity_ok, start_python

WRITERS = 4
ANSWERS_EACH = 2_500

WRITER = textwrap.dedent(
    """
    import sys
    from workshop_kit.session import Session
    path, first, count, how_many = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    session = Session.open(path)
    codes = session.couple_codes()[first:first + count]
    items = [i.id for i in session.content.instrument("checkin").items]
    keys = [(c, p, ph, i) for c in codes for p in "AB" for ph in ("before", "after") for i in items]
    for n, (code, partner, phase, item) in enumerate(keys[:how_many]):
        session.record_answer(code, partner, phase, "checkin", item, 1 + n % 5)
    print(how_many, flush=True)
    """
)

DASHBOARD = textwrap.dedent(
    """
    import sys, time
    from workshop_kit.results import checkin_results, room_change, room_theme_means
    from workshop_kit.session import Session
    session = Session.open(sys.argv[1])
    reads = 0
    deadline = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        results = checkin_results(session)
        room_theme_means(results, session.k)
        room_change(results, session.k)
        reads += 1
    print(reads, flush=True)
    """
)


@pytest.mark.slow
def test_four_writers_a_dashboard_and_the_cli_share_one_store(tmp_path, ledger):
    path = tmp_path / "busy.sqlite"
    per_writer_couples = 21  # 21 couples x 120 keys = 2,520 >= 2,500 distinct answers
    with Session.create(path, title="Busy", couples=WRITERS * per_writer_couples, seed=2) as s:
        assert len(s.content.instrument("checkin").items) * 4 * per_writer_couples >= ANSWERS_EACH
    writers = [
        start_python(WRITER, path, i * per_writer_couples, per_writer_couples, ANSWERS_EACH)
        for i in range(WRITERS)
    ]
    dashboard = start_python(DASHBOARD, path, 8)
    import subprocess
    import sys

    cli_runs = []
    for args in (
        ["summary", path, "--json"],
        ["export", path, "--out", tmp_path / "export-1", "--data-only"],
        ["summary", path],
        ["export", path, "--out", tmp_path / "export-2", "--data-only"],
    ):
        cli_runs.append(
            subprocess.run(
                [sys.executable, "-m", "workshop_kit.cli", *map(str, args)],
                capture_output=True,
                text=True,
                env=child_env(),
                timeout=300,
            )
        )
    outputs = [(p, *p.communicate(timeout=300)) for p in [*writers, dashboard]]
    for proc, _out, err in outputs:
        assert proc.returncode == 0, err
        assert "locked" not in err.lower()
    for run in cli_runs:
        assert run.returncode == 0, run.stderr
        assert "locked" not in (run.stderr + run.stdout).lower()
    dashboard_reads = int(outputs[-1][1])
    assert dashboard_reads > 0

    assert integrity_ok(path)
    conn = sqlite3.connect(path)
    total = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    distinct = conn.execute(
        "SELECT COUNT(*) FROM (SELECT DISTINCT couple_code, partner, phase, item_id FROM answers)"
    ).fetchone()[0]
    conn.close()
    assert total == distinct == WRITERS * ANSWERS_EACH
    with Session.open(path) as session:
        assert len(session.answers()) == WRITERS * ANSWERS_EACH
    ledger.add("Concurrency", "writer processes at once", WRITERS)
    ledger.add("Concurrency", "answers written concurrently, every one found", total)
    ledger.add("Concurrency", "CLI summary/export runs during the writes", len(cli_runs))
    ledger.add("Concurrency", "dashboard reader processes during the writes")
