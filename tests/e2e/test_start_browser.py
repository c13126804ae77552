"""00_start_here in present mode: create a session, add a walk-in couple, switch sessions."""

from __future__ import annotations

import pytest

from workshop_kit.present import PresentServer
from workshop_kit.session import Session

from .conftest import open_notebook, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def unpinned_server(browser, tmp_path):
    """A present server of its own with no --store: 00 chooses the session, as on the day."""
    env = {
        "WORKSHOP_KIT_SESSIONS": str(tmp_path / "sessions"),
        "WORKSHOP_KIT_EXPORTS": str(tmp_path / "exports"),
        "WORKSHOP_KIT_STORE": "",  # the test run's own demo store must not pin the pages
    }
    (tmp_path / "sessions").mkdir()
    with PresentServer(env=env, log=tmp_path / "voila.log") as running:
        yield running


def test_a_walk_in_couple_is_added_and_support_message_cleared(page, unpinned_server, tmp_path):
    from playwright.sync_api import expect

    open_notebook(page, unpinned_server, "00_start_here.ipynb")
    root = page.locator(".wk-root").first
    root.get_by_placeholder("e.g. Spring workshop").fill("Walk-in evening")
    root.locator("input[type=number]").fill("3")
    root.get_by_role("button", name="Create session", exact=True).click()
    expect(root).to_contain_text("with 3 couples")
    root.get_by_placeholder("One per line").fill("Family doctor\nHelpline | 0800 000 000")
    root.get_by_role("button", name="Save support list", exact=True).click()
    expect(root).to_contain_text("Saved 2 places to find support.")
    root.get_by_role("button", name="Add a walk-in couple", exact=True).click()
    expect(root).to_contain_text("The session now has 4 couples.")
    screenshot(page, "00_start_here-walk-in")
    [path] = (tmp_path / "sessions").glob("*.sqlite")
    with Session.open(path) as session:
        codes = session.couple_codes()
    assert len(codes) == 4
    expect(root).to_contain_text(f"Added couple {codes[-1]}")

    root.get_by_placeholder("e.g. Spring workshop").fill("Second evening")
    root.get_by_role("button", name="Create session", exact=True).click()
    expect(root).to_contain_text("Pages already open keep the session")
    expect(root).not_to_contain_text("Saved 2 places to find support.")
    expect(root).not_to_contain_text("Added couple")
