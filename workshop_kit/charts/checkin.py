"""Check-in charts: a couple's themes before and after, a total against its cut-off, the room.

Each function takes tidy tables (from :mod:`workshop_kit.couple` and
:mod:`workshop_kit.results`), draws on ``ax`` (or a new Axes) and returns the Axes.
Room charts take k-suppressed tables and say which rows were hidden.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..published import publish_checkin
from ..session import Session
from .style import (
    GREY,
    INK,
    LIGHT_GREY,
    PARTNER_COLOURS,
    PARTNER_MARKERS,
    PHASE_COLOURS,
    PHASE_MARKERS,
    PROJECTOR_FIGSIZE,
    chart_style,
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


NO_COUPLE_MARK = (
    "The line is for one person's total, so the two of you are not marked together.\n"
    "Your own totals show here when you both agree to share them."
)


def total_against_cutoff(table: pd.DataFrame, instrument, ax=None, title: str | None = None):
    """A summed total (such as the CSI-4) on its range, the range under its cut-off shaded.

    ``table`` is :func:`workshop_kit.couple.couple_scores` of the totals (one subscale).
    A cut-off applies to one person's total, so only the partners' own totals are marked
    (when both consented); a couple's average is never placed against it: without
    the partners' totals the band is drawn with :data:`NO_COUPLE_MARK` and no mark.
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
    if table[["partner_a", "partner_b"]].notna().sum().sum() == 0:
        # The cut-off is for one person's total: a couple's average on it would mislead
        # (totals of 20 and 7 average 13.5, right on the line). Without both partners'
        # consent to show their own totals, the band is drawn with no mark.
        ax.text(
            (lo + hi) / 2,
            0.5,
            NO_COUPLE_MARK,
            ha="center",
            va="center",
            color=INK,
            fontsize="small",
            wrap=True,
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
    """ "+0.45 ± 0.35", "+0.45 (−0.20 to +0.80)" when clipped to the scale (no longer
    symmetric), or the change alone where the interval is withheld."""
    label = f"{row['mean_change']:+.2f}"
    low, high, mean = row["ci_low"], row["ci_high"], row["mean_change"]
    if np.isfinite(low) and np.isfinite(high):
        if abs((high - mean) - (mean - low)) < 0.005:
            label += f" ± {(high - low) / 2:.2f}"
        else:
            label += f" ({low:+.2f} to {high:+.2f})"
    return label


#: Fewer people than this: the room chart warns that its figures are rough.
SMALL_ROOM = 10
INTERVAL_METHOD = "Student t, each couple one unit"


def room_note(data: pd.DataFrame, k: int, hidden: list[str]) -> str:
    """The note under a room chart: the method, how many, what was withheld, small-n.

    >>> data = pd.DataFrame({"n": [6, 5], "couples": [3, 3], "ci_low": [0.1, float("nan")]})
    >>> print(room_note(data, 3, []))  # doctest: +NORMALIZE_WHITESPACE
    Right: average change ± its 95% interval (Student t, each couple one unit).
    n = 5–6 people in 3 couples with both answers. No interval under 6 people.
    Only 5–6 people: these numbers can swing a lot with one person's answers.
    """
    lo_n, hi_n = int(data["n"].min()), int(data["n"].max())
    people = f"{lo_n}{'' if lo_n == hi_n else f'–{hi_n}'}"
    lines = [f"Right: average change ± its 95% interval ({INTERVAL_METHOD})."]
    line = f"n = {people} people"
    if "couples" in data.columns and data["couples"].notna().any():
        lo_c, hi_c = int(data["couples"].min()), int(data["couples"].max())
        line += f" in {lo_c}{'' if lo_c == hi_c else f'–{hi_c}'} couples"
    line += " with both answers."
    if data["ci_low"].isna().any():
        line += f" No interval under {2 * k} people."
    if hidden:
        line += f" Hidden (fewer than {k} people): {', '.join(hidden)}."
    lines.append(line)
    if lo_n < SMALL_ROOM:
        lines.append(
            f"Only {people} people: these numbers can swing a lot with one person's answers."
        )
    return "\n".join(lines)


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
    hidden = [names[s] for s in table.index[table["suppressed"].astype(bool)]]
    note = room_note(data, k, hidden)
    footnote(ax, note, left=note_left)
    return ax


def room_figure(session: Session, measure: str = "checkin") -> Figure:
    """The room's before/after chart for one measure, projector style, k-suppressed.

    ``measure`` is "checkin" (every theme), "ios" or the id of a summed instrument.
    """
    change = publish_checkin(session).change
    inst = session.content.instrument(measure)
    if measure == "checkin":
        names = {s.id: s.name for s in inst.subscales}
        scale, height = (1, 5), 8.6
    else:
        names = {measure: "The room"}  # the title names the measure
        scale = (inst.min, inst.max) if inst.kind == "picture" else (inst.total_min, inst.total_max)
        height = 4.8
    with chart_style("projector"):
        fig = Figure(figsize=(PROJECTOR_FIGSIZE[0], height), layout="none")
        # fixed margins: room for the theme names on the left and the change on the right
        left = 0.38 if measure == "checkin" else 0.22
        fig.subplots_adjust(left=left, right=0.83, top=1 - 1.6 / height, bottom=1.55 / height)
        ax = fig.add_subplot()
        mine = change[change["measure"] == measure] if not change.empty else change
        if mine.empty:
            empty_message(ax, "No one has answered both before and after yet.")
        else:
            room_before_after(
                mine,
                names,
                session.k,
                ax=ax,
                scale=scale,
                title="The room, before and after"
                if measure == "checkin"
                else f"{inst.name}, before and after",
            )
    return fig
