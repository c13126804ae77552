"""One partner's calm-down plan filled in by clicking and typing, saved, and kept to them."""

from __future__ import annotations

import pytest

from workshop_kit.exercises import CalmDownPlan, calm_down_plan
from workshop_kit.session import Session

from .conftest import (
    assert_fits_the_projector,
    give_secret,
    open_notebook,
    screenshot,
    shown_option,
)

pytestmark = pytest.mark.browser
NOTEBOOK = "36_calm_down_plan.ipynb"


def stored_plan(store_path, code: str, partner: str):
    with Session.open(store_path) as session:
        return calm_down_plan(session, code, partner)


def test_calm_down_plan_by_clicking_is_saved_for_that_partner(
    page, server, store_path, fresh_codes
):
    from playwright.sync_api import expect

    code = fresh_codes[1]
    assert stored_plan(store_path, code, "A") is None
    assert stored_plan(store_path, code, "B") is None
    open_notebook(page, server, NOTEBOOK)
    root = page.locator(".wk-root").first
    # drop-downs in page order: the couple code, the signal, the way back
    code_picker, signal, come_back = (root.locator("select").nth(i) for i in range(3))
    own_signal = root.get_by_placeholder("My own signal")
    message = root.locator(".wk-ok, .wk-error")
    save = root.get_by_role("button", name="Save plan", exact=True)

    save.click()
    expect(message).to_have_text("Please choose your couple code and which partner you are.")
    code_picker.select_option(label=code)
    root.get_by_role("button", name="Partner A", exact=True).click()
    expect(signal).to_be_hidden()  # the partner's secret first
    give_secret(page, "tulip7", first_time=True)
    expect(signal).to_be_visible()
    save.click()
    expect(message).to_have_text(
        "Please choose a signal, how long your break lasts, how you come back."
    )
    assert stored_plan(store_path, code, "A") is None

    expect(own_signal).to_be_hidden()
    signal.select_option(label="Something of my own (write it below).")
    expect(own_signal).to_be_visible()
    own_signal.fill("I tap the table twice")
    root.get_by_role("button", name="20 min", exact=True).click()
    come_back.select_option(label="I send a short message to say I am ready to talk.")
    save.click()
    expect(message).to_have_text("Saved, partner A. Thank you.")
    screenshot(page, "36_calm_down_plan-saved")
    assert stored_plan(store_path, code, "A") == CalmDownPlan(
        "own", 20, "message", "I tap the table twice", ""
    )
    assert stored_plan(store_path, code, "B") is None
    # the next person finds an empty form, not partner A's choices
    expect(own_signal).to_be_hidden()
    assert shown_option(signal) == "— choose —"
    expect(root.locator(".widget-toggle-button.mod-active")).to_have_count(0)

    # partner B gets an empty form: a plan is one partner's own
    code_picker.select_option(label=code)
    root.get_by_role("button", name="Partner B", exact=True).click()
    give_secret(page, "rose42", first_time=True)
    expect(signal).to_be_visible()
    expect(own_signal).to_be_hidden()  # the form was emptied (the signal is back to none)
    assert shown_option(signal) == "— choose —"
    expect(root).not_to_contain_text("This is your saved plan")
    expect(root.locator(".widget-toggle-button.mod-active")).to_have_text(["Partner B"])
    # and partner A's plan comes back when A is chosen again, with A's secret only
    root.get_by_role("button", name="Partner A", exact=True).click()
    give_secret(page, "rose42", first_time=False)
    expect(root.locator(".wk-secret .wk-error")).to_contain_text("That secret does not match")
    expect(signal).to_be_hidden()
    expect(root).not_to_contain_text("This is your saved plan")
    give_secret(page, "Tulip7", first_time=False)
    expect(root).to_contain_text("This is your saved plan; change it and save again.")
    expect(own_signal).to_have_value("I tap the table twice")
    assert shown_option(come_back) == "I send a short message to say I am ready to talk."
    expect(root.locator(".widget-toggle-button.mod-active")).to_have_text(["Partner A", "20 min"])


def test_calm_down_page_fits_the_projector(page, server):
    open_notebook(page, server, NOTEBOOK)
    assert_fits_the_projector(page, texts=10, buttons=7)
    screenshot(page, "36_calm_down_plan")
