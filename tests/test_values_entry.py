"""Typing in a shared-values sort from its paper sheet: checked whole, saved whole."""

from __future__ import annotations

from workshop_kit.values import load_deck
from workshop_kit.values_session import read_sort
from workshop_kit.widgets.common import CHOOSE
from workshop_kit.widgets.values_entry import PaperSortEntry


def _sheet(deck, head: str = "VVVII", top: str = " 3 1") -> str:
    rest = "I" * (len(deck.cards) - len(head) - 2) + "N-"
    letters = head + rest
    # typed in the sheet's groups of five, as a facilitator would
    return " ".join(letters[i : i + 5] for i in range(0, len(letters), 5)) + top


def test_a_sheet_is_saved_for_the_person_on_it(session):
    deck = load_deck()
    entry = PaperSortEntry(session, deck)
    code = session.couple_codes()[1]
    entry.code_picker.value, entry.partner_picker.value = code, "B"
    entry.letters.value = _sheet(deck)
    entry.save_button.click()
    sort = read_sort(session, code, "B", deck)
    assert sort.piles[deck.cards[0].id] == "very"
    assert deck.cards[-1].id not in sort.piles  # "-": left unsorted
    assert sort.top5 == (deck.cards[2].id, deck.cards[0].id)
    assert read_sort(session, code, "A", deck).is_empty
    assert session.entries("values_pile", couple_code=code)[0].source == "paper"
    message = entry.message.value
    assert f"Saved: couple {code}, partner B: 3 very important" in message
    assert f"top five: {deck.cards[2].name}, {deck.cards[0].name}." in message
    # ready for the next sheet
    assert entry.letters.value == "" and entry.code_picker.value == CHOOSE


def test_a_wrong_sheet_names_the_card_and_saves_nothing(session):
    deck = load_deck()
    entry = PaperSortEntry(session, deck)
    code = session.couple_codes()[0]
    entry.save()
    assert "Choose the couple code and the partner on the sheet." in entry.message.value
    entry.code_picker.value, entry.partner_picker.value = code, "A"
    before = session.store.conn.execute("SELECT COUNT(*), MAX(id) FROM entries").fetchone()
    entry.letters.value = "VVX" + _sheet(deck)[3:]
    entry.save()
    assert "Not saved: letter 3 (card 3, " in entry.message.value
    entry.letters.value = "VVV"
    entry.save()
    assert f"expected {len(deck.cards)} letters" in entry.message.value
    after = session.store.conn.execute("SELECT COUNT(*), MAX(id) FROM entries").fetchone()
    assert after == before
    assert entry.letters.value == "VVV"  # kept, to be fixed


def test_typing_a_sheet_again_says_it_replaces_the_first(session):
    deck = load_deck()
    entry = PaperSortEntry(session, deck)
    code = session.couple_codes()[2]
    for head in ("VVVII", "NNNNN"):
        entry.code_picker.value, entry.partner_picker.value = code, "A"
        entry.letters.value = _sheet(deck, head=head, top="")
        entry.save()
    assert "It replaces the sort saved before for this person." in entry.message.value
    assert read_sort(session, code, "A", deck).piles[deck.cards[0].id] == "not"
