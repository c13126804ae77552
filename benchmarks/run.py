"""Run every ``benchmarks/bench_*.py`` and print one table (``make bench``).

A benchmark module exposes ``run() -> list[dict]``; each row has ``name``, ``value``,
``unit`` and, where a floor was measured in the same run, ``floor`` and ``ratio``
(value / floor). Benchmarks measure and report; they assert nothing about speed.

Usage: ``python benchmarks/run.py [NAME ...]`` runs only modules whose name contains NAME.
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ("name", "value", "unit", "floor", "ratio")


def modules(selected: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    return [p for p in found if not selected or any(s in p.stem for s in selected)]


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(rows: list[dict]) -> str:
    body = [[cell(row.get(c)) for c in COLUMNS] for row in rows]
    widths = [
        max(len(c), *(len(r[i]) for r in body)) if body else len(c) for i, c in enumerate(COLUMNS)
    ]
    line = "  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    for r in body:
        out.append(
            "  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths)))
        )
    return "\n".join(out)


def main(argv: list[str]) -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.path.insert(0, str(HERE.parent))
    rows: list[dict] = []
    for path in modules(argv):
        print(f"running {path.stem} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        rows.extend(load(path).run())
        print(f"  {path.stem} took {time.perf_counter() - start:.1f} s", file=sys.stderr)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"cores available: {cores}   load average (other work on the machine): {load_avg}")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
