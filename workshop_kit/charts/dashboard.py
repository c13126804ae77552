"""Projector charts of the live room dashboard: answers received, and the room's theme means.

Both draw aggregates only. The theme chart takes the output of
:func:`workshop_kit.results.room_theme_means`, already k-suppressed: a suppressed theme is
named with "fewer than k so far", never drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import GREY, INK, LIGHT_GREY, PHASE_COLOURS, empty_message, get_ax

PHASE_LABELS = {"before": "Before", "after": "After"}


def received_bars(received: pd.DataFrame, ax=None):
    """How many people have answered each check-in, out of everyone in the room.

    ``received`` is :func:`workshop_kit.results.checkins_received`
    (``phase, received, participants``).
    """
    ax = get_ax(ax)
    if received.empty or int(received["participants"].max()) == 0:
        return empty_message(ax, "No couples in this session yet.")
    phases, data, labels = _received_rows(received)
    y = np.arange(len(phases))
    total = int(data["participants"].max())
    ax.barh(y, data["participants"], color=LIGHT_GREY, height=0.6, zorder=1)
    ax.barh(y, data["received"], color=[PHASE_COLOURS[p] for p in phases], height=0.6, zorder=2)
    for yi, label in zip(y, labels):
        ax.text(total * 1.02, yi, label, va="center", ha="left", color=INK, fontweight="bold")
    ax.set_yticks(y, [PHASE_LABELS.get(p, p) for p in phases])
    ax.set_xlim(0, total * 1.3)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.set_title("Check-ins received", loc="left")
    return ax


def _received_rows(received: pd.DataFrame) -> tuple[list[str], pd.DataFrame, list[str]]:
    """Phases bottom to top, their rows, and the "6 of 8" label of each."""
    phases = list(received["phase"])[::-1]
    data = received.set_index("phase").loc[phases]
    labels = [
        f"{int(got)} of {int(total)}" for got, total in zip(data["received"], data["participants"])
    ]
    return phases, data, labels


def update_received_bars(ax, received: pd.DataFrame) -> bool:
    """Move the bars and labels :func:`received_bars` drew in ``ax`` to new counts.

    Only the counts may differ from the drawing's: the same phases and the same number of
    people (anything else needs a new drawing). Returns False, having perhaps changed
    some artists, when ``ax`` does not hold such a drawing; the caller then draws anew.
    """
    if received.empty or int(received["participants"].max()) == 0:
        return not ax.containers  # the "no couples" sentence: nothing moves
    phases, data, labels = _received_rows(received)
    if len(ax.containers) != 2 or len(ax.texts) != len(phases):
        return False
    for container, widths in zip(ax.containers, (data["participants"], data["received"])):
        if len(container.patches) != len(phases):
            return False
        for patch, width in zip(container.patches, widths):
            patch.set_width(width)
    for text, label in zip(ax.texts, labels):
        text.set_text(label)
    return True


def room_theme_bars(
    means: pd.DataFrame,
    names: dict[str, str],
    k: int,
    ax=None,
    scale: tuple[int, int] = (1, 5),
    title: str = "The room so far",
):
    """Room mean per theme for each phase so far, as horizontal bars (k-suppressed).

    ``means`` is :func:`workshop_kit.results.room_theme_means` (``subscale, phase, n, mean,
    suppressed``); ``names`` maps theme ids to names, in the order to show.
    """
    ax = get_ax(ax)
    shown = means[~means["suppressed"].astype(bool)] if not means.empty else means
    if shown.empty:
        return empty_message(
            ax, f"Waiting for answers: a theme appears once {k} people have answered it."
        )
    phases, order, tables = _theme_tables(means, names)
    height = 0.8 / len(phases)
    y = np.arange(len(order))
    lo, hi = scale
    for i, phase in enumerate(phases):
        offset = (i - (len(phases) - 1) / 2) * height * -1
        visible, widths = _theme_widths(tables[phase], lo)
        ax.barh(
            y[visible] + offset,
            widths,
            left=lo,
            height=height,
            color=PHASE_COLOURS[phase],
            edgecolor=INK,
            linewidth=0.6,
            label=PHASE_LABELS[phase],
            zorder=2,
        )
    # One label per theme, right of its bars: "3.3" or "3.3 → 3.6"; never a hidden figure.
    for yi, (label, colour) in zip(y, _theme_labels(phases, order, tables, k)):
        ax.text(hi + 0.08, yi, label, va="center", ha="left", color=colour, fontsize="small")
    ax.set_yticks(y, [names[s] for s in order])
    ax.set_xlim(lo, hi + 1.25)
    ax.set_xticks(range(lo, hi + 1))
    ax.spines["bottom"].set_bounds(lo, hi)
    ax.set_xlabel(f"Room average: {lo} = not true, {hi} = very true")
    ax.xaxis.grid(True, color=LIGHT_GREY, zorder=0)
    ax.set_axisbelow(True)
    ax.set_title(title, loc="left")
    if len(phases) > 1:
        # under the axis label, clear of it (just below the axis it ran into the label)
        ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.16), ncol=2, borderaxespad=0)
    return ax


def _theme_tables(
    means: pd.DataFrame, names: dict[str, str]
) -> tuple[list[str], list[str], dict[str, pd.DataFrame]]:
    """Phases present, themes bottom to top, and each phase's rows in that order."""
    phases = [p for p in ("before", "after") if p in set(means["phase"])]
    order = [s for s in names if s in set(means["subscale"])][::-1]
    tables = {
        phase: means[means["phase"] == phase].set_index("subscale").reindex(order)
        for phase in phases
    }
    return phases, order, tables


def _theme_widths(table: pd.DataFrame, lo: float) -> tuple[np.ndarray, pd.Series]:
    """Which themes of one phase have a bar, and the bars' lengths from ``lo``."""
    visible = ~table["suppressed"].fillna(True).astype(bool)
    return visible.to_numpy(), table["mean"][visible] - lo


def _theme_labels(
    phases: list[str], order: list[str], tables: dict[str, pd.DataFrame], k: int
) -> list[tuple[str, str]]:
    """Each theme's label and its colour: grey when every figure in it is hidden."""
    columns = [
        zip(
            tables[phase]["n"].isna().tolist(),
            tables[phase]["suppressed"].tolist(),
            tables[phase]["mean"].tolist(),
        )
        for phase in phases
    ]
    out = []
    for _sub, *cells in zip(order, *columns):
        parts = []
        for missing, suppressed, mean in cells:
            if missing:
                parts.append("–")
            elif bool(suppressed):
                parts.append(f"fewer than {k}")
            else:
                parts.append(f"{mean:.1f}")
        hidden = all(part.startswith("fewer") or part == "–" for part in parts)
        out.append((" → ".join(parts), GREY if hidden else INK))
    return out


def update_room_theme_bars(
    ax, means: pd.DataFrame, names: dict[str, str], k: int, scale: tuple[int, int] = (1, 5)
) -> bool:
    """Move the bars and labels :func:`room_theme_bars` drew in ``ax`` to new means.

    Only the means may differ from the drawing's: the same themes and phases, each shown
    or suppressed as before (anything else needs a new drawing). Returns False, having
    perhaps changed some artists, when ``ax`` does not hold such a drawing; the caller
    then draws anew.
    """
    shown = means[~means["suppressed"].astype(bool)] if not means.empty else means
    if shown.empty:
        return not ax.containers  # the "waiting for answers" sentence: nothing moves
    phases, order, tables = _theme_tables(means, names)
    labels = _theme_labels(phases, order, tables, k)
    if len(ax.containers) != len(phases) or len(ax.texts) != len(order):
        return False
    for container, phase in zip(ax.containers, phases):
        _visible, widths = _theme_widths(tables[phase], scale[0])
        if len(container.patches) != len(widths):
            return False
        for patch, width in zip(container.patches, widths):
            patch.set_width(width)
    for text, (label, colour) in zip(ax.texts, labels):
        text.set_text(label)
        text.set_color(colour)
    return True
