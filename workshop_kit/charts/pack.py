"""Pages of a couple's take-home pack, and of the facilitator's room summary (print style).

Each function builds one printed page (a :class:`~matplotlib.figure.Figure` exactly the
size of the paper) and returns it; nothing here writes a file (that is
:mod:`workshop_kit.export.packs`). Pages are laid out by hand, top to bottom, in inches,
so they render fast and the same way every time.

A couple's pages take the tables of :mod:`workshop_kit.couple`, which already apply the
consent rule, and hold that couple's data only. Missing data is said in plain words on
the page, never left as empty axes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from .checkin import couple_themes, room_before_after, total_against_cutoff
from .ios import ios_before_after
from .page import Page, long_date
from .style import (
    BLUE,
    GREEN,
    GREY,
    INK,
    chart_style,
)

PHASE_WORDS = {"before": "at the start of the day", "after": "at the end of the day"}


@dataclass(frozen=True)
class CoupleFacts:
    """What every page of one couple's pack needs to know."""

    couple_code: str
    session_title: str
    session_date: str
    show_individual: bool

    @property
    def details(self) -> tuple[str, str, str]:
        """The line under each page's title: the couple, the session and its date."""
        return f"Couple {self.couple_code}", self.session_title, long_date(self.session_date)


# -- cover and support -------------------------------------------------------------------
def cover_page(facts: CoupleFacts, contents: list[str], paper: str = "A4") -> Figure:
    """The first page: the session, the date, the couple's code and what is inside."""
    with chart_style("print"):
        page = Page(paper)
        page.space(1.6)
        page.text("Our take-home pack", size=30, weight="bold", colour=BLUE, after=0.15)
        page.text(facts.session_title, size=16, after=0.05)
        page.text(long_date(facts.session_date), size=13, colour=GREY, after=0.4)
        page.text(f"Couple {facts.couple_code}", size=20, weight="bold", after=0.5)
        page.text(
            "Thank you for giving this day to each other. These pages gather what the two of "
            "you noticed, shared and planned today. They are yours alone: keep them "
            "somewhere you will both see them, and come back to them in a few weeks.",
            size=13,
            after=0.4,
        )
        page.text("Inside", size=14, weight="bold", after=0.06)
        for item in contents:
            page.text(f"•  {item}", size=12, indent=0.2, after=0.04)
        page.footer("Couples Workshop Kit  ·  this pack holds your own answers only")
    return page.fig


SUPPORT_INTRO = (
    "Every couple goes through hard seasons, and asking for help is a sign of care, not of "
    "failure. If something from today stays with you, talking it through with someone "
    "outside the relationship can make a real difference."
)
SUPPORT_EMERGENCY = (
    "If you or anyone else is in danger, or you feel unsafe at home, contact your local "
    "emergency services straight away. You do not have to wait for a good moment."
)
SUPPORT_NONE = (
    "Your facilitator did not list local services for this session. A family doctor, a "
    "local counselling service or a helpline is a good place to start."
)


def support_page(facts: CoupleFacts, resources: list[dict[str, str]], paper: str = "A4") -> Figure:
    """ "Where to find support": the session's local resources and a kind general word."""
    with chart_style("print"):
        page = Page(paper)
        page.header("Where to find support", *facts.details)
        page.text(SUPPORT_INTRO, size=12, after=0.2)
        page.heading("Near you", colour=GREEN)
        if not resources:
            page.text(SUPPORT_NONE, size=12)
        for res in resources:
            page.text(res["name"], size=12.5, weight="bold", after=0.02)
            if res.get("contact"):
                page.text(res["contact"], size=12, colour=BLUE, indent=0.25, after=0.02)
            if res.get("note"):
                page.text(res["note"], size=11, indent=0.25, after=0.02)
            page.space(0.12)
        page.heading("In an emergency", colour=INK)
        page.text(SUPPORT_EMERGENCY, size=12, weight="bold")
        page.footer("You can ask your facilitator about any of these, today or later.")
    return page.fig


# -- check-in pages ----------------------------------------------------------------------
def _phase_status(table: pd.DataFrame, phase: str) -> str:
    """``none``, ``both``, ``both_private`` (both answered, not shown: a partner did not
    agree), ``one`` (one partner, shown) or ``one_private`` for a phase."""
    rows = table[table["phase"] == phase] if not table.empty else table
    if rows.empty or rows["n_partners"].max() == 0:
        return "none"
    if rows["n_partners"].max() >= 2:
        return "both" if rows["couple_mean"].notna().any() else "both_private"
    return "one" if rows["couple_mean"].notna().any() else "one_private"


def checkin_notes(table: pd.DataFrame, what: str = "check-in") -> list[str]:
    """Plain sentences about what is missing from a couple's scores, for the page.

    ``table`` is :func:`workshop_kit.couple.couple_scores`.

    >>> t = pd.DataFrame({"phase": ["before"], "subscale": ["x"], "partner_a": [float("nan")],
    ...     "partner_b": [float("nan")], "couple_mean": [3.0], "n_partners": [2]})
    >>> checkin_notes(t)[0].startswith("You took the check-in at the start")
    True
    """
    status = {phase: _phase_status(table, phase) for phase in ("before", "after")}
    shown = {phase: s in ("both", "one") for phase, s in status.items()}
    if status["before"] == status["after"] == "none":
        return [
            f"We have no {what} answers from the two of you, so there is nothing to draw "
            "here. That is completely fine: taking part is always a choice."
        ]
    notes = []
    if shown["before"] and status["after"] == "none":
        notes.append(
            f"You took the {what} at the start of the day only, so this shows where "
            'you began. There is no "after" to compare with, and that is fine.'
        )
    if shown["after"] and status["before"] == "none":
        notes.append(
            f"You took the {what} at the end of the day only, so there is no "
            '"before" to compare with; this shows where you finished.'
        )
    for phase in ("before", "after"):
        if status[phase] == "one":
            notes.append(
                f"Only one of you answered the {what} {PHASE_WORDS[phase]}, so the "
                f'"{phase}" marks show that one set of answers, not the two of you together.'
            )
        elif status[phase] == "one_private":
            notes.append(
                f"Only one of you answered the {what} {PHASE_WORDS[phase]}, and those "
                f'answers stay private, so there are no "{phase}" marks.'
            )
    private = [phase for phase in ("before", "after") if status[phase] == "both_private"]
    if private:
        when = (
            "at the start and at the end of the day"
            if len(private) == 2
            else PHASE_WORDS[private[0]]
        )
        marks = (
            "there is nothing to draw here"
            if not any(shown.values())
            else f'there are no "{private[0]}" marks'
        )
        notes.append(
            f"You both answered the {what} {when}. Showing those answers needs a yes from "
            f"both of you, and one of you chose to keep theirs private, so {marks}. "
            "That is completely fine."
        )
        if not any(shown.values()):
            return notes
    if not any(shown.values()):
        notes.append(
            "So there is nothing to draw here, and that is fine: taking part is always a choice."
        )
    return notes


def consent_note(show_individual: bool) -> str:
    if show_individual:
        return (
            "You both agreed to show your own answers, so each of you has a small mark "
            "for the end of the day as well (A: circle, B: square)."
        )
    return (
        "The marks show only answers that their owner agreed to share. Your own answers "
        "stay private unless you both agree to share them."
    )


def connection_page(
    facts: CoupleFacts, table: pd.DataFrame, names: dict[str, str], paper: str = "A4"
) -> tuple[Figure, bool]:
    """Connection before and after, theme by theme. Returns the page and whether it has a chart.

    ``table`` is :func:`workshop_kit.couple.couple_scores` of the check-in themes.
    """
    with chart_style("print"):
        page = Page(paper)
        page.header("Our connection, before and after", *facts.details)
        page.text(
            "For each theme, how true the check-in statements felt for you: the grey "
            "circle at the start of the day, the blue diamond at the end.",
            size=11.5,
        )
        notes = checkin_notes(table)
        for note in notes:
            page.text(note, size=11.5, colour=BLUE)
        drawn = not table.empty and table["couple_mean"].notna().any()
        if drawn:
            page.text(consent_note(facts.show_individual), size=10, colour=GREY)
            page.space(0.1)
            height = min(6.6, page.height - page.y - 1.6)
            ax = page.axes(height, left=2.45, right=0.15)
            couple_themes(table, names, ax=ax, title="")
            # a legend entry only for marks that are drawn (no "after" entry without one)
            handles, labels = zip(
                *[
                    (h, lab)
                    for h, lab in zip(*ax.get_legend_handles_labels())
                    if len(h.get_offsets())
                ]
            )
            ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.4, -0.07), ncol=2)
            page.space(0.8)
        page.footer(
            "A low score is not a verdict: it shows where a little attention may "
            "help. The next-steps page has ideas."
        )
    return page.fig, drawn


def closeness_page(
    facts: CoupleFacts,
    ios_table: pd.DataFrame,
    totals: list[tuple[object, pd.DataFrame]],
    paper: str = "A4",
) -> Figure:
    """How close we feel (the circles) and any published measure in use, such as the CSI-4.

    ``ios_table`` and each table of ``totals`` (``(instrument, table)``) are
    :func:`workshop_kit.couple.couple_scores`.
    """
    with chart_style("print"):
        page = Page(paper)
        page.header("How close we feel", *facts.details)
        page.text(
            "You each chose the pair of circles that best shows how close you feel, "
            "from 1 (apart) to 7 (almost one). These are the two of you on average.",
            size=11.5,
        )
        for note in checkin_notes(ios_table, "circles question"):
            page.text(note, size=11.5, colour=BLUE)
        by_phase = {}
        if not ios_table.empty:
            by_phase = ios_table.set_index("phase")["couple_mean"].to_dict()
        if any(_present(by_phase.get(p)) for p in ("before", "after")):
            ios_before_after(
                by_phase.get("before"),
                by_phase.get("after"),
                ax=page.axes(2.9, left=0.6, right=0.6),
            )
            page.space(0.2)
        for instrument, table in totals:
            page.heading(instrument.name, colour=BLUE)
            cut = next((b.below for b in instrument.cutoffs if b.below is not None), None)
            page.text(
                f"A short, widely used measure of how satisfied you feel together "
                f"({instrument.total_min:g} to {instrument.total_max:g}; higher is more "
                "satisfied)."
                + (
                    f" Scores under {cut:g} are common when a relationship is going through "
                    "a hard time, and are a good reason to talk with someone: see the "
                    "support page."
                    if cut is not None
                    else ""
                ),
                size=11,
            )
            for note in checkin_notes(table, instrument.name):
                page.text(note, size=11, colour=BLUE)
            if (
                not table.empty
                and table[["couple_mean", "partner_a", "partner_b"]].notna().any().any()
            ):
                page.text(
                    consent_note(facts.show_individual).replace(
                        " for the end of the day as well (A: circle, B: square)", ""
                    ),
                    size=10,
                    colour=GREY,
                )
                page.space(0.25)
                ax = total_against_cutoff(table, instrument, ax=page.axes(1.7, left=0.6))
                ax.set_title("", loc="left")
                # room for a mark at either end of the range
                ax.set_xlim(instrument.total_min - 0.6, instrument.total_max + 0.6)
        page.footer("These numbers describe one day. They can, and often do, change.")
    return page.fig


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


# -- the facilitator's room summary --------------------------------------------------------
def room_summary_pages(
    session_title: str,
    session_date: str,
    k: int,
    received: pd.DataFrame,
    change: pd.DataFrame,
    measures: list[tuple[str, str, dict, tuple]],
    paper: str = "A4",
) -> list[Figure]:
    """The room's before and after for the facilitator, k-suppressed.

    The first measure (the check-in themes) fills the first page; the one-line measures
    (closeness circles, totals) share the second. ``change`` is
    :func:`workshop_kit.results.room_change`; ``measures`` lists
    ``(measure id, name, subscale names, scale)``. No couple code, partner or note appears.
    """
    pages = []
    with chart_style("print"):
        first = Page(paper)
        first.header("Room summary", *_room_details(session_title, session_date))
        for row in received.itertuples():
            first.text(
                f"Check-ins {PHASE_WORDS[row.phase]}: {row.received} of {row.participants} people.",
                size=11.5,
                after=0.02,
            )
        first.text(
            f"Averages only. Any theme with fewer than {k} people who answered "
            "both before and after is hidden, so no one can be picked out.",
            size=11.5,
            colour=GREY,
            after=0.1,
        )
        _room_measure(first, change, measures[0], k, row_height=0.42)
        pages.append(first)
        if len(measures) > 1:
            second = Page(paper)
            second.header(
                "Room summary: closeness and satisfaction",
                *_room_details(session_title, session_date),
            )
            for measure in measures[1:]:
                _room_measure(second, change, measure, k, row_height=0.9)
                second.space(0.3)
            pages.append(second)
        for page in pages:
            page.footer("Facilitator copy: aggregates only, safe to share with the room.")
    return [page.fig for page in pages]


def _room_details(session_title: str, session_date: str) -> tuple[str, str, str]:
    return session_title, long_date(session_date), "for the facilitator"


def _room_measure(
    page: Page, change: pd.DataFrame, measure: tuple, k: int, row_height: float
) -> None:
    measure_id, name, names, scale = measure
    mine = change[change["measure"] == measure_id] if not change.empty else change
    shown = mine[~mine["suppressed"].astype(bool)] if not mine.empty else mine
    if shown.empty:
        page.heading(name, colour=BLUE)
        page.text(
            f"Fewer than {k} people have answered both before and after, so there is "
            "nothing to show.",
            size=12,
        )
        return
    page.space(0.95)  # the chart's title and legend sit above its axes
    height = min(page.height - page.y - 1.4, row_height * len(shown) + 0.4)
    ax = page.axes(height, left=2.3, right=1.6)
    room_before_after(
        mine, names, k, ax=ax, scale=scale, title=name, note_left=page.margin / page.width
    )
    page.space(0.55)  # the note under the axes
