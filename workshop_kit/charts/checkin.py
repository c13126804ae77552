"""Check-in charts: a couple's themes before and after, a total against its cut-off, the room.

Each function takes tidy tables (from :mod:`workshop_kit.couple` and
:mod:`workshop_kit.results`), draws on ``ax`` (or a new Axes) and returns the Axes.
Room charts take k-suppressed tables and say which rows were hidden.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .style import (
    GREY,
    INK,
    LIGHT_GREY,
    PARTNER_COLOURS,
    PARTNER_MARKERS,
    PHASE_COLOURS,
    PHASE_MARKERS,
    empty_message,
    footnote,
    get_ax,
)


def _isnan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def couple_themes(
    table: pd.DataFrame,
    names: dict[str, str],
    ax=None,
    scale=(1, 5),
    title: str = "Our connection, before and after",
):
    """A dumbbell per theme: the couple's "before" (grey circle) to "after" (blue diamond).

    ``table`` is :func:`workshop_kit.couple.couple_scores` for one couple. Where
    ``partner_a``/``partner_b`` are present (both consented), each partner's "after" is
    marked too (A: circle, B: square).
    """
    ax = get_ax(ax, figsize=(9, 8))
    if table.empty or table["couple_mean"].notna().sum() == 0:
        return empty_message(ax, "No check-in answers to show yet.")
    order = [s for s in names if s in set(table["subscale"])]
    rows = list(reversed(order))  # first theme at the top
    y = {sub: i for i, sub in enumerate(rows)}
    wide = table.pivot_table(index="subscale", columns="phase", values="couple_mean")
    wide = wide.reindex(index=order, columns=["before", "after"])
    for sub in order:
        before, after = wide.loc[sub, "before"], wide.loc[sub, "after"]
        if not _isnan(before) and not _isnan(after):
            ax.plot(
                [before, after],
                [y[sub], y[sub]],
                color=LIGHT_GREY,
                linewidth=6,
                solid_capstyle="round",
                zorder=1,
            )
    for phase in ("before", "after"):
        values = wide[phase]
        present = values.dropna()
        # "before" drawn larger so it still shows when "after" lands on the same value
        ax.scatter(
            present.values,
            [y[s] for s in present.index],
            s=300 if phase == "before" else 170,
            marker=PHASE_MARKERS[phase],
            color=PHASE_COLOURS[phase],
            edgecolor=INK,
            linewidth=0.8,
            zorder=3,
            label=f"{phase.capitalize()} (the two of you)",
        )
    individual = table[table["phase"] == "after"]
    for partner, column in (("A", "partner_a"), ("B", "partner_b")):
        present = individual.dropna(subset=[column])
        if not present.empty:
            ax.scatter(
                present[column],
                [y[s] + (0.22 if partner == "A" else -0.22) for s in present["subscale"]],
                s=60,
                marker=PARTNER_MARKERS[partner],
                color=PARTNER_COLOURS[partner],
                zorder=2,
                label=f"Partner {partner}, after",
            )
    ax.set_yticks(range(len(rows)), [names[s] for s in rows])
    ax.set_xlim(scale[0] - 0.2, scale[1] + 0.2)
    ax.set_xticks(range(scale[0], scale[1] + 1))
    ax.set_xlabel("1 = not true for us   ·   5 = very true for us")
    ax.grid(axis="x", color=LIGHT_GREY, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    if title:
        ax.set_title(title, loc="left")
    return ax


def total_against_cutoff(table: pd.DataFrame, instrument, ax=None, title: str | None = None):
    """A summed total (such as the CSI-4) on its range, the range under its cut-off shaded.

    ``table`` is :func:`workshop_kit.couple.couple_scores` of the totals (one subscale).
    """
    ax = get_ax(ax, figsize=(9, 3.2))
    lo, hi = instrument.total_min, instrument.total_max
    if table.empty or table[["couple_mean", "partner_a", "partner_b"]].notna().sum().sum() == 0:
        return empty_message(ax, f"No {instrument.name} answers to show.")
    for band in instrument.cutoffs:
        if band.below is not None:
            ax.axvspan(lo, band.below, color="#F2E6D9", zorder=0)
            ax.axvline(band.below, color=GREY, linestyle="--", linewidth=1.5)
            ax.text(
                band.below,
                1.02,
                f" cut-off {band.below:g}",
                transform=ax.get_xaxis_transform(),
                ha="left",
                va="bottom",
                color=GREY,
                fontsize="small",
            )
            ax.text(
                lo + 0.3,
                1.45,
                f"Below {band.below:g}: {band.name.lower()}",
                ha="left",
                va="center",
                color=INK,
                fontsize="small",
            )
    rows = {"before": 1, "after": 0}
    for phase, yrow in rows.items():
        found = table[table["phase"] == phase]
        if found.empty:
            continue
        row = found.iloc[0]
        if not _isnan(row["partner_a"]) or not _isnan(row["partner_b"]):
            for partner, column, dy in (("A", "partner_a", 0.15), ("B", "partner_b", -0.15)):
                if not _isnan(row[column]):
                    ax.scatter(
                        row[column],
                        yrow + dy,
                        s=140,
                        marker=PARTNER_MARKERS[partner],
                        color=PARTNER_COLOURS[partner],
                        edgecolor=INK,
                        zorder=3,
                        label=f"Partner {partner}" if phase == "before" else None,
                    )
        elif not _isnan(row["couple_mean"]):
            ax.scatter(
                row["couple_mean"],
                yrow,
                s=170,
                marker=PHASE_MARKERS[phase],
                color=PHASE_COLOURS[phase],
                edgecolor=INK,
                zorder=3,
                label=f"{phase.capitalize()} (the two of you, on average)",
            )
    ax.set_yticks([0, 1], ["After", "Before"])
    ax.set_ylim(-0.6, 1.6)
    ax.set_xlim(lo, hi)
    ax.set_xlabel(f"{instrument.name} total ({lo:g} to {hi:g}; higher is more satisfied)")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=2)
    ax.set_title(title or instrument.name, loc="left")
    return ax


def _change_label(row) -> str:
    """ "+0.45 ± 0.20", or the change alone where the interval is withheld."""
    label = f"{row['mean_change']:+.2f}"
    if np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"]):
        label += f" ± {(row['ci_high'] - row['ci_low']) / 2:.2f}"
    return label


def room_before_after(
    change: pd.DataFrame,
    names: dict[str, str],
    k: int,
    ax=None,
    scale=(1, 5),
    title: str = "The room, before and after",
    note_left: float = 0.02,
):
    """Room means before and after per theme, with the 95% interval of the change.

    ``change`` is :func:`workshop_kit.results.room_change` for one measure. Suppressed
    themes (fewer than ``k`` with both answers) are listed, not drawn. ``note_left`` is
    where the note under the chart starts (share of the figure's width).
    """
    ax = get_ax(ax)
    order = [s for s in names if s in set(change["subscale"])]
    table = change.set_index("subscale").reindex(order)
    shown = table[~table["suppressed"].astype(bool)]
    if shown.empty:
        return empty_message(
            ax, f"Fewer than {k} people have answered before and after: nothing to show yet."
        )
    rows = list(reversed(list(shown.index)))
    y = np.arange(len(rows))
    data = shown.loc[rows]
    ax.hlines(y, data["mean_before"], data["mean_after"], color=LIGHT_GREY, linewidth=8, zorder=1)
    for phase in ("before", "after"):
        ax.scatter(
            data[f"mean_{phase}"],
            y,
            s=220,
            marker=PHASE_MARKERS[phase],
            color=PHASE_COLOURS[phase],
            edgecolor=INK,
            linewidth=0.8,
            zorder=3,
            label=phase.capitalize(),
        )
    for yi, (_sub, row) in zip(y, data.iterrows()):
        ax.text(
            scale[1] + 0.04 * (scale[1] - scale[0]),
            yi,
            _change_label(row),
            va="center",
            ha="left",
            fontsize="small",
            color=INK,
        )
    ax.set_yticks(y, [names[s] for s in rows])
    pad = 0.025 * (scale[1] - scale[0])
    ax.set_xlim(scale[0] - pad, scale[1] + pad)
    ax.set_xticks(np.linspace(scale[0], scale[1], min(8, int(scale[1] - scale[0]) + 1)))
    ax.grid(axis="x", color=LIGHT_GREY, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2)
    ax.set_title(title, loc="left", pad=48)
    lo_n, hi_n = int(data["n"].min()), int(data["n"].max())
    n_text = f"n = {lo_n}{'' if lo_n == hi_n else f'–{hi_n}'} with both answers"
    hidden = [names[s] for s in table.index[table["suppressed"].astype(bool)]]
    note = f"Right: change ± 95% interval.  {n_text}."
    if data["ci_low"].isna().any():
        note += f"  No interval under {2 * k} people (it could be worked back to answers)."
    if hidden:
        note += f"  Hidden (fewer than {k} people): {', '.join(hidden)}."
    footnote(ax, note, left=note_left)
    return ax
