"""A couple's rituals plan chosen by clicking and typing, saved, and shown again after a reload."""

from __future__ import annotations

import pytest

from workshop_kit.exercises import PlannedRitual, rituals_plan
from workshop_kit.session import Session

from .conftest import (
    assert_fits_the_projector,
    open_notebook,
    screenshot,
    shown_option,
)

pytestmark = pytest.mark.browser
NOTEBOOK = "34_rituals_plan.ipynb"


def stored_plan(store_path, code: str):
    with Session.open(store_path) as session:
        return rituals_plan(session, code)


def test_rituals_plan_by_clicking_is_saved_and_shown_again(page, server, store_path, fresh_codes):
    from playwright.sync_api import expect

    code = fresh_codes[0]
    assert stored_plan(store_path, code) is None
    open_notebook(page, server, NOTEBOOK)
    root = page.locator(".wk-root").first
    # drop-downs in page order: the couple code, then a ritual and a day for each row
    selects = root.locator("select")
    ritual = lambda row: selects.nth(1 + 2 * row)  # noqa: E731
    day = lambda row: selects.nth(2 + 2 * row)  # noqa: E731
    time_box = lambda row: root.get_by_placeholder("19:30").nth(row)  # noqa: E731
    own_words = root.get_by_placeholder("In your own words")
    message = root.locator(".wk-ok, .wk-error")
    save = root.get_by_role("button", name="Save plan", exact=True)

    selects.first.select_option(label=code)
    ritual(0).select_option(label="A walk together")
    day(0).select_option(label="Sunday")
    time_box(0).fill("10:00")
    save.click()  # one ritual is not a plan yet
    expect(message).to_have_text("Not saved yet: a rituals plan holds 2 to 3 rituals; not 1")
    assert stored_plan(store_path, code) is None

    expect(own_words.nth(1)).to_be_hidden()
    ritual(1).select_option(label="Our own ritual")
    expect(own_words.nth(1)).to_be_visible()  # the words box shows for "Our own ritual" only
    own_words.nth(1).fill("Pizza and a film")
    # at 1024 px the words box wraps under its row; the day and time stay beside the ritual
    tops = [box.bounding_box()["y"] for box in (ritual(1), day(1), time_box(1), own_words.nth(1))]
    assert abs(tops[0] - tops[1]) < 4 and abs(tops[0] - tops[2]) < 4 and tops[3] > tops[0], tops
    day(1).select_option(label="Friday")
    time_box(1).fill("20.30")
    save.click()
    expect(message).to_have_text(
        "Saved: A walk together (Sunday, 10:00); Pizza and a film (Friday, 20:30)"
    )
    screenshot(page, "34_rituals_plan-saved")
    assert stored_plan(store_path, code) == (
        PlannedRitual("walk", "Sunday", "10:00", ""),
        PlannedRitual("own", "Friday", "20:30", "Pizza and a film"),
    )
    with Session.open(store_path) as session:
        (entry,) = session.entries("rituals_plan", couple_code=code)
    assert (entry.partner, entry.source) == (None, "widget")  # one plan per couple

    # a new page (a new kernel) shows the saved plan when the couple picks their code
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".wk-root select", state="visible", timeout=90_000)
    selects.first.select_option(label=code)
    expect(root).to_contain_text("This is your saved plan; change it and save again.")
    expect(time_box(1)).to_have_value("20:30")
    assert [shown_option(ritual(r)) for r in range(3)] == [
        "A walk together",
        "Our own ritual",
        "— choose a ritual —",
    ]
    assert [shown_option(day(r)) for r in range(2)] == ["Sunday", "Friday"]
    expect(own_words.nth(1)).to_have_value("Pizza and a film")
    expect(time_box(0)).to_have_value("10:00")


def test_rituals_page_fits_the_projector(page, server):
    open_notebook(page, server, NOTEBOOK, wait_for=".jp-RenderedImage img")
    assert_fits_the_projector(page, texts=10, buttons=1)
    screenshot(page, "34_rituals_plan")
