"""A printed page written top to bottom: the one layout helper of every pack page.

:class:`Page` holds a Figure exactly the size of the paper and a writing cursor, ``y``
inches from the top edge. Text is wrapped to the column and written at the cursor, which
then moves below it; headings carry a rule; an Axes can be placed at the cursor for a
chart. The take-home pack's own pages (:mod:`workshop_kit.charts.pack`), the shared-values
page (:mod:`workshop_kit.charts.values`) and the next-steps page
(:mod:`workshop_kit.charts.exercises`) all write through it, so margins, wrapping, rules
and footers behave the same on every page.

Wrapping measures each word in the page's font (:func:`workshop_kit.charts.text.wrap`,
with the widths remembered), so a line fills the column and never runs past the margin.
"""

from __future__ import annotations

import re
from datetime import date as Date

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..errors import InputError
from .style import GREY, INK, LIGHT_GREY, paper_size
from .text import FONT, wrap

MARGIN = 0.75
NO_BREAK = "\u00a0"


def long_date(iso: str) -> str:
    """``2026-11-21`` written for people: ``21 November 2026``.

    >>> long_date("2026-03-05")
    '5 March 2026'
    """
    day = Date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


def wrap_to(message: str, width: float, size: float, weight: str = "normal") -> list[str]:
    """``message`` wrapped to lines that fit ``width`` inches at ``size`` points.

    Each word is measured in the page's font (DejaVu Sans, regular or bold). A run of
    spaces (``"1.  Trust"``, ``"Couple AB12  ·  Our day"``) is kept as written, and a line
    never breaks inside it.

    >>> wrap_to("Small things, done often, keep a couple close.", 2.0, 11)
    ['Small things, done often,', 'keep a couple close.']
    >>> wrap_to("1.  Honest talk", 3.0, 10)
    ['1.  Honest talk']
    """
    flat = re.sub(r"\s", " ", message).strip()
    kept = re.sub(r" {2,}", lambda run: NO_BREAK * len(run.group()), flat)
    lines = wrap(kept, width * 72, size, FONT, weight)
    return [line.replace(NO_BREAK, " ") for line in lines] or [""]


class Page:
    """A printed page with a writing cursor that moves down, in inches from the top.

    Parameters
    ----------
    paper : {"A4", "Letter"}, optional
        Make a new Figure of this paper's size; or give ``fig``.
    margin : float
        Left, right and top margin in inches.
    fig : Figure, optional
        Write on this Figure (already the paper's size) instead.
    spacing : float
        Default line spacing (a multiple of the type size).
    after : float
        Default space in inches left below each block of text.
    size : float
        Default type size of body text, in points.

    Examples
    --------
    >>> page = Page("A4")
    >>> page.text("Our next steps", size=22, weight="bold")
    >>> round(page.y, 2)
    1.24
    >>> page.text("A long sentence " * 12, width=3.0, hang=0.2)
    >>> x = [round(float(t.get_position()[0] * page.width), 2) for t in page.fig.texts]
    >>> x   # the title, then the first line at the margin and the rest hanging 0.2 in
    [0.75, 0.75, 0.95, 0.95, 0.95, 0.95, 0.95]
    """

    def __init__(
        self,
        paper: str | None = None,
        margin: float = MARGIN,
        fig: Figure | None = None,
        spacing: float = 1.35,
        after: float = 0.08,
        size: float = 11,
    ):
        if fig is None:
            if paper is None:
                raise InputError("a page needs its paper size ('A4' or 'Letter') or a Figure")
            fig = Figure(figsize=paper_size(paper))
        self.fig = fig
        self.width, self.height = fig.get_size_inches()
        self.margin = margin
        self.spacing = spacing
        self.after = after
        self.size = size
        self.y = margin

    @property
    def text_width(self) -> float:
        """The width of the column between the margins, in inches."""
        return self.width - 2 * self.margin

    def _fy(self, y: float) -> float:
        return 1 - y / self.height

    def _write(self, x: float, lines: list[str], size, weight, colour, spacing) -> None:
        # one Text per line, each at the cursor: the cursor then knows exactly where the
        # block ends (matplotlib's own line spacing for a multi-line Text is a little wider
        # than the type size times ``spacing``, so a block ran into what came after it)
        for line in lines:
            self.fig.text(
                (self.margin + x) / self.width,
                self._fy(self.y),
                line,
                fontsize=size,
                fontweight=weight,
                color=colour,
                ha="left",
                va="top",
            )
            self.y += size * spacing / 72

    def text(
        self,
        message: str,
        size: float | None = None,
        weight: str = "normal",
        colour: str = INK,
        indent: float = 0.0,
        after: float | None = None,
        spacing: float | None = None,
        width: float | None = None,
        hang: float = 0.0,
    ) -> None:
        """Write wrapped text at the cursor and move the cursor below it.

        ``indent`` moves the text in from the left margin; ``width`` is the width of its
        column in inches (by default, to the right margin); ``hang`` moves every line
        after the first a little further in (for numbered and bulleted items).
        """
        size = self.size if size is None else size
        spacing = self.spacing if spacing is None else spacing
        after = self.after if after is None else after
        lines, hung = self._wrapped(message, size, indent, width, hang, weight)
        self._write(indent, lines, size, weight, colour, spacing)
        if hung:
            self._write(indent + hang, hung, size, weight, colour, spacing)
        self.y += after

    def _wrapped(
        self,
        message: str,
        size: float,
        indent: float,
        width: float | None,
        hang: float,
        weight: str = "normal",
    ) -> tuple[list[str], list[str]]:
        """The lines at ``indent``, and those hanging further in (after the first)."""
        column = (self.text_width - indent) if width is None else width
        first, *rest = wrap_to(message, column, size, weight)
        if rest and hang:
            return [first], wrap_to(" ".join(rest), column - hang, size, weight)
        return [first, *rest], []

    def heading(
        self,
        message: str,
        colour: str = INK,
        size: float = 14,
        above: float = 0.12,
        below: float = 0.1,
    ) -> None:
        """A bold heading with a thin rule under it, ``above`` and ``below`` inches apart."""
        self.space(above)
        self.text(message, size=size, weight="bold", colour=colour, after=0.04)
        self.rule()
        self.space(below)

    def height_of(
        self,
        message: str,
        size: float | None = None,
        indent: float = 0.0,
        width: float | None = None,
        hang: float = 0.0,
        spacing: float | None = None,
        weight: str = "normal",
    ) -> float:
        """How far :meth:`text` would move the cursor for ``message`` (without ``after``)."""
        size = self.size if size is None else size
        spacing = self.spacing if spacing is None else spacing
        lines, hung = self._wrapped(message, size, indent, width, hang, weight)
        return (len(lines) + len(hung)) * size * spacing / 72

    def rule(self) -> None:
        """A thin grey line across the column at the cursor."""
        y = self._fy(self.y)
        self.fig.add_artist(
            Line2D(
                [self.margin / self.width, 1 - self.margin / self.width],
                [y, y],
                transform=self.fig.transFigure,
                color=LIGHT_GREY,
                linewidth=1,
            )
        )

    def space(self, inches: float) -> None:
        """Move the cursor down by ``inches``."""
        self.y += inches

    def axes(self, height: float, left: float = 0.0, right: float = 0.0):
        """An Axes across the text width, ``height`` inches tall, below the cursor."""
        bottom = self.height - self.y - height
        ax = self.fig.add_axes(
            (
                (self.margin + left) / self.width,
                bottom / self.height,
                (self.text_width - left - right) / self.width,
                height / self.height,
            )
        )
        self.y += height
        return ax

    def header(self, title: str, *details: str) -> None:
        """A page's title, with its details in small grey type below, joined by dots."""
        self.text(title, size=22, weight="bold", after=0.02)
        self.text("  ·  ".join(details), size=10, colour=GREY, after=0.2)

    def footer(self, message: str) -> None:
        """A small grey line centred at the foot of the page."""
        self.fig.text(
            0.5, 0.4 / self.height, message, ha="center", va="bottom", fontsize=8.5, color=GREY
        )
