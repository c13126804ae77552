"""The shared-values card sort done by clicking, and the room chart that follows it."""

from __future__ import annotations

import re

import pytest

from workshop_kit.session import Session
from workshop_kit.values import load_deck
from workshop_kit.values_session import read_sort

from .conftest import open_notebook, screenshot
from .test_checkin_browser import choose_person

pytestmark = pytest.mark.browser


def test_card_sort_by_clicking_is_saved(page, server, store_path, fresh_codes):
    from playwright.sync_api import expect

    code, deck = fresh_codes[1], load_deck()
    total = len(deck.cards)
    open_notebook(page, server, "20_shared_values.ipynb")
    screenshot(page, "20_shared_values-who")
    choose_person(page, code, "A")
    progress = page.locator(".wk-progress").first
    piles = ["Very important"] * 6 + ["Important", "Not important"] * total
    for done, pile in zip(range(total), piles, strict=False):
        expect(progress).to_contain_text(f"{done} of {total} cards sorted")
        page.get_by_role("button", name=pile, exact=True).click()
        if done == 6:
            screenshot(page, "20_shared_values-card")
    expect(progress).to_contain_text(f"{total} of {total} cards sorted")

    # rank a top 5 from the Very important pile, by clicking
    chosen = []
    very = re.compile("|".join(re.escape(deck.name(i)) for i in deck_ids(deck)[:6]))
    expect(page.get_by_text("click your number 1")).to_be_visible()
    for place in range(1, 6):
        button = page.locator(".wk-root .widget-button").filter(has_text=very).first
        chosen.append(button.inner_text().strip())
        button.click()
        # wait until the ranking shows it, so the next click sees the new choices
        expect(page.locator(".wk-ranking")).to_contain_text(f"{place}. {chosen[-1]}")
    expect(page.get_by_text("your sort is saved")).to_be_visible()
    screenshot(page, "20_shared_values-done")

    with Session.open(store_path) as session:
        sort = read_sort(session, code, "A", deck)
    assert [deck.name(i) for i in sort.top5] == chosen
    assert sum(p == "very" for p in sort.piles.values()) == 6
    assert len(sort.piles) == total

    # the room's values chart is drawn on the page (k-suppressed, from the store)
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".wk-root img.widget-image", state="visible", timeout=90_000)
    refresh = page.get_by_role("button", name="↻ Refresh")
    expect(refresh).to_be_visible()
    refresh.click()  # the room's values can be drawn again without reloading the page
    expect(page.get_by_text("have chosen their top 5 so far")).to_be_visible()
    choose_person(page, code, "A")  # a reloaded page resumes: everything is still sorted
    expect(page.locator(".wk-progress").first).to_contain_text(f"{total} of {total} cards")


def deck_ids(deck) -> list[str]:
    return [card.id for card in deck.cards]
