"""The card-sort widget and the couple view, driven headless: set values, call handlers, read
the store."""

from __future__ import annotations

import ipywidgets as w
import pytest

from workshop_kit.values import PILES, load_deck
from workshop_kit.values_session import place_card, read_sort
from workshop_kit.widgets.cardsort import CardSortWidget, CoupleValuesView
from workshop_kit.widgets.common import CHOOSE


@pytest.fixture(scope="module")
def deck():
    return load_deck()


def started(session, partner="A", index=0):
    widget = CardSortWidget(session)
    widget.code_picker.value = session.couple_codes()[index]
    widget.partner_picker.value = partner
    widget._start_clicked()
    return widget


def walk(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from walk(child)


def test_start_needs_a_code_and_a_partner(session):
    widget = CardSortWidget(session)
    widget._start_clicked()
    assert "choose your couple code" in widget.message.value
    assert widget.who_screen in widget.view.children
    assert widget.code_picker.value == CHOOSE


def test_buttons_sort_the_current_card_and_save_it_at_once(session, deck):
    widget = started(session)
    assert deck.cards[0].name in widget.card.value
    widget.pile_buttons["very"].click()
    widget.pile_buttons["not"].click()
    widget.pile_buttons["important"].click()
    sort = read_sort(session, session.couple_codes()[0], "A", deck)
    assert sort.piles == {deck.ids[0]: "very", deck.ids[1]: "not", deck.ids[2]: "important"}
    assert deck.cards[3].name in widget.card.value
    assert "3 of" in widget.progress.value
    assert "Very important (1)" in widget.pile_heads["very"].value
    assert widget.pile_lists["not"].options == ((deck.cards[1].name, deck.ids[1]),)


def test_typing_v_i_n_and_enter_sorts_and_other_letters_explain(session, deck):
    widget = started(session, "B")
    widget.key_box.value = "v"
    assert widget.key_box.value == ""  # cleared for the next card
    widget.key_box.value = "N "
    widget.key_box.value = "x"
    assert "“x” is not a pile" in widget.feedback.value
    sort = read_sort(session, session.couple_codes()[0], "B", deck)
    assert sort.piles == {deck.ids[0]: "very", deck.ids[1]: "not"}


def test_move_back_returns_the_chosen_card_to_sort_again(session, deck):
    widget = started(session)
    widget.sort_card("very")
    widget.sort_card("important")
    widget.move_back("important")  # nothing chosen yet
    assert "First choose a card" in widget.feedback.value
    widget.pile_lists["very"].value = deck.ids[0]
    widget.move_back_buttons["very"].click()
    sort = read_sort(session, session.couple_codes()[0], "A", deck)
    assert sort.piles == {deck.ids[1]: "important"}
    assert widget.current == deck.ids[0]
    assert deck.cards[0].name in widget.card.value


def test_full_sort_then_rank_top5_with_undo(session, deck):
    widget = started(session, index=1)
    assert widget.rank_box.layout.display == "none"
    for i in range(len(deck.cards)):
        widget.sort_card(PILES[i % 3])
    assert widget.current is None and widget.card_box.layout.display == "none"
    assert widget.rank_box.layout.display == ""
    very = widget.sort.pile("very", deck)
    assert [b.description for b in widget.rank_choices.children] == [deck.name(v) for v in very]
    widget.rank_choices.children[2].click()
    widget.rank_choices.children[0].click()
    assert widget.sort.top5 == (very[2], very[0])
    widget.undo_button.click()
    assert widget.sort.top5 == (very[2],)
    for value_id in very[3:7]:
        widget.add_to_top5(value_id)
    assert widget.sort.top5 == (very[2], *very[3:7])
    assert widget.rank_choices.children == ()  # five chosen: no more choices
    assert "Thank you, partner A" in widget.done_text.value
    stored = read_sort(session, session.couple_codes()[1], "A", deck)
    assert stored.top5 == widget.sort.top5 and stored.is_complete(deck)


def test_a_rebuilt_widget_resumes_from_the_store(session, deck):
    code = session.couple_codes()[2]
    for value_id in deck.ids[:4]:
        place_card(session, code, "A", value_id, "very", deck)
    widget = started(session, index=2)
    assert widget.current == deck.ids[4]
    assert "4 of" in widget.progress.value
    assert len(widget.pile_lists["very"].options) == 4


def test_next_person_goes_back_to_the_who_screen(session):
    widget = started(session)
    widget.next_button.click()
    assert widget.who_screen in widget.view.children
    assert widget.partner_picker.value is None and widget.couple_code is None


def test_layout_has_no_wide_fixed_widths_and_large_buttons(session):
    widget = started(session)
    for child in walk(widget.view):
        width = getattr(getattr(child, "layout", None), "width", None)
        if width and width.endswith("px"):
            assert int(width[:-2]) <= 320, (child, width)
        if isinstance(child, w.Button):
            assert child.layout.min_height in ("52px", "64px")


def test_couple_view_is_hidden_until_asked_then_compares(session, deck):
    code = session.couple_codes()[3]
    place_card(session, code, "A", "trust", "very", deck)
    place_card(session, code, "A", "order", "very", deck)
    view = CoupleValuesView(session)
    view.picker.value = code
    assert view.output.value == ""
    view.show.value = True
    assert "Partner B has not sorted the cards yet" in view.output.value
    place_card(session, code, "B", "trust", "very", deck)
    place_card(session, code, "B", "order", "not", deck)
    view.refresh()
    html = view.output.value
    assert "Trust" in html and "Order: very important to A, not important to B" in html
    assert "1 of the 2 cards" in html and "wk-private" in html
    view.show.value = False
    assert view.output.value == ""
