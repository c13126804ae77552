"""Live room update: from an answer committed by another connection to the dashboard redrawn.

A 40-couple demo session; a second connection to the same file (as a second notebook or
the paper-entry view would be) commits one answer at a time, and the dashboard's own
refresh path (:meth:`workshop_kit.widgets.dashboard.RoomDashboard.refresh`) notices it
and redraws its PNG. The time runs from just after the commit to the new PNG being set
on the widget. The dashboard's poll interval comes on top of this in the room (it checks
the store every ``POLL_SECONDS``); it is reported as its own row, with the cost of a poll
that finds nothing new (what the kernel pays every ``POLL_SECONDS`` while the room is quiet).

The floor, measured in the same run, is a bare matplotlib redraw of the same chart: the
same bars, labels and texts drawn with plain matplotlib calls on a new figure, laid out
and saved as a PNG of the same size, with the room's figures already computed.

For comparison the path the dashboard took before this benchmark existed is timed too:
every check-in result computed (:func:`workshop_kit.results.checkin_results`) and the
whole figure built and saved again on each update.
"""

from __future__ import annotations

import io
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

COUPLES = 40
UPDATES = 50
OLD_PATH_UPDATES = 5
IDLE_POLLS = 500


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def _bare_redraw(received, means, names: dict[str, str]) -> bytes:
    """The same chart with plain matplotlib: no kit code, figures already computed."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12.8, 9.6), dpi=80)
    grid = fig.add_gridspec(2, 1, height_ratios=[1, 6])
    top = fig.add_subplot(grid[0])
    y = np.arange(len(received))
    top.barh(y, received["participants"], height=0.6, color="#dddddd")
    top.barh(y, received["received"], height=0.6, color="#0072b2")
    for yi, (got, total) in enumerate(zip(received["received"], received["participants"])):
        top.text(total * 1.02, yi, f"{got} of {total}", va="center", fontsize=20)
    top.set_yticks(y, list(received["phase"]), fontsize=20)
    top.set_title("Check-ins received", loc="left", fontsize=26)
    ax = fig.add_subplot(grid[1])
    order = list(names)[::-1]
    y = np.arange(len(order))
    for i, phase in enumerate(("before", "after")):
        table = means[means["phase"] == phase].set_index("subscale").reindex(order)
        ax.barh(y - 0.2 * (2 * i - 1), table["mean"] - 1, left=1, height=0.4, label=phase)
        for yi, mean in zip(y, table["mean"]):
            ax.text(5.08 + 0.6 * i, yi, f"{mean:.1f}", va="center", fontsize=16)
    ax.set_yticks(y, [names[s] for s in order], fontsize=20)
    ax.set_xlim(1, 6.25)
    ax.set_xlabel("Room average (1 = not true for us, 5 = very true for us)", fontsize=20)
    ax.set_title("The room so far, theme by theme", loc="left", fontsize=26)
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.1), ncol=2, fontsize=18)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def _old_path(session) -> bytes:
    """What a refresh did before: every result computed, a new figure built and saved."""
    from workshop_kit.charts.live import dashboard_figure
    from workshop_kit.results import checkin_results, checkins_received, room_theme_means
    from workshop_kit.widgets.dashboard import theme_names

    means = room_theme_means(checkin_results(session), session.k)
    fig = dashboard_figure(checkins_received(session), means, theme_names(session), session.k)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def run() -> list[dict]:
    from workshop_kit.demo import build_demo
    from workshop_kit.results import checkins_received, session_theme_means
    from workshop_kit.session import Session
    from workshop_kit.widgets.dashboard import POLL_SECONDS, RoomDashboard, theme_names

    folder = Path(tempfile.mkdtemp(prefix="bench-live-"))
    try:
        build_demo(folder / "room.sqlite", couples=COUPLES, seed=7).close()
        writer = Session.open(folder / "room.sqlite")  # the entry notebook's connection
        viewer = Session.open(folder / "room.sqlite")  # the projector notebook's
        board = RoomDashboard(viewer)
        codes = writer.couple_codes()
        items = [item.id for item in writer.content.instrument("checkin").items]
        rng = np.random.default_rng(7)

        def commit(i: int) -> None:
            code, partner = codes[i % COUPLES], "AB"[(i // COUPLES) % 2]
            writer.record_answer(
                code, partner, "after", "checkin", items[i % len(items)], int(rng.integers(1, 6))
            )

        commit(0)
        board.refresh()  # warm: imports, fonts, the first full drawing
        live, cpu, fast_before = [], [], board.painter.fast_draws
        for i in range(1, UPDATES + 1):
            commit(i)
            start, start_cpu = time.perf_counter(), time.process_time()
            redrew = board.refresh()
            live.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            if not redrew:
                raise RuntimeError("the dashboard missed a committed answer")
        fast = board.painter.fast_draws - fast_before

        idle = []
        for _ in range(IDLE_POLLS):
            start = time.perf_counter()
            redrew = board.refresh()
            idle.append(time.perf_counter() - start)
            if redrew:
                raise RuntimeError("the dashboard redrew with nothing new in the store")

        names = theme_names(viewer)
        floor = []
        for _ in range(UPDATES // 2):
            received, means = checkins_received(viewer), session_theme_means(viewer)
            start = time.perf_counter()
            _bare_redraw(received, means, names)
            floor.append(time.perf_counter() - start)

        old = []
        for i in range(OLD_PATH_UPDATES):
            commit(UPDATES + 1 + i)
            start = time.perf_counter()
            _old_path(viewer)
            old.append(time.perf_counter() - start)
        board.stop()
        writer.close()
        viewer.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    floor_p50 = statistics.median(floor)
    floor_p95 = _percentile(floor, 95)
    ms = 1000.0
    return [
        {
            "name": f"live update p50 ({COUPLES} couples, {fast}/{UPDATES} fast redraws)",
            "value": statistics.median(live) * ms,
            "unit": "ms",
            "floor": floor_p50 * ms,
            "ratio": statistics.median(live) / floor_p50,
        },
        {
            "name": "live update p95",
            "value": _percentile(live, 95) * ms,
            "unit": "ms",
            "floor": floor_p95 * ms,
            "ratio": _percentile(live, 95) / floor_p95,
        },
        {
            # CPU time of the same refreshes: on a loaded machine the wall time above
            # also holds the time spent waiting for a core.
            "name": "live update CPU time p50",
            "value": statistics.median(cpu) * ms,
            "unit": "ms",
        },
        {
            "name": "live update CPU time p95",
            "value": _percentile(cpu, 95) * ms,
            "unit": "ms",
        },
        {
            "name": "live update p50, old path (all results, new figure)",
            "value": statistics.median(old) * ms,
            "unit": "ms",
            "floor": floor_p50 * ms,
            "ratio": statistics.median(old) / floor_p50,
        },
        {
            "name": "dashboard poll interval (added wait, at most)",
            "value": POLL_SECONDS * ms,
            "unit": "ms",
        },
        {
            "name": f"idle poll, nothing new, p50 ({IDLE_POLLS} polls)",
            "value": statistics.median(idle) * ms,
            "unit": "ms",
        },
        {
            "name": "idle poll, nothing new, p95",
            "value": _percentile(idle, 95) * ms,
            "unit": "ms",
        },
    ]
