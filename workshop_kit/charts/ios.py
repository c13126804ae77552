"""The Inclusion of Other in the Self (IOS) picture scale, drawn by the kit.

Seven pairs of circles, "Me" and "My partner". From pair 1 to pair 7 the overlap grows
evenly, from none to almost full, while the total area of each pair stays the same, as in
the original scale (Aron, Aron & Smollan 1992). The geometry is computed, not copied.

References
----------
Aron, A., Aron, E. N., & Smollan, D. (1992). Inclusion of Other in the Self Scale and the
structure of interpersonal closeness. Journal of Personality and Social Psychology, 63(4),
596-612.
"""

from __future__ import annotations

import math

from matplotlib.patches import Circle

from ..ios_geometry import (  # the geometry is pure math, shared with the phone pages
    LEVELS,
    MAX_OVERLAP,  # noqa: F401 - re-exported
    UNION_AREA,  # noqa: F401 - re-exported
    overlap_share,  # noqa: F401 - re-exported
    pair_geometry,
)
from .style import BLUE, INK, VERMILLION, get_ax

# labels sit over their own circles when the centres are this far apart (data units)
LABEL_ROOM = 1.6
LABEL_GAP = 0.12


def draw_pair(
    ax,
    level: float,
    centre: tuple[float, float] = (0.0, 0.0),
    scale: float = 1.0,
    labels: bool = True,
    highlight: bool = False,
    linewidth: float = 2.5,
    colours: tuple[str, str] = (BLUE, VERMILLION),
) -> None:
    """Draw pair ``level`` centred at ``centre``; "Me" on the left, "My partner" on the right."""
    radius, distance = pair_geometry(level)
    cx, cy = centre
    for side, colour in ((-1, colours[0]), (1, colours[1])):
        x = cx + side * distance / 2 * scale
        ax.add_patch(
            Circle(
                (x, cy),
                radius * scale,
                fill=False,
                edgecolor=colour,
                linewidth=linewidth * (1.6 if highlight else 1),
            )
        )
    if labels:
        # above the pair, each over its own circle; side by side when the circles are too
        # close for that. Inside the circles a label would cross the other circle's line.
        top = cy + radius * scale + LABEL_GAP
        left, right = cx - distance / 2 * scale, cx + distance / 2 * scale
        if right - left >= LABEL_ROOM:
            places = ((left, "center"), (right, "center"))
        else:
            places = ((cx - LABEL_GAP, "right"), (cx + LABEL_GAP, "left"))
        for (x, align), colour, label in zip(places, colours, ("Me", "My partner"), strict=True):
            ax.text(x, top, label, ha=align, va="bottom", fontsize="small", color=colour)


def ios_scale(ax=None, chosen: int | None = None, numbers: bool = True):
    """All seven pairs in a row, numbered; ``chosen`` is drawn bold and boxed."""
    ax = get_ax(ax, figsize=(14, 2.8))
    spacing = 4.2
    for level in range(1, LEVELS + 1):
        centre = ((level - 1) * spacing, 0.0)
        draw_pair(ax, level, centre, labels=False, highlight=(level == chosen))
        if numbers:
            ax.text(
                centre[0],
                -1.75,
                str(level),
                ha="center",
                va="top",
                fontsize="large",
                fontweight="bold" if level == chosen else "normal",
                color=INK,
            )
    ax.set_xlim(-2.4, (LEVELS - 1) * spacing + 2.4)
    ax.set_ylim(-2.6, 1.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def ios_before_after(before: float | None, after: float | None, ax=None, title: str = ""):
    """The pair chosen before and the pair chosen after, side by side, with their numbers.

    A couple's mean between two pairs (3.5) is drawn as the pair between them, not rounded.
    """
    ax = get_ax(ax, figsize=(8, 4))
    spacing = 5.0
    for slot, (label, value) in enumerate((("Before", before), ("After", after))):
        cx = slot * spacing
        if value is None or (isinstance(value, float) and math.isnan(value)):
            ax.text(cx, 0, "not answered", ha="center", va="center", color="#6b6b6b")
        else:
            draw_pair(ax, float(value), (cx, 0.0), labels=True)
            label = f"{label}: {value:g} of {LEVELS}"
        ax.text(cx, -1.9, label, ha="center", va="top", fontweight="bold")
    ax.set_xlim(-2.6, spacing + 2.6)
    ax.set_ylim(-2.8, 2.2)  # room above the pairs for "Me" and "My partner"
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
