"""The words and numbers of a couple's take-home pack, as one JSON document for Typst.

:func:`pack_document` gathers everything one couple's pack shows, page by page, into a
plain dict that ``workshop_kit/templates/pack.typ`` lays out: the cover, connection
before and after (a chart), how close we feel (the circles and any published measure such
as the CSI-4), the shared values, the appreciation card, the next steps and where to find
support. The template holds layout only; every sentence is here or in the content files.

A page is ``{"kind": "flow", "footer": ..., "blocks": [...]}`` (or ``"card"`` for the
appreciation card). :class:`Sheet` writes the blocks: titles, text, headings with a rule,
lists, columns, the week of rituals and charts. A chart is a matplotlib Figure sized to
its place on the page, written as SVG with its text kept as text, with alt text saying
what it shows.

The tables come from :mod:`workshop_kit.couple`, which already applies the consent rule:
this module shows what it is given and decides nothing about who may see what.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from ..charts.page import long_date
from ..charts.style import (
    BLUE,
    GREEN,
    INK,
    LIGHT_GREY,
    PARTNER_COLOURS,
    PHASE_COLOURS,
    VERMILLION,
    chart_style,
    paper_name,
    paper_size,
)
from ..session import PARTNERS, Session
from .typeset import figure_svg, installed_families, uncovered

MUTED = "#6B6B6B"  # small grey print: dark enough to read on paper (4.5:1 on white)
COLOURS = {
    "ink": INK,
    "muted": MUTED,
    "rule": LIGHT_GREY,
    "accent": BLUE,
    "week_fill": "#E8F1F8",
    "card_accent": "#C8553D",
    "card_fill": "#FFF9F2",
    "blue": BLUE,
    "vermillion": VERMILLION,
}
TYPST_PAPER = {"A4": "a4", "Letter": "us-letter"}
LARGE_PRINT = 1.6  # large print: every size times this, and never under 18 pt
LARGE_PRINT_MIN = 18.0
PHASE_WORDS = {"before": "at the start of the day", "after": "at the end of the day"}


# -- the document ----------------------------------------------------------------------
@dataclass
class Look:
    """How printed pages look: paper, large print, and a programme's own name and footer."""

    paper: str = "A4"
    large: bool = False
    programme: str = "Couples Workshop Kit"
    footer: str = ""
    accent: str = BLUE
    logo_svg: str | None = None

    def __post_init__(self):
        self.paper = paper_name(self.paper)

    @property
    def width(self) -> float:
        return paper_size(self.paper)[0]

    def size(self, points: float) -> float:
        """A type size as printed: large print makes it bigger, never under 18 pt."""
        return max(points * LARGE_PRINT, LARGE_PRINT_MIN) if self.large else points


def document(title: str, pages: list[dict], look: Look, corner: str = "") -> dict:
    """The JSON document a template reads: the pages plus language, fonts, colours, paper."""
    programme = {"name": look.programme, "footer": look.footer}
    if look.logo_svg:
        programme["logo"] = look.logo_svg
    return {
        "lang": "en",
        "title": title,
        "paper": TYPST_PAPER[look.paper],
        "large": look.large,
        "fonts": list(installed_families()) or ["DejaVu Sans"],
        "colours": {**COLOURS, "accent": look.accent},
        "corner": corner,
        "programme": programme,
        "pages": pages,
    }


@dataclass
class Sheet:
    """The blocks of one flowing page, written top to bottom.

    Sizes are in points, distances in inches (as on the matplotlib pages before).
    """

    look: Look
    footer: str = ""
    margin: float = 0.75
    blocks: list[dict] = field(default_factory=list)

    @property
    def text_width(self) -> float:
        return self.look.width - 2 * self.margin

    def title(self, text: str, size: float = 22, colour: str = INK, after: float = 0.02):
        self.blocks.append(
            {"t": "title", "text": text, "size": size, "colour": colour, "after": after}
        )

    def header(self, title: str, *details: str) -> None:
        """A page's title, with its details in small grey type below, joined by dots."""
        self.title(title)
        self.blocks.append({"t": "details", "parts": list(details), "size": 10, "after": 0.25})

    def text(
        self,
        message: str,
        size: float = 11,
        weight: str = "regular",
        colour: str = INK,
        indent: float = 0.0,
        after: float = 0.08,
        hang: float = 0.0,
        style: str = "normal",
    ) -> None:
        self.blocks.append(
            {
                "t": "text",
                "text": message,
                "size": size,
                "weight": weight,
                "colour": colour,
                "indent": indent,
                "after": after,
                "hang": hang,
                "style": style,
                "rtl": is_rtl(message),
            }
        )

    def heading(
        self, message: str, colour: str = INK, size: float = 14, above=0.12, below=0.1
    ) -> None:
        self.blocks.append(
            {
                "t": "heading",
                "text": message,
                "colour": colour,
                "size": size,
                "above": above,
                "below": below,
            }
        )

    def bullets(self, items: list[str], size: float = 11, indent: float = 0.15, after=0.08):
        self.blocks.append(
            {"t": "list", "items": items, "size": size, "indent": indent, "after": after}
        )

    def numbered(
        self,
        items: list[str],
        numbers: list[int] | None = None,
        size: float = 11,
        indent: float = 0.15,
        weight: str = "regular",
        after: float = 0.08,
    ) -> None:
        numbers = numbers or list(range(1, len(items) + 1))
        self.blocks.append(
            {
                "t": "list",
                "items": items,
                "numbers": numbers,
                "size": size,
                "indent": indent,
                "weight": weight,
                "after": after,
            }
        )

    def space(self, inches: float) -> None:
        self.blocks.append({"t": "space", "h": inches})

    def columns(self, *sheets: Sheet, gutter: float = 0.3, after: float = 0.08) -> None:
        self.blocks.append(
            {"t": "columns", "cols": [s.blocks for s in sheets], "gutter": gutter, "after": after}
        )

    def chart(self, fig: Figure, alt: str, left: float = 0.0, after: float = 0.1) -> None:
        """A chart (its Figure already the size it takes on the page), with its alt text."""
        width, height = fig.get_size_inches()
        self.blocks.append(
            {
                "t": "chart",
                "svg": figure_svg(fig),
                "width": float(width),
                "height": float(height),
                "left": left,
                "alt": alt,
                "after": after,
            }
        )

    def page(self, **extra) -> dict:
        return {
            "kind": "flow",
            "footer": self.footer,
            "margin": self.margin,
            "blocks": self.blocks,
            **extra,
        }


def is_rtl(text: str) -> bool:
    """Whether a paragraph starts in a right-to-left script (it is then set right-aligned)."""
    from ..charts.text import base_direction

    return base_direction(text) == "R"


def chart_figure(look: Look, width: float, height: float, left=0.0, right=0.0, bottom=0.0, top=0.0):
    """A Figure ``width`` × ``height`` inches with one Axes inset by the given inches."""
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes(
        (left / width, bottom / height, 1 - (left + right) / width, 1 - (bottom + top) / height)
    )
    return fig, ax


def chart_rc(look: Look) -> dict:
    """The print chart style, with large print's bigger type where asked."""
    from ..charts.style import rc

    style = rc("print")
    if look.large:
        # 22 pt, so that even matplotlib's "small" (0.833 of it) is at least 18 pt
        for key in (
            "font.size",
            "axes.labelsize",
            "xtick.labelsize",
            "ytick.labelsize",
            "legend.fontsize",
            "axes.titlesize",
        ):
            style[key] = 22
    return style


# -- what every page of one couple's pack knows -----------------------------------------
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


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


# -- cover and support -------------------------------------------------------------------
COVER_WELCOME = (
    "Thank you for giving this day to each other. These pages gather what the two of "
    "you noticed, shared and planned today. They are yours alone: keep them "
    "somewhere you will both see them, and come back to them in a few weeks."
)


def cover_page(facts: CoupleFacts, contents: list[str], look: Look) -> dict:
    """The first page: the session, the date, the couple's code and what is inside."""
    s = Sheet(look, footer=f"{look.programme}  ·  this pack holds your own answers only")
    s.space(1.6 - 0.75)
    s.title("Our take-home pack", size=30, colour=look.accent, after=0.15)
    s.text(facts.session_title, size=16, after=0.05)
    s.text(long_date(facts.session_date), size=13, colour=MUTED, after=0.4)
    s.text(f"Couple {facts.couple_code}", size=20, weight="bold", after=0.5)
    s.text(COVER_WELCOME, size=13, after=0.4)
    s.text("Inside", size=14, weight="bold", after=0.06)
    s.bullets(contents, size=12, indent=0.2)
    return s.page(logo=True)


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


def support_page(facts: CoupleFacts, resources: list[dict[str, str]], look: Look) -> dict:
    """ "Where to find support": the session's local resources and a kind general word."""
    s = Sheet(look, footer="You can ask your facilitator about any of these, today or later.")
    s.header("Where to find support", *facts.details)
    s.text(SUPPORT_INTRO, size=12, after=0.2)
    s.heading("Near you", colour=GREEN)
    if not resources:
        s.text(SUPPORT_NONE, size=12)
    for res in resources:
        s.text(res["name"], size=12.5, weight="bold", after=0.02)
        if res.get("contact"):
            s.text(res["contact"], size=12, colour=BLUE, indent=0.25, after=0.02)
        if res.get("note"):
            s.text(res["note"], size=11, indent=0.25, after=0.02)
        s.space(0.12)
    s.heading("In an emergency", colour=INK)
    s.text(SUPPORT_EMERGENCY, size=12, weight="bold")
    return s.page()


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


def _number(value) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if _present(value) else "not answered"


def themes_alt(table: pd.DataFrame, names: dict[str, str]) -> str:
    """Alt text of the connection chart: every theme's before and after, in words."""
    wide = table.pivot_table(index="subscale", columns="phase", values="couple_mean")
    parts = []
    for sub, name in names.items():
        if sub not in wide.index:
            continue
        row = wide.loc[sub]
        parts.append(
            f"{name}: {_number(row.get('before'))} at the start, "
            f"{_number(row.get('after'))} at the end"
        )
    return (
        "Chart of your check-in themes, from 1 (not true for us) to 5 (very true for us). "
        + "; ".join(parts)
        + "."
    )


def connection_page(
    facts: CoupleFacts, table: pd.DataFrame, names: dict[str, str], look: Look
) -> dict:
    """Connection before and after, theme by theme (``table``: couple_scores of the themes)."""

    s = Sheet(
        look,
        footer="A low score is not a verdict: it shows where a little attention may "
        "help. The next-steps page has ideas.",
    )
    s.header("Our connection, before and after", *facts.details)
    s.text(
        "For each theme, how true the check-in statements felt for you: the grey "
        "circle at the start of the day, the blue diamond at the end.",
        size=11.5,
    )
    for note in checkin_notes(table):
        s.text(note, size=11.5, colour=BLUE)
    drawn = not table.empty and table["couple_mean"].notna().any()
    if drawn:
        s.text(consent_note(facts.show_individual), size=10, colour=MUTED)
        s.space(0.1)
        s.blocks.append(themes_block(table, names))
    return s.page()


MARKS = {
    "before": {"shape": "circle", "colour": PHASE_COLOURS["before"], "size": 17.3},
    "after": {"shape": "diamond", "colour": PHASE_COLOURS["after"], "size": 17.0},
    "a": {"shape": "circle", "colour": PARTNER_COLOURS["A"], "size": 7.7, "edge": False},
    "b": {"shape": "square", "colour": PARTNER_COLOURS["B"], "size": 7.0, "edge": False},
}


def _value(value) -> float | None:
    return float(value) if _present(value) else None


def themes_block(table: pd.DataFrame, names: dict[str, str], scale=(1, 5)) -> dict:
    """The connection chart, drawn by the template: a dumbbell per theme, before to after.

    The couple's "before" (grey circle) and "after" (blue diamond); each partner's "after"
    too (A: circle, B: square) where the table has them (both consented). The legend names
    only marks that are drawn.
    """
    wide = table.pivot_table(index="subscale", columns="phase", values="couple_mean")
    wide = wide.reindex(columns=["before", "after"])
    after = table[table["phase"] == "after"].set_index("subscale")
    rows = []
    for sub, name in names.items():
        if sub not in wide.index:
            continue
        row = {
            "name": name,
            "before": _value(wide.loc[sub, "before"]),
            "after": _value(wide.loc[sub, "after"]),
            "a": None,
            "b": None,
        }
        if sub in after.index:
            row["a"] = _value(after.loc[sub, "partner_a"])
            row["b"] = _value(after.loc[sub, "partner_b"])
        rows.append(row)
    legend = []
    for key, label in (
        ("before", "Before (the two of you)"),
        ("after", "After (the two of you)"),
        ("a", "Partner A, after"),
        ("b", "Partner B, after"),
    ):
        if any(r[key] is not None for r in rows):
            legend.append({**MARKS[key], "label": label})
    return {
        "t": "dumbbell",
        "lo": scale[0],
        "hi": scale[1],
        "pad": 0.2,
        "row": 0.48,
        "rows": rows,
        "marks": MARKS,
        "legend": legend,
        "xlabel": "1 = not true for us   ·   5 = very true for us",
        "alt": themes_alt(table, names),
        "after": 0.1,
    }


def pairs_block(before, after) -> dict:
    """The closeness circles, drawn by the template: the pair chosen before and after."""
    from ..charts.ios import LABEL_GAP, LABEL_ROOM, LEVELS, pair_geometry

    pairs = []
    for word, value in (("Before", before), ("After", after)):
        if _present(value):
            radius, distance = pair_geometry(float(value))
            pairs.append(
                {
                    "radius": radius,
                    "distance": distance,
                    "label": f"{word}: {float(value):g} of {LEVELS}",
                }
            )
        else:
            pairs.append(
                {"radius": None, "distance": None, "label": word, "missing": "not answered"}
            )
    return {
        "t": "pairs",
        "unit": 0.5,
        "label_room": LABEL_ROOM,
        "label_gap": LABEL_GAP,
        "me": "Me",
        "partner": "My partner",
        "pairs": pairs,
        "alt": (
            "Two pairs of circles; the closer they overlap, the closer you feel. "
            f"At the start of the day: {_number(before)} of {LEVELS}. "
            f"At the end: {_number(after)} of {LEVELS}."
        ),
        "after": 0.35,
    }


def _rc(look: Look):
    import matplotlib as mpl

    return mpl.rc_context(chart_rc(look))


def closeness_page(
    facts: CoupleFacts,
    ios_table: pd.DataFrame,
    totals: list[tuple[object, pd.DataFrame]],
    look: Look,
) -> dict:
    """How close we feel (the circles) and any published measure in use, such as the CSI-4."""
    from ..charts.checkin import total_against_cutoff

    s = Sheet(look, footer="These numbers describe one day. They can, and often do, change.")
    s.header("How close we feel", *facts.details)
    s.text(
        "You each chose the pair of circles that best shows how close you feel, "
        "from 1 (apart) to 7 (almost one). These are the two of you on average.",
        size=11.5,
    )
    for note in checkin_notes(ios_table, "circles question"):
        s.text(note, size=11.5, colour=BLUE)
    by_phase = {}
    if not ios_table.empty:
        by_phase = ios_table.set_index("phase")["couple_mean"].to_dict()
    scale = LARGE_PRINT if look.large else 1.0
    if any(_present(by_phase.get(p)) for p in ("before", "after")):
        s.blocks.append(pairs_block(by_phase.get("before"), by_phase.get("after")))
    for instrument, table in totals:
        s.heading(instrument.name, colour=BLUE)
        cut = next((b.below for b in instrument.cutoffs if b.below is not None), None)
        s.text(
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
            s.text(note, size=11, colour=BLUE)
        if not table.empty and table[["couple_mean", "partner_a", "partner_b"]].notna().any().any():
            s.text(
                consent_note(facts.show_individual).replace(
                    " for the end of the day as well (A: circle, B: square)", ""
                ),
                size=10,
                colour=MUTED,
            )
            s.space(0.1)
            with chart_style("print"), _rc(look):
                fig, ax = chart_figure(
                    look,
                    s.text_width - 0.6,
                    3.2 * scale,
                    left=0.9 * scale,
                    right=0.2,
                    bottom=1.15 * scale,
                    top=0.35 * scale,
                )
                total_against_cutoff(table, instrument, ax=ax)
                ax.set_title("", loc="left")
                ax.set_xlim(instrument.total_min - 0.6, instrument.total_max + 0.6)
                if look.large:
                    # at 22 pt the legend and the band's name do not fit beside the
                    # chart: the words above and the alt text say what they said
                    if ax.get_legend() is not None:
                        ax.get_legend().remove()
                    for label in list(ax.texts):
                        if label.get_text().startswith("Below"):
                            label.remove()
                    ax.set_xlabel(f"{instrument.name} total\n(higher is more satisfied)")
                s.chart(fig, total_alt(table, instrument, cut), left=0.6)
    return s.page()


def total_alt(table: pd.DataFrame, instrument, cut) -> str:
    """Alt text of a total's chart: each mark shown on it, in words."""
    marks = []
    for row in table.itertuples():
        phase = "At the start" if row.phase == "before" else "At the end"
        if _present(row.partner_a) or _present(row.partner_b):
            marks.append(
                f"{phase}: partner A {_number(row.partner_a)}, partner B {_number(row.partner_b)}"
            )
    if not marks:  # the cut-off is for one person's total: no shared mark is drawn
        marks.append("No mark is drawn: the line is for one person's total")
    where = f" The shaded part, under {cut:g}, is where hard times often show." if cut else ""
    return (
        f"Chart of the {instrument.name} total from {instrument.total_min:g} to "
        f"{instrument.total_max:g}.{where} " + ". ".join(marks) + "."
    )


# -- shared values -----------------------------------------------------------------------
def _pile(pile) -> str:
    from ..values import PILE_LABELS

    return PILE_LABELS.get(pile, "not sorted").lower()


def _list(s: Sheet, items: list[str], limit: int, empty: str, size: float = 10) -> None:
    if not items:
        s.text(empty, colour=MUTED, indent=0.15, size=size)
        return
    shown = items[:limit]
    if len(items) > limit:
        shown = [*shown]
        s.bullets(shown, size=size, after=0.02)
        s.text(f"…and {len(items) - limit} more.", colour=MUTED, indent=0.15, size=size)
    else:
        s.bullets(shown, size=size)


VALUES_HEADING = {"size": 13, "above": 0.1, "below": 0.06}


def values_page(session: Session, code: str, facts: CoupleFacts, look: Look) -> list[dict]:
    """The couple's shared values: both hold very important, top fives, differences, prompts."""
    from ..values import choose_prompts, load_deck
    from ..values_session import couple_comparison

    deck = load_deck()
    comparison = couple_comparison(session, code, deck)
    s = Sheet(
        look,
        footer="Differences in values are normal in close couples, and values can change over "
        "the years. This page is yours: it holds your answers only.",
    )
    s.header("Our shared values", *facts.details)
    if comparison.both_sorted:
        _both_sorted(s, comparison)
    else:
        _someone_skipped(s, comparison)
    s.heading("To talk about together", colour=BLUE, **VALUES_HEADING)
    s.numbered(list(choose_prompts(comparison, deck)), size=10)
    return [s.page()]


def _top_five(look: Look, comparison, partner: str) -> Sheet:
    col = Sheet(look)
    column = f"rank_{partner.lower()}"
    col.text(f"Partner {partner}'s top five", weight="bold", size=10, after=0.04)
    ranked = comparison.table.dropna(subset=[column]).sort_values(column)
    if ranked.empty:
        col.text("(not ranked)", colour=MUTED, indent=0.15, size=10)
    else:
        col.numbered(
            [str(r.value) for r in ranked.itertuples()],
            [int(getattr(r, column)) for r in ranked.itertuples()],
            size=10,
        )
    return col


def _both_sorted(s: Sheet, comparison) -> None:
    s.heading("What you both hold very important", colour=GREEN, **VALUES_HEADING)
    shared = [
        f"{r.value}" + ("   ★ in both your top fives" if r.both_top5 else "")
        for r in comparison.shared.itertuples()
    ]
    _list(
        s,
        shared,
        10,
        "No card landed in both of your very-important piles this time. "
        "That is worth a gentle conversation: where do your important piles meet?",
    )
    s.space(0.08)
    s.columns(*(_top_five(s.look, comparison, p) for p in PARTNERS))
    s.heading("Placed a little differently", colour=BLUE, **VALUES_HEADING)
    different = [
        f"{r.value}: {_pile(r.pile_a)} to A, {_pile(r.pile_b)} to B"
        for r in comparison.placed_differently.itertuples()
    ]
    _list(s, different, 6, "Every card you both sorted landed in the same pile or far apart.")
    s.heading("Where you differ most", colour=VERMILLION, **VALUES_HEADING)
    divergent = [
        f"{r.value}: {_pile(r.pile_a)} to A, {_pile(r.pile_b)} to B"
        for r in comparison.divergent.itertuples()
    ]
    _list(
        s,
        divergent,
        6,
        "No value was very important to one of you and not important to the other.",
    )
    s.space(0.06)
    s.text(
        f"You put {comparison.n_same} of the {comparison.n_compared} cards you both sorted in the "
        f"same pile ({comparison.agreement:.0%}).",
        weight="bold",
        size=10,
    )


def _someone_skipped(s: Sheet, comparison) -> None:
    s.heading("Your values", colour=GREEN, **VALUES_HEADING)
    if not comparison.sorted_a and not comparison.sorted_b:
        s.text(
            "You did not sort the value cards in the workshop, and that is completely "
            "fine. If you would like to, sort them at home, each on your own, and then "
            "compare: the questions below are a good place to start.",
            size=10,
        )
        return
    sorter = "A" if comparison.sorted_a else "B"
    other = "B" if sorter == "A" else "A"
    s.text(
        f"Partner {other} did not sort the cards this time, and that is completely fine: "
        "taking part is always a choice. There is nothing to compare yet, so this page "
        f"shows what partner {sorter} chose. You could go through the cards together "
        "at home and see where you meet.",
        size=10,
    )
    s.space(0.08)
    column = f"rank_{sorter.lower()}"
    ranked = comparison.table.dropna(subset=[column]).sort_values(column)
    s.text(f"Partner {sorter}'s top five", weight="bold", size=10, after=0.04)
    if not ranked.empty:
        s.numbered(
            [str(r.value) for r in ranked.itertuples()],
            [int(getattr(r, column)) for r in ranked.itertuples()],
            size=10,
        )
    else:
        very = comparison.table[comparison.table[f"pile_{sorter.lower()}"] == "very"]
        _list(s, very["value"].tolist(), 10, "(no cards in the very-important pile yet)")


# -- the appreciation card ------------------------------------------------------------
CARD_SIZES = (14.0, 13.0, 12.0, 11.0, 10.0, 9.0)


@dataclass
class NoteProblem:
    """A shared note holding characters no installed font can draw."""

    couple_code: str
    writer: str
    reader: str
    characters: list[str]

    def message(self) -> str:
        shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in self.characters[:6])
        return (
            f"Couple {self.couple_code}: partner {self.writer}'s note to partner "
            f"{self.reader} has characters no font on this computer can print: {shown}. "
            f"They show as empty boxes on the card. Install fonts that have them "
            f"(on Debian or Ubuntu: {FONT_HINT}) and make the packs again."
        )


FONT_HINT = "sudo apt install fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji"


def printable_note(text: str) -> tuple[str, list[str]]:
    """A note ready to print: an emoji no font has becomes a close symbol; what is left missing.

    Returns the text and the characters no installed font can draw (empty when all print).
    """
    from ..charts.text import SUBSTITUTES

    missing = uncovered(text)
    if not missing:
        return text, []
    out = "".join(SUBSTITUTES[ch] if ch in missing and ch in SUBSTITUTES else ch for ch in text)
    return out, uncovered(out)


def card_page(
    session: Session, code: str, look: Look, problems: list[NoteProblem] | None = None
) -> list[dict]:
    """The couple's appreciation card: their SHARED notes only, A's to B then B's to A."""
    from ..appreciation import load_appreciation, notes

    card = load_appreciation().card
    shared = notes(session, code, shared_only=True)
    names = card["partner_names"]
    groups = []
    for writer in PARTNERS:
        mine = [n for n in shared if n.writer == writer]
        if not mine:
            continue
        items = []
        for n in mine:
            text, missing = printable_note(n.text)
            if missing and problems is not None:
                problems.append(NoteProblem(code, writer, n.to, missing))
            items.append({"text": text, "rtl": is_rtl(text), "colour": PARTNER_COLOURS[writer]})
        groups.append(
            {
                "heading": card["from_to"].format(writer=names[writer], reader=names[mine[0].to]),
                "colour": PARTNER_COLOURS[writer],
                "notes": items,
            }
        )
    return [
        {
            "kind": "card",
            "title": card["title"],
            "subtitle": f"{session.title} · {long_date(session.date)}",
            "groups": groups,
            "sizes": list(CARD_SIZES),
            "nothing_shared": card["nothing_shared"],
            "continued": card["continued"],
            "closing": card["closing"],
            "label": f"Couple {code}",
        }
    ]


# -- next steps ----------------------------------------------------------------------------
WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVERY_DAY = "Every day"


def next_steps_page(
    session: Session, code: str, facts: CoupleFacts, look: Look, lowest: list[str] | None
) -> list[dict]:
    """Our next steps: the rituals plan (or ideas) and each partner's calm-down plan."""
    from .. import exercises as ex

    content = ex.load_exercises()
    steps = ex.next_steps(session, code, lowest, content)
    s = Sheet(
        look,
        margin=0.7,
        footer="This page holds your own plans only. Keep it somewhere you will both see it.",
    )
    s.header("Our next steps", *facts.details)
    _rituals_part(s, steps, content, ex)
    s.space(0.25)
    _calm_down_part(s, steps, content, ex)
    return [s.page()]


def week_block(plan) -> dict:
    """Seven days, each with the numbers and times of the rituals planned on it."""
    per_day: dict[int, list[str]] = {i: [] for i in range(7)}
    for number, planned in enumerate(plan, start=1):
        days = (
            range(7)
            if planned.day == EVERY_DAY
            else [WEEK.index(planned.day)]
            if planned.day in WEEK
            else []
        )
        for day in days:
            per_day[day].append(f"{number} · {planned.time}")
    return {
        "t": "week",
        "days": [
            {"name": name[:3], "full": name, "busy": bool(per_day[i]), "lines": per_day[i]}
            for i, name in enumerate(WEEK)
        ],
        "height": 0.45 + 0.17 * max(1, max(len(v) for v in per_day.values())),
        "after": 0.15,
    }


def _rituals_part(s: Sheet, steps, content, ex) -> None:
    s.heading("Our rituals", colour=BLUE, size=15, above=0.0, below=0.08)
    if steps.plan:
        labels = [ex.ritual_label(p, content.rituals) for p in steps.plan]
        s.text(
            "Small things, done often, keep a couple close. This is what you planned "
            "together today:",
            after=0.12,
        )
        s.blocks.append(week_block(steps.plan))
        for number, (planned, label) in enumerate(zip(steps.plan, labels, strict=True), start=1):
            when = "every day" if planned.day == EVERY_DAY else f"on {planned.day}s"
            s.text(
                f"{number}.  {label}: {when} at {planned.time}",
                size=12,
                weight="bold",
                after=0.02,
                hang=0.25,
            )
            description = (
                "Your own idea, in your own words."
                if planned.ritual == ex.OWN
                else content.rituals.ritual(planned.ritual).description
            )
            s.text(description, indent=0.3, after=0.1)
        s.text(
            "If you miss a week, just pick it up again. No blame; it is still yours.",
            colour=MUTED,
            after=0.1,
        )
        return
    general = steps.ideas and steps.ideas[0].theme == ex.GENERAL
    s.text(
        "You did not make a rituals plan today, and that is fine. "
        + (
            "Here are a few ideas to start with."
            if general
            else "Here are some ideas for the parts of your check-in that might enjoy a "
            "little more time together."
        ),
        after=0.14,
    )
    for idea in steps.ideas:
        if idea.theme_name:
            s.text(idea.theme_name, size=12.5, weight="bold", after=0.03)
        s.text(f"Try this: {idea.try_text}", indent=0.3, after=0.03)
        s.bullets([f"{r.name}: {r.description}" for r in idea.rituals], indent=0.3, after=0.02)
        s.space(0.1)
    s.text("Choose one, put a day and a time on it, and try it for a month.", colour=MUTED)


def _calm_down_part(s: Sheet, steps, content, ex) -> None:
    calm = content.calm_down
    s.heading(
        "When things get heated: our calm-down plans", colour=GREEN, size=15, above=0.0, below=0.08
    )
    s.text(
        "A break is for settling, not for winning, and coming back is part of the "
        "promise. Respect each other's signal.",
        after=0.15,
    )
    cols = []
    for partner in PARTNERS:
        col = Sheet(s.look)
        plan = steps.calm_down.get(partner)
        col.text(
            f"Partner {partner}",
            size=12.5,
            weight="bold",
            colour=PARTNER_COLOURS[partner],
            after=0.05,
        )
        if plan is None:
            lines = [
                "No calm-down plan was made today. You could make one at home while you "
                f"are both calm: a signal, a break of at least {calm.recommended_minimum} "
                "minutes, and how you will come back."
            ]
        else:
            lines = [
                f"My signal: {ex.choice_words(calm.signals, plan.signal, plan.signal_text)}",
                f"My break: {plan.break_minutes} minutes to settle.",
                "Coming back: "
                + ex.choice_words(calm.come_back, plan.come_back, plan.come_back_text),
            ]
        for line in lines:
            col.text(line, after=0.06)
        cols.append(col)
    s.columns(*cols)


# -- plug points -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PackPage:
    """A page of the pack from another part of the kit, with its line on the cover.

    ``build(session, code, facts, look, context)`` returns a list of page dicts (empty
    leaves the page out); ``module`` is imported first, and a part of the kit not installed
    leaves its page out.
    """

    stem: str
    module: str
    contents: str
    build: Callable[..., list[dict]]


# -- the facilitator's room summary ------------------------------------------------------
def room_summary_pages(
    session_title: str,
    session_date: str,
    k: int,
    received: pd.DataFrame,
    change: pd.DataFrame,
    measures: list[tuple[str, str, dict, tuple]],
    look: Look,
) -> list[dict]:
    """The room's before and after for the facilitator, k-suppressed (no couple, no note).

    The first measure (the check-in themes) fills the first page; the one-line measures
    (closeness circles, totals) share the second, whose title names them. ``change`` is
    :func:`workshop_kit.results.room_change`; ``measures`` lists
    ``(measure id, name, subscale names, scale)``.
    """
    footer = "Facilitator copy: aggregates only, safe to share with the room."
    details = (session_title, long_date(session_date), "for the facilitator")
    first = Sheet(look, footer=footer)
    first.header("Room summary", *details)
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
        colour=MUTED,
        after=0.15,
    )
    _room_measure(first, change, measures[0], k, row_height=0.42)
    pages = [first.page(stem="room-themes")]
    if len(measures) > 1:
        second = Sheet(look, footer=footer)
        names = [name for _id, name, _names, _scale in measures[1:]]
        second.header("Room summary: " + " and ".join(names), *details)
        for measure in measures[1:]:
            _room_measure(second, change, measure, k, row_height=0.9)
            second.space(0.3)
        pages.append(second.page(stem="room-measures"))
    return pages


def _room_measure(s: Sheet, change: pd.DataFrame, measure: tuple, k: int, row_height: float):
    from ..charts.checkin import room_before_after

    measure_id, name, names, scale = measure
    mine = change[change["measure"] == measure_id] if not change.empty else change
    shown = mine[~mine["suppressed"].astype(bool)] if not mine.empty else mine
    if shown.empty:
        s.heading(name, colour=BLUE)
        s.text(
            f"Fewer than {k} people have answered both before and after, so there is "
            "nothing to show.",
            size=12,
        )
        return
    top, bottom = 0.95, 0.75  # the title and legend above the axes; the note below
    plot = min(6.4, row_height * len(shown) + 0.4)
    height = top + plot + bottom
    with chart_style("print"), _rc(s.look):
        fig, ax = chart_figure(
            s.look, s.text_width, height, left=2.3, right=1.6, bottom=bottom, top=top
        )
        room_before_after(mine, names, k, ax=ax, scale=scale, title=name, note_left=0.0)
        alt = f"{name}: the room's average before and after. " + "; ".join(
            f"{names.get(r.subscale, r.subscale)}: {r.mean_before:.2f} before, "
            f"{r.mean_after:.2f} after"
            for r in shown.itertuples()
        )
        s.chart(fig, alt + ".", after=0.1)
