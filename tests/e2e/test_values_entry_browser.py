"""A shared-values paper sheet typed in: a wrong letter is named and refused, the fixed
sheet saved as that person's sort."""

from __future__ import annotations

import re

import pytest

from workshop_kit.session import Session
from workshop_kit.values import load_deck
from workshop_kit.values_session import read_sort

from .conftest import add_couple, open_notebook, screenshot

pytestmark = pytest.mark.browser
NOTEBOOK = "60_tally_paper_forms.ipynb"


def test_a_values_sheet_typed_in_is_saved(page, server, store_path):
    from playwright.sync_api import expect

    deck = load_deck()
    code = add_couple(store_path)
    open_notebook(page, server, NOTEBOOK)
    letters = page.get_by_placeholder(re.compile(r"letters, V, I, N or -"))
    box = page.locator(".wk-root").filter(has=letters)
    expect(box).to_have_count(1)
    box.locator("select").select_option(code)
    box.get_by_role("button", name="Partner B", exact=True).click()

    sheet = "VVVVV " + "I" * (len(deck.cards) - 7) + "N- 4 2 1"
    letters.fill("VQ" + sheet[2:])
    box.get_by_role("button", name="Save this sheet").click()
    expect(box).to_contain_text("Not saved: letter 2 (card 2, ")
    with Session.open(store_path) as session:
        assert read_sort(session, code, "B", deck).is_empty

    letters.fill(sheet)
    box.get_by_role("button", name="Save this sheet").click()
    expect(box).to_contain_text(f"Saved: couple {code}, partner B: 5 very important")
    screenshot(page, "60_tally_paper_forms-values-sheet")
    with Session.open(store_path) as session:
        sort = read_sort(session, code, "B", deck)
    assert [sort.piles.get(card.id) for card in deck.cards[:5]] == ["very"] * 5
    assert sort.top5 == tuple(deck.cards[i].id for i in (3, 1, 0))
