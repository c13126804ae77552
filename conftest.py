"""Test set-up shared by the unit tests, the doctests and the notebooks (nbval).

A demo session is built once per run in a temporary folder and exported as
``WORKSHOP_KIT_STORE`` before any notebook kernel starts, so every notebook runs top to
bottom against realistic data and nothing is written into the checkout's ``sessions/``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

_RUN_DIR = Path(tempfile.mkdtemp(prefix="workshop-kit-tests-"))
os.environ["WORKSHOP_KIT_SESSIONS"] = str(_RUN_DIR / "sessions")
os.environ["WORKSHOP_KIT_EXPORTS"] = str(_RUN_DIR / "exports")
os.environ["WORKSHOP_KIT_STORE"] = str(_RUN_DIR / "sessions" / "demo.sqlite")


def pytest_configure(config):
    from workshop_kit.demo import build_demo

    store = Path(os.environ["WORKSHOP_KIT_STORE"])
    if not store.exists():
        store.parent.mkdir(parents=True, exist_ok=True)
        build_demo(store, couples=12, seed=7).close()
