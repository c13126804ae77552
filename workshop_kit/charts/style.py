"""Two looks for every chart: ``projector`` (large type, high contrast) and ``print``.

Colours are from the Okabe-Ito colour-blind-safe palette, and every pair of colours
that must be told apart also differs in lightness and marker, so charts survive a
greyscale printer.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

import matplotlib.pyplot as plt
from matplotlib.transforms import blended_transform_factory

from ..errors import one_of

# Okabe-Ito
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREEN = "#009E73"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
INK = "#1A1A1A"
GREY = "#8C8C8C"
LIGHT_GREY = "#D9D9D9"
PAPER = "#FFFFFF"

PHASE_COLOURS = {"before": "#A6A6A6", "after": BLUE}
PHASE_MARKERS = {"before": "o", "after": "D"}
PARTNER_COLOURS = {"A": BLUE, "B": VERMILLION, "couple": GREEN}
PARTNER_MARKERS = {"A": "o", "B": "s", "couple": "D"}

# Projector figures are at most this wide (inches), so their type stays large on screen.
PROJECTOR_FIGSIZE = (11.0, 6.6)

STYLES = {
    "projector": {
        # Sized for an 11-inch-wide figure shown about 960 px wide at 1024 x 768: a 21 pt
        # tick label lands near 25 px on the screen, readable from the back of a room.
        "font.size": 22,
        "axes.titlesize": 28,
        "axes.titleweight": "bold",
        "axes.labelsize": 22,
        "xtick.labelsize": 21,
        "ytick.labelsize": 21,
        "legend.fontsize": 21,
        "figure.titlesize": 30,
        # large type needs the layout engine to keep labels inside the picture
        "figure.constrained_layout.use": True,
        "lines.linewidth": 3.5,
        "lines.markersize": 14,
        "figure.dpi": 80,
        "savefig.dpi": 100,
        "figure.figsize": PROJECTOR_FIGSIZE,
    },
    "print": {
        "font.size": 10,
        "axes.titlesize": 13,
        "axes.titleweight": "bold",
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "figure.titlesize": 15,
        "lines.linewidth": 2.0,
        "lines.markersize": 8,
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "figure.figsize": (7.0, 4.5),
    },
}

COMMON = {
    "font.family": "DejaVu Sans",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.facecolor": PAPER,
    "axes.facecolor": PAPER,
    "savefig.facecolor": PAPER,
    "legend.frameon": False,
    "pdf.fonttype": 42,  # embed TrueType fonts in PDFs
    "svg.fonttype": "none",
}


MM = 1 / 25.4
# Exact paper sizes in inches, used by every printed page of the kit.
PAPER_SIZES = {"A4": (210 * MM, 297 * MM), "Letter": (8.5, 11.0)}


def paper_name(paper: str) -> str:
    """The canonical name of a paper size, or an error naming the allowed ones.

    >>> paper_name("letter")
    'Letter'
    """
    for name in PAPER_SIZES:
        if str(paper).strip().casefold() == name.casefold():
            return name
    raise one_of("paper", paper, list(PAPER_SIZES))


def paper_size(paper: str) -> tuple[float, float]:
    """Width and height in inches of ``"A4"`` or ``"Letter"`` (any case).

    >>> [round(v * 25.4) for v in paper_size("a4")]
    [210, 297]
    """
    return PAPER_SIZES[paper_name(paper)]


def rc(kind: str = "projector") -> dict:
    """The matplotlib rcParams of a style."""
    if kind not in STYLES:
        raise one_of("style", kind, list(STYLES))
    return {**COMMON, **STYLES[kind]}


# matplotlib's rcParams (what chart_style sets) are one global dictionary, and its text and
# font caches are not thread-safe: widget callbacks may run on kernel subshell threads, so
# all drawing is serialised through this one lock (re-entrant: a chart inside a page).
DRAWING_LOCK = threading.RLock()


def _new_drawing_lock_in_child() -> None:
    # a forked pack worker must not inherit the lock held by a parent's thread
    global DRAWING_LOCK
    DRAWING_LOCK = threading.RLock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_drawing_lock_in_child)


@contextlib.contextmanager
def drawing() -> Iterator[None]:
    """Hold the drawing lock: only one thread draws (or saves) a figure at a time.

    :func:`chart_style` holds it already; use this for drawing outside a style block.
    """
    with DRAWING_LOCK:
        yield


@contextlib.contextmanager
def chart_style(kind: str = "projector") -> Iterator[None]:
    """Draw inside ``with chart_style("print"):`` to get that look.

    Holds :data:`DRAWING_LOCK` for the whole block (the style is process-wide state), so
    draw and save the figure inside the block.
    """
    style = rc(kind)
    with DRAWING_LOCK, plt.rc_context(style):
        yield


def get_ax(ax=None, figsize=None):
    """The given Axes, or a new figure's Axes in the current style."""
    if ax is not None:
        return ax
    _fig, ax = plt.subplots(figsize=figsize)
    return ax


def footnote(ax, text: str, below: float = 2.6, left: float = 0.02):
    """A grey note under the chart, from the figure's left edge (labels take the axes' left).

    ``below`` is how far under the axes it starts, in font sizes (room for tick labels and
    an axis label); ``left`` is where it starts, as a share of the figure's width (a chart
    on a printed page starts it at the page's margin). Returns the annotation.
    """
    where = blended_transform_factory(ax.figure.transFigure, ax.transAxes)
    return ax.annotate(
        text,
        xy=(left, 0),
        xycoords=where,
        xytext=(0, -below),
        textcoords="offset fontsize",
        ha="left",
        va="top",
        fontsize="small",
        color=GREY,
    )


def suppressed_note(ax, k: int, what: str = "groups") -> None:
    """Say plainly on the chart that small groups were hidden, and why."""
    ax.text(
        0.0,
        -0.02,
        f"Hidden: {what} with fewer than {k} people, to keep answers anonymous.",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize="small",
        color=GREY,
    )


def empty_message(ax, message: str):
    """Replace empty axes with a kind sentence rather than a blank frame."""
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize="large",
        color=GREY,
        wrap=True,
    )
    return ax
