"""Shared-values charts: the room's points tally (projector) and a couple's take-home page.

The room chart takes the k-folded table of :func:`workshop_kit.values.room_points`, so a
value chosen by fewer than ``k`` people is never drawn on its own. The couple page holds
one couple's comparison only and is meant for their pack.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..disclosure import waiting_note
from ..session import PARTNERS, Session
from ..tally import OTHER
from ..values import PILE_LABELS, CoupleComparison, Deck, choose_prompts, load_deck
from ..values_session import couple_comparison, published_room_values
from .page import Page
from .style import (
    BLUE,
    GREEN,
    GREY,
    INK,
    LIGHT_GREY,
    PROJECTOR_FIGSIZE,
    VERMILLION,
    chart_style,
    empty_message,
    footnote,
    get_ax,
    paper_size,
)


def room_values_chart(
    points: pd.DataFrame,
    k: int,
    ax=None,
    top: int = 10,
    title: str = "What matters most in our room",
):
    """Horizontal bars of the room's top-5 points, the largest at the top, "Other" last.

    ``points`` is :func:`workshop_kit.values.room_points` (already k-folded). Each bar
    is labelled with its points and the number of people who ranked it; a note under the
    chart says that values chosen by fewer than ``k`` people are folded into "Other".
    """
    ax = get_ax(ax, figsize=PROJECTOR_FIGSIZE)
    if points.empty:
        return empty_message(
            ax, f"Not enough top-5 choices yet: each value needs at least {k} people."
        )
    values = points[points["value"] != OTHER].head(top)
    other = points[points["value"] == OTHER]
    shown = pd.concat([values, other], ignore_index=True)
    rows = list(reversed(range(len(shown))))  # first row at the top
    colours = [GREY if v == OTHER else BLUE for v in shown["value"]]
    labels = [f"{OTHER} (smaller groups)" if v == OTHER else v for v in shown["value"]]
    bars = ax.barh(rows, shown["points"], color=colours, height=0.7)
    for bar, value in zip(bars, shown["value"], strict=True):
        if value == OTHER:
            bar.set_facecolor(LIGHT_GREY)
            bar.set_hatch("//")
            bar.set_edgecolor(GREY)
    most = float(shown["points"].max())
    for bar, row in zip(bars, shown.itertuples(), strict=True):
        ax.text(
            bar.get_width() + most * 0.01,
            bar.get_y() + bar.get_height() / 2,
            f"{row.points}  ({row.contributors} people)",
            va="center",
            ha="left",
            fontsize="small",
            color=INK,
        )
    ax.set_yticks(rows, labels)
    ax.set_xlim(0, most * 1.3)
    ax.set_xlabel("Points: 5 for a 1st place … 1 for a 5th")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_title(title, loc="left")
    note = (
        f"Values ranked by fewer than {k} people are folded into “{OTHER}”,\n"
        "so no one's choice can be picked out."
    )
    hidden = len(points) - len(other) - len(values)
    if hidden > 0:
        note += f"\nShowing the {len(values)} highest; {hidden} more values not shown."
    footnote(ax, note, below=3.4)
    return ax


def room_values_figure(session: Session, deck: Deck | None = None, top: int = 10) -> Figure:
    """The room's values chart for the projector (k-folded with the session's ``k``)."""
    points, _piles, waiting = published_room_values(session, deck or load_deck())
    with chart_style("projector"):
        fig = Figure(figsize=PROJECTOR_FIGSIZE, layout="constrained")
        room_values_chart(points, session.k, ax=fig.add_subplot(), top=top)
        if waiting:
            fig.suptitle(waiting_note(waiting, session.k), x=0.98, ha="right", fontsize="small")
    return fig


# -- the couple's page ------------------------------------------------------------------
LINE_SPACING = 1.45  # a list page: lines a little apart, no extra space between items
HEADING = {"size": 13, "above": 0.1, "below": 0.06}
FOOTNOTE_ROOM = 0.3  # inches kept at the foot of the page for the closing note


def _pile(pile) -> str:
    return PILE_LABELS.get(pile, "not sorted").lower()


def _list(page: Page, items: list[str], limit: int, empty: str) -> None:
    if not items:
        page.text(empty, colour=GREY, indent=0.15)
        return
    for text in items[:limit]:
        page.text("•  " + text, indent=0.15, hang=0.17)
    if len(items) > limit:
        page.text(f"…and {len(items) - limit} more.", colour=GREY, indent=0.15)


def couple_values_page(
    comparison: CoupleComparison,
    deck: Deck,
    couple_code: str,
    subtitle: str = "",
    paper: str = "A4",
) -> Figure:
    """One printable page (portrait, print style) of a couple's shared values.

    Shows what both hold very important (marked when in both top 5s), each partner's
    top five, values placed a step apart, the biggest differences, the agreement figure
    and three to five prompts to talk about. When a partner skipped the sort, the page
    says so kindly and keeps to what can be shown.
    """
    size = paper_size(paper)
    with chart_style("print"):
        page = Page(fig=Figure(figsize=size), spacing=LINE_SPACING, after=0.0, size=10)
        page.text("Our shared values", size=22, weight="bold")
        page.text(
            f"Couple {couple_code}" + (f"  ·  {subtitle}" if subtitle else ""), size=10, colour=GREY
        )
        page.space(0.1)
        if comparison.both_sorted:
            _both_sorted(page, comparison, deck)
        else:
            _someone_skipped(page, comparison, deck)
        page.heading("To talk about together", colour=BLUE, **HEADING)
        foot = page.height - page.margin - FOOTNOTE_ROOM
        for n, prompt in enumerate(choose_prompts(comparison, deck), start=1):
            line = f"{n}.  {prompt}"
            if n > 1 and page.y + page.height_of(line, indent=0.15, hang=0.2) > foot - 0.05:
                break  # a full page keeps the prompts that fit, never runs into the note
            page.text(line, indent=0.15, hang=0.2)
            page.space(0.04)
        page.y = foot
        page.text(
            "Differences in values are normal in close couples, and values can change over "
            "the years. This page is yours: it holds your answers only.",
            size=8,
            colour=GREY,
        )
    return page.fig


def _top_fives(page: Page, comparison: CoupleComparison) -> None:
    table = comparison.table
    start = page.y
    lowest = start
    for column, partner in enumerate(PARTNERS):
        page.y = start
        half = page.text_width / 2
        x = column * half
        page.text(f"Partner {partner}'s top five", weight="bold", indent=x, width=half)
        ranked = table.dropna(subset=[f"rank_{partner.lower()}"]).sort_values(
            f"rank_{partner.lower()}"
        )
        if ranked.empty:
            page.text("(not ranked)", colour=GREY, indent=x + 0.15, width=half - 0.15)
        for row in ranked.itertuples():
            page.text(
                f"{int(getattr(row, f'rank_{partner.lower()}'))}.  {row.value}",
                indent=x + 0.15,
                width=half - 0.15,
                hang=0.2,
            )
        lowest = max(lowest, page.y)
    page.y = lowest


def _both_sorted(page: Page, comparison: CoupleComparison, deck: Deck) -> None:
    page.heading("What you both hold very important", colour=GREEN, **HEADING)
    shared = [
        f"{r.value}" + ("   ★ in both your top fives" if r.both_top5 else "")
        for r in comparison.shared.itertuples()
    ]
    _list(
        page,
        shared,
        10,
        "No card landed in both of your very-important piles this time. "
        "That is worth a gentle conversation: where do your important piles meet?",
    )
    page.space(0.08)
    _top_fives(page, comparison)
    page.heading("Placed a little differently", colour=BLUE, **HEADING)
    different = [
        f"{r.value}: {_pile(r.pile_a)} to A, {_pile(r.pile_b)} to B"
        for r in comparison.placed_differently.itertuples()
    ]
    _list(page, different, 6, "Every card you both sorted landed in the same pile or far apart.")
    page.heading("Where you differ most", colour=VERMILLION, **HEADING)
    divergent = [
        f"{r.value}: {_pile(r.pile_a)} to A, {_pile(r.pile_b)} to B"
        for r in comparison.divergent.itertuples()
    ]
    _list(
        page,
        divergent,
        6,
        "No value was very important to one of you and not important to the other.",
    )
    page.space(0.1)
    page.text(
        f"You put {comparison.n_same} of the {comparison.n_compared} cards you both sorted in the "
        f"same pile ({comparison.agreement:.0%}).",
        weight="bold",
    )


def _someone_skipped(page: Page, comparison: CoupleComparison, deck: Deck) -> None:
    page.heading("Your values", colour=GREEN, **HEADING)
    if not comparison.sorted_a and not comparison.sorted_b:
        page.text(
            "You did not sort the value cards in the workshop, and that is completely "
            "fine. If you would like to, sort them at home, each on your own, and then "
            "compare: the questions below are a good place to start."
        )
        return
    sorter = "A" if comparison.sorted_a else "B"
    other = "B" if sorter == "A" else "A"
    page.text(
        f"Partner {other} did not sort the cards this time, and that is completely fine: "
        "taking part is always a choice. There is nothing to compare yet, so this page "
        f"shows what partner {sorter} chose. You could go through the cards together "
        "at home and see where you meet."
    )
    page.space(0.08)
    column = f"rank_{sorter.lower()}"
    ranked = comparison.table.dropna(subset=[column]).sort_values(column)
    page.text(f"Partner {sorter}'s top five", weight="bold")
    items = [f"{int(getattr(r, column))}.  {r.value}" for r in ranked.itertuples()]
    if items:
        for item in items:
            page.text(item, indent=0.15)
    else:
        very = comparison.table[comparison.table[f"pile_{sorter.lower()}"] == "very"]
        _list(page, very["value"].tolist(), 10, "(no cards in the very-important pile yet)")


def couple_values_figure(session: Session, couple_code: str, paper: str = "A4") -> Figure:
    """The couple's shared-values page, read from the session (for the take-home pack).

    Holds this couple's data only; says kindly when a partner skipped the sort.
    """
    deck = load_deck()
    code, _ = session.check_participant(couple_code, "A")
    comparison = couple_comparison(session, code, deck)
    return couple_values_page(
        comparison, deck, code, f"{session.title}, {session.date}", paper=paper
    )


__all__ = [
    "couple_values_figure",
    "couple_values_page",
    "room_values_chart",
    "room_values_figure",
]
