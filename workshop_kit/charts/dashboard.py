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
    phases = list(received["phase"])[::-1]
    data = received.set_index("phase").loc[phases]
    y = np.arange(len(phases))
    total = int(data["participants"].max())
    ax.barh(y, data["participants"], color=LIGHT_GREY, height=0.6, zorder=1)
    ax.barh(y, data["received"], color=[PHASE_COLOURS[p] for p in phases], height=0.6, zorder=2)
    for yi, (_phase, row) in zip(y, data.iterrows()):
        ax.text(
            total * 1.02,
            yi,
            f"{int(row['received'])} of {int(row['participants'])}",
            va="center",
            ha="left",
            color=INK,
            fontweight="bold",
        )
    ax.set_yticks(y, [PHASE_LABELS.get(p, p) for p in phases])
    ax.set_xlim(0, total * 1.3)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.set_title("Check-ins received", loc="left")
    return ax


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
    phases = [p for p in ("before", "after") if p in set(means["phase"])]
    order = [s for s in names if s in set(means["subscale"])][::-1]
    height = 0.8 / len(phases)
    y = np.arange(len(order))
    lo, hi = scale
    tables = {
        phase: means[means["phase"] == phase].set_index("subscale").reindex(order)
        for phase in phases
    }
    for i, phase in enumerate(phases):
        table = tables[phase]
        offset = (i - (len(phases) - 1) / 2) * height * -1
        visible = ~table["suppressed"].fillna(True).astype(bool)
        ax.barh(
            y[visible.values] + offset,
            table["mean"][visible] - lo,
            left=lo,
            height=height,
            color=PHASE_COLOURS[phase],
            edgecolor=INK,
            linewidth=0.6,
            label=PHASE_LABELS[phase],
            zorder=2,
        )
    # One label per theme, right of its bars: "3.3" or "3.3 → 3.6"; never a hidden figure.
    for yi, sub in zip(y, order):
        parts = []
        for phase in phases:
            row = tables[phase].loc[sub]
            if pd.isna(row["n"]):
                parts.append("–")
            elif bool(row["suppressed"]):
                parts.append(f"fewer than {k}")
            else:
                parts.append(f"{row['mean']:.1f}")
        hidden = all(part.startswith("fewer") or part == "–" for part in parts)
        ax.text(
            hi + 0.08,
            yi,
            " → ".join(parts),
            va="center",
            ha="left",
            color=GREY if hidden else INK,
            fontsize="small",
        )
    ax.set_yticks(y, [names[s] for s in order])
    ax.set_xlim(lo, hi + 1.25)
    ax.set_xticks(range(lo, hi + 1))
    ax.spines["bottom"].set_bounds(lo, hi)
    ax.set_xlabel(f"Room average: {lo} = not true, {hi} = very true")
    ax.xaxis.grid(True, color=LIGHT_GREY, zorder=0)
    ax.set_axisbelow(True)
    ax.set_title(title, loc="left")
    if len(phases) > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.1), ncol=2)
    return ax
