"""An appreciation round run by clicking: the countdown runs, pauses, and the round is stored."""

from __future__ import annotations

import re
import time

import pytest

from workshop_kit.appreciation import rounds_run
from workshop_kit.session import Session

from .conftest import open_notebook, screenshot

pytestmark = pytest.mark.browser
# the big countdown, not the "1:30 suggested" line above the prompt
CLOCK = re.compile(r"\b(\d{1,2}):(\d\d)\b(?!\s*suggested)")


def clock_seconds(page) -> int:
    """The countdown shown on the page, in seconds."""
    text = page.locator(".wk-root").first.inner_text()
    found = CLOCK.search(text)
    assert found, f"no countdown on the page: {text[:200]!r}"
    return int(found.group(1)) * 60 + int(found.group(2))


def test_appreciation_round_runs_pauses_and_is_stored(page, server, store_path):
    from playwright.sync_api import expect

    with Session.open(store_path) as session:
        before = len(rounds_run(session))
    open_notebook(page, server, "30_appreciation.ipynb")
    start = clock_seconds(page)
    page.get_by_role("button", name="▶ Start", exact=True).first.click()
    time.sleep(3.5)  # the kernel's ticking task counts down while the page stays usable
    running = clock_seconds(page)
    assert running < start, f"the countdown did not move: {start} -> {running}"
    screenshot(page, "30_appreciation-round")
    page.get_by_role("button", name="❚❚ Pause", exact=True).first.click()
    time.sleep(1.0)
    paused = clock_seconds(page)
    time.sleep(2.0)
    assert clock_seconds(page) == paused  # paused means paused

    with Session.open(store_path) as session:
        rounds = rounds_run(session)
    assert len(rounds) == before + 1
    assert rounds["seconds_run"].iloc[-1] >= 2

    prompt = page.locator(".wk-root").first.inner_text()
    page.get_by_role("button", name="Next prompt ▶", exact=True).first.click()
    expect(page.locator(".wk-root").first).not_to_have_text(prompt)
