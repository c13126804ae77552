from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from workshop_kit.demo import build_demo
from workshop_kit.session import Session


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def session(tmp_path) -> Session:
    """An empty session with four couples."""
    s = Session.create(
        tmp_path / "session.sqlite", title="Test workshop", date="2026-11-21", couples=4, seed=3
    )
    yield s
    s.close()


@pytest.fixture
def demo_session(tmp_path) -> Session:
    """A seeded 12-couple demo session of its own (safe to write to)."""
    s = build_demo(tmp_path / "demo.sqlite", couples=12, seed=7)
    yield s
    s.close()
