"""The live room dashboard on the projector follows answers written by another connection."""

from __future__ import annotations

import re

import pytest

from workshop_kit.session import Session

from .conftest import (
    add_couple,
    assert_fits_the_projector,
    open_notebook,
    screenshot,
)

pytestmark = pytest.mark.browser
NOTEBOOK = "70_room_dashboard.ipynb"
CHART = ".wk-root img"


def test_dashboard_redraws_when_an_answer_arrives(page, server, store_path):
    from playwright.sync_api import expect

    # a couple added before the page opens: the answer below is their first
    code = add_couple(store_path)
    with Session.open(store_path) as session:
        first_item = session.content.instrument("checkin").items[0].id
        codes = session.couple_codes()
    open_notebook(page, server, NOTEBOOK, wait_for=CHART)
    chart = page.locator(CHART)
    expect(chart).to_have_count(1)
    expect(chart).to_have_attribute("src", re.compile(r"\S"))
    first_src = chart.get_attribute("src")
    assert chart.evaluate("img => img.naturalWidth") > 0  # a real picture was drawn
    expect(page.locator(".wk-root")).to_contain_text("Groups under")
    screenshot(page, "70_room_dashboard")

    # the room view names nobody: no couple code anywhere on the page, private panel shut
    page_text = page.locator("#rendered_cells").inner_text()
    shown_codes = [c for c in codes if re.search(rf"\b{c}\b", page_text)]
    assert not shown_codes, shown_codes
    assert "<Task" not in page_text  # no program object printed on the projector
    expect(page.locator(".wk-private")).to_be_hidden()
    expect(page.get_by_role("button", name="Show the facilitator-only panel")).to_be_visible()

    # an answer committed by another connection (another notebook, a paper form)
    with Session.open(store_path) as other:
        other.record_answer(code, "A", "before", "checkin", first_item, 4, source="widget")
    expect(chart).not_to_have_attribute("src", first_src, timeout=30_000)
    assert chart.evaluate("img => img.naturalWidth") > 0
    screenshot(page, "70_room_dashboard-updated")


def test_dashboard_page_fits_the_projector(page, server):
    open_notebook(page, server, NOTEBOOK, wait_for=CHART)
    box = page.locator(CHART).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1024, box  # the whole chart shows
    assert_fits_the_projector(page, texts=5, buttons=1)
