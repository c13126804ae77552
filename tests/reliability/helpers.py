"""Shared helpers of the reliability suite: logical digests, stores, subprocess scripts."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def logical_digest(path: Path | str) -> str:
    """SHA-256 of a dump of every table of a store, rows sorted.

    Bytes of the file change with WAL checkpoints; its logical content must not.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            digest.update(f"table {table}\n".encode())
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            for row in sorted(rows, key=repr):
                digest.update((repr(row) + "\n").encode())
        return digest.hexdigest()
    finally:
        conn.close()


def file_digest(path: Path | str) -> str:
    """SHA-256 of a file's bytes (for files the kit must refuse to open at all)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def tree_listing(folder: Path) -> list[str]:
    """Every path under ``folder``, relative and sorted."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def child_env() -> dict[str, str]:
    """The environment for a subprocess running the kit from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.setdefault("MPLBACKEND", "Agg")
    return env


def start_python(script: str, *args: str, **kwargs) -> subprocess.Popen:
    """Start ``python -c script args...`` with stdout as text lines."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        **kwargs,
    )


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``workshop-kit ARGS`` in a subprocess (as a user would)."""
    return subprocess.run(
        [sys.executable, "-m", "workshop_kit.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=timeout,
    )


def integrity_ok(path: Path | str) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
