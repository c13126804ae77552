"""Typing in a shared-values card sort from its paper sheet.

One row per sheet: the couple code, A or B, then a letter per card in the order printed
on the sheet (V very important, I important, N not important, - not sorted; spaces are
ignored, so the letters can be typed in the sheet's groups of five), then the numbers of
the person's top five, best first. Checked whole before anything is saved
(:func:`workshop_kit.values_session.save_paper_sort`): a wrong letter is named with its
card, and nothing changes.
"""

from __future__ import annotations

import ipywidgets as w

from ..errors import WorkshopKitError
from ..session import Session
from ..values import PILE_LABELS, Deck, load_deck
from ..values_session import read_sort, save_paper_sort
from . import common

PILES_IN_ORDER = ("very", "important", "not")


class PaperSortEntry:
    """Type one paper card sort at a time; every saved sheet joins the session at once.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1, seed=1)
    >>> entry = PaperSortEntry(s)
    >>> entry.code_picker.value, entry.partner_picker.value = s.couple_codes()[0], "A"
    >>> entry.letters.value = "V" * 5 + "I" * (len(entry.deck.cards) - 5) + " 3 1"
    >>> entry.save_button.click()
    >>> "Saved" in entry.message.value
    True
    """

    def __init__(self, session: Session, deck: Deck | None = None):
        self.session = session
        self.deck = deck or load_deck()
        self.code_picker = common.code_picker(session)
        self.partner_picker = common.partner_picker()
        self.letters = w.Textarea(
            placeholder=(
                f"{len(self.deck.cards)} letters, V, I, N or -, in the sheet's order; "
                "then the top-five numbers, best first"
            ),
            layout=w.Layout(width="100%", height="120px"),
        )
        self.save_button = common.button("Save this sheet", "primary", width="260px")
        common.on_click(self.save_button, lambda: self.save(), self)
        self.message = common.text("")
        self.view = common.root(
            [
                common.text(
                    f"One sheet at a time: the couple code, the partner, then the "
                    f"{len(self.deck.cards)} letters and the top five. Spaces do not matter.",
                    "wk-help",
                ),
                w.HBox([self.code_picker, self.partner_picker]),
                self.letters,
                self.save_button,
                self.message,
            ]
        )

    def save(self) -> None:
        """Check the sheet whole and save it, or say what is wrong and save nothing."""
        who = common.picked(self.code_picker, self.partner_picker)
        if who is None:
            common.set_text(
                self.message, "Choose the couple code and the partner on the sheet.", "wk-error"
            )
            return
        code, partner = who
        if not read_sort(self.session, code, partner, self.deck).is_empty:
            note = " It replaces the sort saved before for this person."
        else:
            note = ""
        try:
            sort = save_paper_sort(self.session, code, partner, self.letters.value, self.deck)
        except WorkshopKitError as exc:
            common.set_text(self.message, f"Not saved: {exc}", "wk-error")
            return
        counts = ", ".join(
            f"{sum(p == pile for p in sort.piles.values())} {PILE_LABELS[pile].lower()}"
            for pile in PILES_IN_ORDER
        )
        top = ", ".join(self.deck.name(card) for card in sort.top5) or "no top five"
        common.set_text(
            self.message,
            f"Saved: couple {code}, partner {partner}: {counts}; top five: {top}.{note}",
            "wk-ok",
        )
        self.letters.value = ""
        common.clear_pickers(self.session, self.code_picker, self.partner_picker)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)
