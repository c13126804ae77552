"""Take-home packs for 40 couples (PDF + PNGs): Typst against the old matplotlib path.

Both are measured in the same run, on the same session and machine: the old path (every
page drawn by matplotlib, frozen in ``benchmarks/legacy_packs.py``) is the floor the ratio
is taken against, so ``ratio`` = Typst time / old time (the target is at most 0.35, and
at most 4 s for 40 couples on 2 processes on a quiet machine).

The old path runs first, on forked workers as it did; the Typst packs then run on the
kit's own ``forkserver`` workers (a process forked after a Typst compile would hang).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

COUPLES = 40
HERE = Path(__file__).resolve().parent


def run() -> list[dict]:
    sys.path.insert(0, str(HERE))
    import legacy_packs

    from workshop_kit.demo import build_demo
    from workshop_kit.export.packs import build_all_packs, build_pack, choose_workers

    folder = Path(tempfile.mkdtemp(prefix="bench-packs-"))
    rows = []
    try:
        session = build_demo(folder / "bench.sqlite", couples=COUPLES, seed=7)
        workers = choose_workers(COUPLES)
        code = session.couple_codes()[0]
        # imports and font caches, not timed (the old path first: no Typst in this
        # process before its workers are forked)
        legacy_packs.build_pack(session, code, folder / "warm-old")
        timings = {}
        for label, run_it in (
            ("old, 1 process", lambda: legacy_packs.build_all(session, folder / "o1", 1)),
            (
                f"old, {workers} processes",
                lambda: legacy_packs.build_all(session, folder / "o2", workers),
            ),
        ):
            start = time.perf_counter()
            run_it()
            timings[label] = time.perf_counter() - start
        build_pack(session, code, folder / "warm-new")
        for label, n in (("1 process", 1), (f"{workers} processes", workers)):
            start = time.perf_counter()
            build_all_packs(session, folder / f"n{n}", paper="A4", workers=n)
            timings[label] = time.perf_counter() - start
        session.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for label in ("1 process", f"{workers} processes"):
        old = timings[f"old, {label}"]
        new = timings[label]
        rows.append(
            {
                "name": f"packs {COUPLES} couples (Typst), {label}",
                "value": new,
                "unit": "s",
                "floor": old,
                "ratio": new / old,
            }
        )
        rows.append(
            {
                "name": f"packs per couple (Typst), {label}",
                "value": new / COUPLES,
                "unit": "s/couple",
                "floor": old / COUPLES,
                "ratio": new / old,
            }
        )
    return rows
