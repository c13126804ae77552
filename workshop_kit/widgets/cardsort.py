"""The shared-values card sort: one partner at a time, one card at a time; then the couple view.

Every click is saved at once through :mod:`workshop_kit.values_session`. Reopening (a new
widget, a restarted kernel, a reloaded page) shows the same piles and the same top 5, and
the next card still to sort.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..errors import WorkshopKitError
from ..session import Session
from ..values import PILE_LABELS, PILES, TOP_N, CoupleComparison, Deck, Sort, choose_prompts
from ..values import load_deck as _load_deck
from ..values_session import couple_comparison, place_card, read_sort, set_top5
from . import common

KEYS = {"v": "very", "i": "important", "n": "not"}
BUTTON_STYLES = {"very": "success", "important": "info", "not": ""}
CARD_CSS = """
<style>
.wk-card { border: 4px solid #0072B2; border-radius: 16px; padding: 16px 24px;
  margin: 8px 0 12px 0; background: #f4f9fd; }
.wk-card-name { font-size: 44px; font-weight: 700; line-height: 1.2; }
.wk-card-desc { font-size: 28px; line-height: 1.35; margin-top: 6px; }
.wk-pile-head { font-size: 24px; font-weight: 700; }
.wk-ranking { font-size: 26px; line-height: 1.5; }
.wk-root .wk-pile select { font-size: 22px !important; }
</style>
"""


def _flex(basis: str = "260px") -> w.Layout:
    # Layout has no "gap" trait in ipywidgets 8: the right/bottom margin spaces the items
    return w.Layout(flex=f"1 1 {basis}", min_width="0", width="auto", margin="0 12px 8px 0")


class CardSortWidget:
    """Sort the value cards into three piles, then rank a top 5 (one partner at a time).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1, seed=1)
    >>> widget = CardSortWidget(s)
    >>> widget.start(s.couple_codes()[0], "A")
    >>> widget.current                 # the first card of the deck
    'affection'
    >>> widget.sort_card("very")       # saved at once
    >>> widget.sort.piles
    {'affection': 'very'}
    """

    def __init__(self, session: Session, deck: Deck | None = None):
        self.session = session
        self.deck = deck or _load_deck()
        self.couple_code: str | None = None
        self.partner: str | None = None
        self.sort = Sort()
        self._clearing = False

        # who is sorting
        self.code_picker = common.code_picker(session, layout=_flex("200px"))
        self.partner_picker = common.partner_picker()
        self.start_button = common.button("Start", "primary", width="200px")
        common.on_click(self.start_button, lambda: self._start_clicked(), self)
        self.message = common.text("")
        self.who_screen = common.who_screen(
            "Shared values: sort the cards",
            "Each of you sorts the cards on your own. For every card, choose how "
            "important it is to you in your life together. There are no right answers.",
            self.code_picker,
            self.partner_picker,
            self.start_button,
            self.message,
        )

        # one card at a time
        self.progress = common.text("", "wk-progress")
        self.progress_bar = w.IntProgress(
            min=0, max=len(self.deck.cards), value=0, layout=w.Layout(width="100%")
        )
        self.card = w.HTML("")
        self.pile_buttons = {}
        for pile in PILES:
            button = common.button(PILE_LABELS[pile], BUTTON_STYLES[pile])
            button.layout = _flex("200px")
            button.layout.min_height = "64px"
            common.on_click(button, lambda pile=pile: self.sort_card(pile), self, "feedback")
            self.pile_buttons[pile] = button
        self.key_box = w.Text(
            value="",
            placeholder="or type v, i or n and press Enter",
            continuous_update=False,
            layout=_flex("260px"),
        )
        common.on_change(self.key_box, self._key_typed, self)
        self.feedback = common.text("")
        self.card_box = w.VBox(
            [
                self.card,
                w.HBox(
                    list(self.pile_buttons.values()),
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                w.HBox([self.key_box], layout=w.Layout(margin="8px 0 0 0")),
            ]
        )

        # the three piles, each with a way to move a card back
        self.pile_heads = {p: w.HTML("") for p in PILES}
        self.pile_lists = {
            p: w.Select(options=[], rows=6, layout=w.Layout(width="100%")) for p in PILES
        }
        self.move_back_buttons = {}
        columns = []
        for pile in PILES:
            back = common.button("↩ Move back", tooltip="Put the chosen card back to sort again")
            back.layout = w.Layout(width="100%", min_height="52px")
            common.on_click(back, lambda pile=pile: self.move_back(pile), self, "feedback")
            self.move_back_buttons[pile] = back
            column = w.VBox(
                [self.pile_heads[pile], self.pile_lists[pile], back], layout=_flex("220px")
            )
            column.add_class("wk-pile")
            columns.append(column)
        self.piles_box = w.HBox(columns, layout=w.Layout(flex_flow="row wrap"))

        # ranking the top 5
        self.rank_help = common.text("", "wk-question")
        self.rank_choices = w.HBox([], layout=w.Layout(flex_flow="row wrap"))
        self.ranking = w.HTML("")
        self.undo_button = common.button("↩ Undo last", tooltip="Take the last card off your top 5")
        common.on_click(self.undo_button, lambda: self.undo_top5(), self, "feedback")
        self.rank_box = w.VBox([self.rank_help, self.rank_choices, self.ranking, self.undo_button])
        self.done_text = common.text("", "wk-ok")
        self.next_button = common.button("I am done: next person", "primary")
        common.on_click(self.next_button, lambda: self.reset(), self)
        self.sort_screen = w.VBox(
            [
                self.progress,
                self.progress_bar,
                self.card_box,
                self.feedback,
                self.rank_box,
                self.done_text,
                self.piles_box,
                self.next_button,
            ]
        )
        self.view = common.root([w.HTML(CARD_CSS), self.who_screen])

    # -- who --------------------------------------------------------------------------
    def _start_clicked(self) -> None:
        who = common.picked(self.code_picker, self.partner_picker)
        if who is None:
            common.set_text(self.message, common.ASK_WHO, "wk-error")
            return
        self.start(*who)

    def start(self, couple_code: str, partner: str) -> None:
        """Begin (or resume, from the store) one partner's sort."""
        try:
            self.couple_code, self.partner = self.session.check_participant(couple_code, partner)
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return
        self.sort = read_sort(self.session, self.couple_code, self.partner, self.deck)
        common.set_text(self.feedback, "")
        self.refresh()
        self.view.children = (*self.view.children[:2], self.sort_screen)

    def reset(self) -> None:
        """Back to the "who is sorting" screen for the next person."""
        self.couple_code = self.partner = None
        self.sort = Sort()
        common.clear_pickers(self.session, self.code_picker, self.partner_picker)
        common.set_text(self.message, "")
        self.view.children = (*self.view.children[:2], self.who_screen)

    # -- sorting ----------------------------------------------------------------------
    @property
    def current(self) -> str | None:
        """The id of the next card to sort (deck order), or None when all are sorted."""
        unsorted = self.sort.unsorted(self.deck)
        return unsorted[0] if unsorted else None

    def sort_card(self, pile: str) -> None:
        """Put the current card in ``pile`` and save it at once."""
        value_id = self.current
        if value_id is None:
            return
        try:
            self.sort = place_card(
                self.session, self.couple_code, self.partner, value_id, pile, self.deck
            )
        except WorkshopKitError as exc:
            common.set_text(self.feedback, f"Not saved: {exc}", "wk-error")
            return
        common.set_text(
            self.feedback, f"“{self.deck.name(value_id)}” → {PILE_LABELS[pile]}", "wk-help"
        )
        self.refresh()

    def _key_typed(self, change) -> None:
        if self._clearing:
            return
        typed = str(change["new"]).strip().lower()
        if not typed:
            return
        self._clearing = True
        try:
            self.key_box.value = ""
        finally:
            self._clearing = False
        if typed[:1] in KEYS and len(typed) == 1:
            self.sort_card(KEYS[typed])
        else:
            common.set_text(
                self.feedback,
                f"“{typed}” is not a pile: type v (very important), i (important) or "
                "n (not important), then Enter.",
                "wk-error",
            )

    def move_back(self, pile: str) -> None:
        """Put the card chosen in ``pile``'s list back among the cards to sort."""
        value_id = self.pile_lists[pile].value
        if value_id is None:
            common.set_text(
                self.feedback,
                f"First choose a card in the “{PILE_LABELS[pile]}” list, then press Move back.",
                "wk-error",
            )
            return
        self.sort = place_card(
            self.session, self.couple_code, self.partner, value_id, None, self.deck
        )
        common.set_text(
            self.feedback, f"“{self.deck.name(value_id)}” is back to be sorted again.", "wk-help"
        )
        self.refresh()

    # -- the top 5 --------------------------------------------------------------------
    def add_to_top5(self, value_id: str) -> None:
        """Add a very-important card as the next place of the top 5, saved at once."""
        if len(self.sort.top5) >= TOP_N or value_id in self.sort.top5:
            return
        try:
            self.sort = set_top5(
                self.session,
                self.couple_code,
                self.partner,
                [*self.sort.top5, value_id],
                self.deck,
            )
        except WorkshopKitError as exc:
            common.set_text(self.feedback, f"Not saved: {exc}", "wk-error")
            return
        self.refresh()

    def undo_top5(self) -> None:
        """Take the last card off the top 5."""
        if not self.sort.top5:
            return
        self.sort = set_top5(
            self.session, self.couple_code, self.partner, list(self.sort.top5[:-1]), self.deck
        )
        self.refresh()

    # -- showing ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw the card, the piles and the ranking from :attr:`sort`."""
        deck, sort = self.deck, self.sort
        n_sorted = len(deck.cards) - len(sort.unsorted(deck))
        common.set_text(
            self.progress,
            f"Partner {self.partner} · couple {self.couple_code} · "
            f"{n_sorted} of {len(deck.cards)} cards sorted",
            "wk-progress",
        )
        self.progress_bar.value = n_sorted
        value_id = self.current
        if value_id is not None:
            card = deck.card(value_id)
            self.card.value = (
                f'<div class="wk-card"><div class="wk-card-name">{html.escape(card.name)}</div>'
                f'<div class="wk-card-desc">{html.escape(card.description)}</div></div>'
            )
            self.card_box.layout.display = ""
        else:
            self.card_box.layout.display = "none"
        for pile in PILES:
            ids = sort.pile(pile, deck)
            self.pile_heads[
                pile
            ].value = f'<div class="wk-pile-head">{PILE_LABELS[pile]} ({len(ids)})</div>'
            self.pile_lists[pile].options = [(deck.name(i), i) for i in ids]
            self.pile_lists[pile].value = None
            self.move_back_buttons[pile].disabled = not ids
        self._refresh_ranking(value_id is None)

    def _refresh_ranking(self, all_sorted: bool) -> None:
        deck, sort = self.deck, self.sort
        very = sort.pile("very", deck)
        wanted = min(TOP_N, len(very))
        if not all_sorted:
            self.rank_box.layout.display = "none"
            common.set_text(self.done_text, "")
            return
        self.rank_box.layout.display = ""
        if not very:
            common.set_text(
                self.rank_help,
                "All cards are sorted. Your Very important pile is empty, so there is no "
                "top 5 to choose: move a card back if you would like to change that.",
                "wk-help",
            )
        elif len(sort.top5) < wanted:
            common.set_text(
                self.rank_help,
                f"All cards are sorted. Now choose your top {wanted} from your Very important "
                f"pile: click your number {len(sort.top5) + 1}.",
                "wk-question",
            )
        else:
            common.set_text(self.rank_help, f"Your top {wanted}:", "wk-question")
        choices = []
        if len(sort.top5) < wanted:
            for value_id in very:
                if value_id in sort.top5:
                    continue
                button = common.button(deck.name(value_id))
                button.layout.margin = "0 8px 8px 0"
                common.on_click(button, lambda v=value_id: self.add_to_top5(v), self, "feedback")
                choices.append(button)
        self.rank_choices.children = choices
        self.ranking.value = (
            '<div class="wk-ranking">'
            + "<br>".join(
                f"{n}. {html.escape(deck.name(v))}" for n, v in enumerate(sort.top5, start=1)
            )
            + "</div>"
        )
        self.undo_button.disabled = not sort.top5
        if sort.is_complete(deck):
            common.set_text(
                self.done_text,
                f"Thank you, partner {self.partner}: your sort is saved. Please pass the "
                "laptop to your partner, or to the next couple.",
                "wk-ok",
            )
        else:
            common.set_text(self.done_text, "")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)


# -- the couple's view ------------------------------------------------------------------
def _pile_text(pile) -> str:
    return PILE_LABELS.get(pile, "not sorted").lower() if pile else "not sorted"


def _items(rows: list[str], empty: str) -> str:
    if not rows:
        return f'<p class="wk-help">{html.escape(empty)}</p>'
    return "<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in rows) + "</ul>"


def couple_values_html(comparison: CoupleComparison, deck: Deck, couple_code: str) -> str:
    """The couple's comparison as HTML for the notebook (for the couple's eyes only)."""
    parts = [f'<div class="wk-question">Couple {html.escape(couple_code)}: your values</div>']
    if not comparison.both_sorted:
        if comparison.skipped == ["A", "B"]:
            parts.append(
                _items(
                    [],
                    "Neither of you has sorted the cards yet. That is fine: "
                    "you can sort them now, or at home.",
                )
            )
        else:
            other = comparison.skipped[0]
            parts.append(
                _items(
                    [],
                    f"Partner {other} has not sorted the cards yet, so there "
                    "is nothing to compare. That is completely fine.",
                )
            )
    else:
        shared = [
            r.value + ("  ★ in both your top fives" if r.both_top5 else "")
            for r in comparison.shared.itertuples()
        ]
        parts.append("<b>What you both hold very important</b>")
        parts.append(_items(shared, "No card landed in both very-important piles this time."))
        different = [
            f"{r.value}: {_pile_text(r.pile_a)} to A, {_pile_text(r.pile_b)} to B"
            for r in comparison.placed_differently.itertuples()
        ]
        parts.append("<b>Placed a little differently</b>")
        parts.append(_items(different, "None."))
        divergent = [
            f"{r.value}: {_pile_text(r.pile_a)} to A, {_pile_text(r.pile_b)} to B"
            for r in comparison.divergent.itertuples()
        ]
        parts.append("<b>Where you differ most</b>")
        parts.append(
            _items(
                divergent,
                "No value was very important to one of you and not important to the other.",
            )
        )
        parts.append(
            f"<p><b>You put {comparison.n_same} of the {comparison.n_compared} cards you both "
            f"sorted in the same pile ({comparison.agreement:.0%}).</b></p>"
        )
    parts.append("<b>To talk about together</b><ol>")
    parts += [f"<li>{html.escape(p)}</li>" for p in choose_prompts(comparison, deck)]
    parts.append("</ol>")
    return '<div class="wk-private">' + "\n".join(parts) + "</div>"


class CoupleValuesView:
    """Pick a couple and show their comparison here: hidden until the facilitator asks,
    because it is one couple's answers (blank the projector first)."""

    def __init__(self, session: Session, deck: Deck | None = None):
        self.session = session
        self.deck = deck or _load_deck()
        self.picker = w.Dropdown(options=session.couple_codes(), layout=_flex("200px"))
        self.show = w.Checkbox(
            value=False,
            indent=False,
            description="Show here (for the couple only: blank the projector first)",
        )
        self.output = w.HTML("")
        common.on_change(self.picker, lambda _c: self.refresh(), self, "output")
        common.on_change(self.show, lambda _c: self.refresh(), self, "output")
        self.view = common.root(
            [
                common.text("Compare your sorts", "wk-question"),
                w.HBox(
                    [common.text("Couple"), self.picker],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.show,
                self.output,
            ]
        )

    def refresh(self) -> None:
        if not self.show.value or not self.picker.value:
            self.output.value = ""
            return
        comparison = couple_comparison(self.session, self.picker.value, self.deck)
        self.output.value = couple_values_html(comparison, self.deck, self.picker.value)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)


__all__ = ["CardSortWidget", "CoupleValuesView", "couple_values_html"]


class RoomValuesView:
    """The room's shared values on the projector, with a button to draw them again.

    Anonymous and k-folded (:func:`workshop_kit.charts.values.room_values_figure`); the
    caption says how many people have ranked so far and when it was last drawn.
    """

    def __init__(self, session: Session, deck: Deck | None = None):
        self.session = session
        self.deck = deck or _load_deck()
        self.refresh_button = common.button("↻ Refresh", "info", width="200px")
        common.on_click(self.refresh_button, self.refresh, self)
        self.image = w.Image(format="png", layout=w.Layout(width="100%", max_width="1280px"))
        self.caption = common.text("")
        self.view = common.root(
            [
                common.text("The room's values", "wk-question"),
                self.refresh_button,
                self.image,
                self.caption,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        """Draw the room's values again from the store."""
        import io
        from datetime import datetime

        from ..charts.style import chart_style
        from ..charts.values import room_values_figure
        from ..values_session import values_sorted_count

        with chart_style("projector"):
            fig = room_values_figure(self.session, self.deck)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png")
        self.image.value = buffer.getvalue()
        counts = values_sorted_count(self.session, self.deck)
        common.set_text(
            self.caption,
            f"{counts['ranked_top5']} people have chosen their top {TOP_N} so far "
            f"(drawn at {datetime.now():%H:%M}).",
        )

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)
