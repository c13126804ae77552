"""80 phones answer the check-in at once: the answer round-trip and the server's memory.

The real phone server (``workshop-kit phones``, a process of its own) on 127.0.0.1 with a
fresh 40-couple session; 80 simulated phones (threads of this process, each from its own
127.0.0.x address, as phones on a workshop network are) join with their own secret and
answer the whole check-in, waiting ``THINK`` seconds before each answer. A fast room
answers a question every few seconds; one second is already brisk.

The answer round-trip runs from sending the answer to the server's reply (the answer is
committed to the session file by then). The floor, measured in the same run against the
same server, is a bare request: ``GET /ok`` (no template, no store), asked every 50 ms
while the phones answer. Memory is the server process's resident size (VmRSS) when idle
after start and its peak (VmHWM) after the run.
"""

from __future__ import annotations

import socket
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

COUPLES = 40
THINK = 1.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _memory_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run() -> list[dict]:
    from workshop_kit.phones import devices as dev
    from workshop_kit.phones.client import simulate_room
    from workshop_kit.phones.server import PhoneServer
    from workshop_kit.session import Session

    folder = Path(tempfile.mkdtemp(prefix="bench-phones-"))
    store = folder / "room.sqlite"
    with Session.create(store, "Benchmark room", couples=COUPLES, seed=3) as session:
        people = [(code, partner) for code in session.couple_codes() for partner in "AB"]
    with PhoneServer(store, bind="127.0.0.1", port=_free_port()) as server:
        time.sleep(0.5)
        idle_mb = _memory_mb(server.process.pid, "VmRSS")
        with Session.open(store) as session:
            join_code = dev.joining(session).code
        room = simulate_room(server.url(""), join_code, people, think=THINK)
        peak_mb = _memory_mb(server.process.pid, "VmHWM")
    with Session.open(store) as session:
        saved = len(session.answers("before")) + sum(
            session.flag(code, partner, flag.id) is not None
            for code, partner in people
            for flag in session.content.flags
        )
        check = session.store.conn.execute("PRAGMA integrity_check").fetchone()[0]
    answers, bare = room.answer_seconds, room.bare_seconds
    ms = 1000.0
    p50, p95 = statistics.median(answers), float(np.percentile(answers, 95))
    b50, b95 = statistics.median(bare), float(np.percentile(bare, 95))
    people_n = len(people)
    return [
        {
            "name": f"phone answer round-trip p50 ({people_n} phones, {THINK:g} s think)",
            "value": p50 * ms,
            "unit": "ms",
            "floor": b50 * ms,
            "ratio": p50 / b50,
        },
        {
            "name": "phone answer round-trip p95",
            "value": p95 * ms,
            "unit": "ms",
            "floor": b95 * ms,
            "ratio": p95 / b95,
        },
        {
            "name": f"phones done / answers saved ({room.wall_seconds:.0f} s, integrity {check})",
            "value": float(room.completed),
            "unit": f"of {people_n}; {saved} of {len(answers)} answers saved",
        },
        {"name": "phone server memory idle (VmRSS)", "value": idle_mb, "unit": "MB"},
        {
            "name": "phone server memory peak (VmHWM)",
            "value": peak_mb,
            "unit": "MB",
            "floor": idle_mb,
            "ratio": peak_mb / idle_mb,
        },
        {
            "name": "phone requests over the rate limit (waited 1 s)",
            "value": float(room.waited_for_rate_limit),
            "unit": "requests",
        },
    ]
