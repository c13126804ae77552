"""Present mode cleans up: reloaded and closed pages leave no kernels; signals stop it all.

Kernels are counted as the ``ipykernel`` processes whose parent is the Voilà process.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from workshop_kit.present import PresentServer

from .conftest import CHECKOUT, open_notebook

pytestmark = pytest.mark.browser
TOKEN_URL = re.compile(r"http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{48}")


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: split after it
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def _kernels(voila_pid: int) -> list[int]:
    kernels = []
    for pid in _children(voila_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in cmdline:
            kernels.append(pid)
    return kernels


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(check, timeout: float, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    return check()


@pytest.fixture
def short_cull_server(browser, e2e_dir, store_path):
    """A present server of its own whose idle kernels are culled after 4 s (checked every 2 s)."""
    env = {
        "WORKSHOP_KIT_SESSIONS": str(e2e_dir / "sessions"),
        "WORKSHOP_KIT_EXPORTS": str(e2e_dir / "exports"),
    }
    with PresentServer(
        store=store_path,
        env=env,
        log=e2e_dir / "voila-cull.log",
        cull_idle_timeout=4,
        cull_interval=2,
    ) as running:
        yield running


def test_six_reloads_leave_one_kernel(page, short_cull_server):
    server = short_cull_server
    voila = server.process.pid
    open_notebook(page, server, "10_checkin_before.ipynb")
    for _ in range(6):
        page.reload(wait_until="domcontentloaded")
        page.wait_for_selector(".wk-root", state="visible", timeout=90_000)
    # the page shuts its kernel down as it unloads (allowed now: it carries its _xsrf cookie)
    left = _wait_for(lambda: len(_kernels(voila)) <= 1, timeout=30)
    assert left, f"{len(_kernels(voila))} kernels still running after 6 reloads"
    assert len(_kernels(voila)) == 1  # the open page keeps its own
    page.goto("about:blank")  # the page closes: its kernel goes too
    assert _wait_for(lambda: not _kernels(voila), timeout=30), _kernels(voila)


def test_a_kernel_whose_page_never_connected_is_culled(short_cull_server):
    server = short_cull_server
    voila = server.process.pid
    before = set(_kernels(voila))
    # a page fetched but never shown (a crashed browser tab): Voilà starts its kernel
    with urllib.request.urlopen(server.url("34_rituals_plan.ipynb"), timeout=120) as reply:
        reply.read()
    started = set(_kernels(voila)) - before
    assert started, "the page started no kernel"
    # culled once idle for 4 s, at the next 2 s check
    assert _wait_for(lambda: not (set(_kernels(voila)) & started), timeout=40)


def _start_present(tmp_path, store_path, port):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(CHECKOUT), env.get("PYTHONPATH")) if p)
    env["WORKSHOP_KIT_SESSIONS"] = str(store_path.parent)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workshop_kit.cli",
            "present",
            "--no-browser",
            "--port",
            str(port),
            "--store",
            str(store_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_stops_voila_its_kernels_and_removes_the_token(browser, tmp_path, store_path, sig):
    from workshop_kit.present import free_port

    port = free_port()
    present = _start_present(tmp_path, store_path, port)
    try:
        lines = []
        for line in present.stdout:
            lines.append(line)
            if "Press Ctrl+C" in line:
                break
        # the command's own line (Voilà's log shows the address with "..." for the token)
        address = next(m.group(0) for line in lines if (m := TOKEN_URL.search(line)))
        [voila] = _wait_for(lambda: _children(present.pid), timeout=10)
        token_folder = Path(os.readlink(f"/proc/{voila}/cwd"))
        assert (token_folder / "config" / "voila.json").exists()
        page_address = address.replace("/?token=", "/voila/render/40_checkin_after.ipynb?token=")
        with urllib.request.urlopen(page_address, timeout=120) as reply:
            reply.read()
        kernels = _wait_for(lambda: _kernels(voila), timeout=30)
        assert kernels, "the page started no kernel"

        present.send_signal(sig)
        assert present.wait(timeout=60) == 0
        rest = present.stdout.read()
        assert "Stopping present mode" in rest
        assert _wait_for(lambda: not _alive(voila), timeout=30), "Voilà still runs"
        assert _wait_for(lambda: not any(_alive(k) for k in kernels), timeout=30)
        assert not token_folder.exists()
    finally:
        if present.poll() is None:
            present.kill()
            present.wait(timeout=30)
