"""Take-home packs for 40 couples: seconds per couple, and the ratio to a floor.

The floor, measured in the same run, is the same figures saved with plain matplotlib:
each couple's check-in charts (:func:`workshop_kit.export.charts.couple_checkin_figures`)
and the other modules' pages, each written as a PNG and all of them into one PDF, one
couple after another, with no pack layout (no cover, support page, page checks or
numbering). The packs are timed serially (one process, like the floor) and with the
worker processes :func:`workshop_kit.export.packs.choose_workers` picks.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

COUPLES = 40


def _floor(session, out: Path) -> float:
    from matplotlib.backends.backend_pdf import PdfPages

    from workshop_kit.charts.style import chart_style
    from workshop_kit.export.charts import couple_checkin_figures
    from workshop_kit.export.packs import PLUGIN_PAGES, PNG_DPI, _plugin_figures
    from workshop_kit.results import checkin_results

    start = time.perf_counter()
    results = checkin_results(session)
    for code in session.couple_codes():
        figures = list(couple_checkin_figures(session, code, results).items())
        for plugin in PLUGIN_PAGES:
            figures += [(plugin.stem, f) for f in _plugin_figures(plugin, session, code, "A4")]
        folder = out / code
        folder.mkdir(parents=True)
        with chart_style("print"):
            for stem, fig in figures:
                fig.savefig(folder / f"{stem}.png", dpi=PNG_DPI)
            with PdfPages(folder / "charts.pdf") as pdf:
                for _stem, fig in figures:
                    pdf.savefig(fig)
    return time.perf_counter() - start


def _packs(session, out: Path, workers: int | None) -> tuple[float, int]:
    from workshop_kit.export.packs import build_all_packs

    start = time.perf_counter()
    result = build_all_packs(session, out, paper="A4", workers=workers)
    return time.perf_counter() - start, result.workers


def run() -> list[dict]:
    from workshop_kit.demo import build_demo
    from workshop_kit.export.packs import build_pack, choose_workers

    folder = Path(tempfile.mkdtemp(prefix="bench-packs-"))
    try:
        session = build_demo(folder / "bench.sqlite", couples=COUPLES, seed=7)
        # imports and font caches, not timed
        build_pack(session, session.couple_codes()[0], folder / "warm")
        floor = _floor(session, folder / "floor")
        serial, _ = _packs(session, folder / "serial", workers=1)
        auto = choose_workers(COUPLES)
        parallel, used = _packs(session, folder / "parallel", workers=auto)
        session.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    n = COUPLES
    return [
        {
            "name": f"packs {n} couples, 1 process",
            "value": serial,
            "unit": "s",
            "floor": floor,
            "ratio": serial / floor,
        },
        {
            "name": f"packs {n} couples, {used} processes",
            "value": parallel,
            "unit": "s",
            "floor": floor,
            "ratio": parallel / floor,
        },
        {
            "name": "packs per couple, 1 process",
            "value": serial / n,
            "unit": "s/couple",
            "floor": floor / n,
            "ratio": serial / floor,
        },
        {
            "name": f"packs per couple, {used} processes",
            "value": parallel / n,
            "unit": "s/couple",
            "floor": floor / n,
            "ratio": parallel / floor,
        },
    ]
