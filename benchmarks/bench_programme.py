"""Programme scale: the before/after outcome report of 10, 100 and 1,000 pooled sessions.

Each synthetic session has 40 couples who answered every check-in item before and after
(about 5,500 answers; 1,000 sessions make about 5.5 million). The session files are
written directly (a template store made by the kit, copied, its answers inserted with
``executemany``), so making them takes seconds, not the hours real check-ins would.

Each size runs in its own Python process, through the kit's own path for many session
files (:func:`workshop_kit.programme.programme_report`: read every file, pool, report).
Its time is measured inside that process (imports excluded, reported separately as the
process's wall time) and its peak memory from ``getrusage``: the main process
(``RUSAGE_SELF``) plus its reader processes (``RUSAGE_CHILDREN`` gives the largest one;
counted once per worker, an upper bound, as they run at the same time).

The floor, measured in the same run, is reading the same answer rows with bare
``sqlite3`` (one ``SELECT`` per file, rows fetched, nothing else) in one process.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

SIZES = (10, 100, 1000)
COUPLES = 40

CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
from workshop_kit.programme import programme_report, read_pooled_answers
imported = time.perf_counter()
paths = sys.argv[1:]
report = programme_report(paths)
done = time.perf_counter()
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"import": imported - start, "report": done - imported, "rows": len(report),
                  "self_mb": self_kb / 1024, "worker_mb": child_kb / 1024}))
"""

FLOOR = r"""
import sqlite3, sys, time
start = time.perf_counter()
n = 0
for path in sys.argv[1:]:
    conn = sqlite3.connect(path)
    n += len(conn.execute("SELECT couple_code, partner, phase, instrument, item_id, value"
                          " FROM answers").fetchall())
    conn.close()
print(time.perf_counter() - start, n)
"""


def _items(content) -> list[tuple[str, str, int, int, bool]]:
    out = []
    for inst in content.instruments:
        if inst.kind == "picture":
            out.append((inst.id, inst.id, inst.min, inst.max, False))
        else:
            out += [(inst.id, i.id, i.min, i.max, i.reversed) for i in inst.items]
    return out


def make_sessions(folder: Path, n: int, seed: int = 11) -> list[Path]:
    """``n`` session files of 40 couples with before and after answers, written directly."""
    from workshop_kit.session import Session

    template = folder / "template.sqlite"
    with Session.create(
        template, "Programme session", date="2026-11-21", couples=COUPLES, seed=seed
    ) as session:
        codes = session.couple_codes()
        items = _items(session.content)
    rng = np.random.default_rng(seed)
    lo = np.array([i[2] for i in items], float)
    hi = np.array([i[3] for i in items], float)
    rev = np.array([i[4] for i in items])
    people = [(c, p) for c in codes for p in "AB"]
    keys = [
        (c, p, ph, inst, item)
        for c, p in people
        for ph in ("before", "after")
        for inst, item, *_ in items
    ]
    paths = []
    for index in range(n):
        level = rng.normal(0.6, 0.15, (len(people), 1, 1)) + rng.normal(0, 0.05, (1, 1, len(items)))
        growth = np.stack([np.zeros((len(people), 1)), rng.normal(0.05, 0.06, (len(people), 1))], 1)
        share = np.clip(level + growth + rng.normal(0, 0.12, (len(people), 2, len(items))), 0, 1)
        values = np.rint(lo + share * (hi - lo))
        values = np.where(rev, lo + hi - values, values).ravel()
        skipped = rng.random(values.size) < 0.03
        rows = [
            (*key, None if skip else float(v), "paper", "2026-11-21T10:00:00+00:00")
            for key, v, skip in zip(keys, values, skipped)
        ]
        path = folder / f"session-{index:04d}.sqlite"
        shutil.copyfile(template, path)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'session_id'",
            (str(uuid.UUID(int=int(rng.integers(2**62)), version=4)),),
        )
        conn.executemany(
            "INSERT INTO answers (couple_code, partner, phase, instrument, item_id, value,"
            " source, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute("COMMIT")
        conn.close()
        paths.append(path)
    return paths


def _child(code: str, paths: list[Path]) -> tuple[str, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, paths)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return done.stdout.strip(), wall


def run() -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="bench-programme-"))
    rows: list[dict] = []
    try:
        start = time.perf_counter()
        paths = make_sessions(folder, max(SIZES))
        made = time.perf_counter() - start
        answers = (
            sum(
                sqlite3.connect(p).execute("SELECT COUNT(*) FROM answers").fetchone()[0]
                for p in paths[:10]
            )
            / 10
            * max(SIZES)
        )
        rows.append(
            {
                "name": f"programme: writing {max(SIZES)} synthetic sessions (set-up)",
                "value": made,
                "unit": "s",
            }
        )
        for size in SIZES:
            out, wall = _child(CHILD, paths[:size])
            got = json.loads(out)
            floor_out, _ = _child(FLOOR, paths[:size])
            floor = float(floor_out.split()[0])
            n_answers = int(floor_out.split()[1])
            label = f"programme {size} sessions ({n_answers / 1e6:.2f} M answers)"
            workers = 2 if size >= 100 else 0
            rows += [
                {
                    "name": f"{label}: read + report",
                    "value": got["report"],
                    "unit": "s",
                    "floor": floor,
                    "ratio": got["report"] / floor,
                },
                {
                    "name": f"{label}: per session",
                    "value": got["report"] / size * 1000,
                    "unit": "ms",
                    "floor": floor / size * 1000,
                    "ratio": got["report"] / floor,
                },
                {"name": f"{label}: process wall (with imports)", "value": wall, "unit": "s"},
                {
                    "name": f"{label}: peak memory",
                    "unit": "MB",
                    "value": got["self_mb"] + workers * got["worker_mb"],
                },
            ]
        del answers
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows
