"""Start-up: ``import workshop_kit``, ``workshop-kit --help``, and kernel start to first widget.

Imports are timed as the wall time of a fresh ``python -c`` process (median of several),
against the floor of a fresh ``python -c pass``. The first widget is timed from asking
jupyter_client for a new kernel to the widget's ``display_data`` message arriving, while
the code cells of ``notebooks/10_checkin_before.ipynb`` run against a demo store; the
floor is the same kernel start answering ``1 + 1``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "10_checkin_before.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
RUNS = 5
KERNEL_RUNS = 3


def _wall(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _in_process_import() -> float:
    code = (
        "import time; t = time.perf_counter(); import workshop_kit; print(time.perf_counter() - t)"
    )
    out = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(RUNS)
    ]
    return statistics.median(out)


def _kernel_until(cells: list[str], done, env: dict[str, str]) -> float:
    """Seconds from asking for a kernel to ``done(message)`` being true for a message."""
    from jupyter_client.manager import KernelManager

    start = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env=env, cwd=str(NOTEBOOK.parent))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        for cell in cells:
            kc.execute(cell)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            message = kc.get_iopub_msg(timeout=60)
            if message["msg_type"] == "error":
                raise RuntimeError("\n".join(message["content"]["traceback"]))
            if done(message):
                return time.perf_counter() - start
        raise RuntimeError("no widget was shown within two minutes")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run() -> list[dict]:
    import nbformat

    from workshop_kit.demo import build_demo

    bare = _wall(["-c", "pass"])
    imported = _wall(["-c", "import workshop_kit"])
    helped = _wall(["-m", "workshop_kit.cli", "--help"])
    in_process = _in_process_import()

    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        store = folder / "sessions" / "demo.sqlite"
        store.parent.mkdir()
        build_demo(store, couples=40, seed=7).close()
        env = {
            **os.environ,
            "WORKSHOP_KIT_STORE": str(store),
            "WORKSHOP_KIT_SESSIONS": str(store.parent),
            "MPLBACKEND": "Agg",
        }
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        cells = [c.source for c in notebook.cells if c.cell_type == "code"][:1]

        def widget_shown(message) -> bool:
            return message["msg_type"] == "display_data" and WIDGET_MIME in message["content"].get(
                "data", {}
            )

        def answered(message) -> bool:
            return message["msg_type"] == "execute_result"

        first = [_kernel_until(cells, widget_shown, env) for _ in range(KERNEL_RUNS)]
        floor = [_kernel_until(["1 + 1"], answered, env) for _ in range(KERNEL_RUNS)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    widget, kernel = statistics.median(first), statistics.median(floor)
    return [
        {
            "name": "import workshop_kit (fresh process)",
            "value": imported,
            "unit": "s",
            "floor": bare,
            "ratio": imported / bare,
        },
        {
            "name": "import workshop_kit (the import alone)",
            "value": in_process * 1000,
            "unit": "ms",
        },
        {
            "name": "workshop-kit --help (fresh process)",
            "value": helped,
            "unit": "s",
            "floor": bare,
            "ratio": helped / bare,
        },
        {
            "name": "kernel start to first check-in widget",
            "value": widget,
            "unit": "s",
            "floor": kernel,
            "ratio": widget / kernel,
        },
    ]
