"""A listening round run by clicking on the projector page, and counted in the store."""

from __future__ import annotations

import re

import pytest

from workshop_kit.exercises import LISTENING_KIND, listening_totals
from workshop_kit.session import Session

from .conftest import assert_fits_the_projector, open_notebook, screenshot

pytestmark = pytest.mark.browser
NOTEBOOK = "32_active_listening.ipynb"


def rounds_stored(store_path) -> dict:
    with Session.open(store_path) as session:
        return {e.key: e for e in session.entries(LISTENING_KIND)}


def clock(page):
    """The big countdown (the innermost element whose whole text is a time like 1:00)."""
    return page.locator(".wk-root div").filter(has_text=re.compile(r"^\d{1,2}:\d\d$")).last


def test_listening_round_by_clicking_is_counted(page, server, store_path):
    from playwright.sync_api import expect

    before = rounds_stored(store_path)
    with Session.open(store_path) as session:
        rounds_before = listening_totals(session)["rounds"]
    open_notebook(page, server, NOTEBOOK)
    root = page.locator(".wk-root").first
    button = lambda name: root.get_by_role("button", name=name, exact=True)  # noqa: E731
    message = root.locator(".wk-ok, .wk-error")
    expect(root).to_contain_text("Speaker: Partner A")
    expect(root).to_contain_text(f"rounds run today: {rounds_before}")

    root.locator("select").select_option(label="1:00 to speak")
    expect(clock(page)).to_have_text("1:00")
    # nothing to count yet: the listener has not reflected back
    button("Finish round").click()
    expect(message).to_contain_text("nothing to record yet")
    expect(button("⇄ Switch turns")).to_be_disabled()

    button("▶ Start").click()
    expect(button("❚❚ Pause")).to_be_visible()
    expect(clock(page)).not_to_have_text("1:00")  # the kernel's ticker moves it
    screenshot(page, "32_active_listening-speaking")

    button("Next: Reflect back ▶").click()
    expect(root).to_contain_text("Step 2 of 3: Reflect back")
    button("⇄ Switch turns").click()
    expect(root).to_contain_text("Speaker: Partner B")
    expect(root).to_contain_text("Listener: Partner A")
    expect(message).to_contain_text("Partner B, you have the floor now")
    expect(root).to_contain_text("Turn 2")
    button("Next: Reflect back ▶").click()
    expect(root).to_contain_text("Step 2 of 3: Reflect back")
    screenshot(page, "32_active_listening-reflect")

    button("Finish round").click()
    expect(message).to_have_text("Well done. That round had 2 turns.")
    expect(root).to_contain_text(f"rounds run today: {rounds_before + 1}")
    expect(root).to_contain_text("Speaker: Partner A")  # ready for the next round

    after = rounds_stored(store_path)
    new = [after[key] for key in after.keys() - before.keys()]
    assert len(new) == 1, new
    assert new[0].value == {"turns": 2, "round_length": 60}
    # counted for the room only: no couple, no partner
    assert (new[0].couple_code, new[0].partner, new[0].source) == (None, None, "widget")


def test_listening_page_fits_the_projector(page, server):
    open_notebook(page, server, NOTEBOOK)
    assert_fits_the_projector(page, texts=10, buttons=5)
    screenshot(page, "32_active_listening")
