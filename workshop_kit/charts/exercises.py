"""Charts for the practice exercises: the room's rituals, and a couple's "next steps" page.

:func:`room_rituals` is for the projector and takes the k-suppressed table of
:func:`workshop_kit.exercises.room_ritual_counts`. :func:`next_steps_figure` builds one
printed page for a couple's take-home pack: their rituals plan (or ideas, when they
made none) and each partner's calm-down plan. It holds that couple's data only.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .. import exercises as ex
from ..session import PARTNERS, Session
from .page import Page
from .style import (
    BLUE,
    GREEN,
    GREY,
    INK,
    LIGHT_GREY,
    PAPER,
    PARTNER_COLOURS,
    chart_style,
    empty_message,
    footnote,
    get_ax,
    paper_size,
)

WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVERY_DAY = "Every day"


def room_rituals(
    counts: pd.DataFrame,
    k: int,
    plans: int | None = None,
    ax=None,
    title: str = "Rituals the room is planning",
):
    """Horizontal bars: how many couples chose each ritual (projector).

    ``counts`` is :func:`workshop_kit.exercises.room_ritual_counts` (already folded
    under ``k``); ``plans`` is the k-suppressed number of couples with a plan (None
    when too few to show).
    """
    ax = get_ax(ax)
    if counts.empty:
        return empty_message(
            ax,
            f"Nothing to show yet: rituals appear here once at least {k} couples have "
            "chosen the same one.",
        )
    rows = counts.iloc[::-1]  # largest at the top
    y = range(len(rows))
    colours = [LIGHT_GREY if r == "Other" else BLUE for r in rows["ritual"]]
    bars = ax.barh(
        list(y), rows["couples"], color=colours, edgecolor=INK, linewidth=0.8, height=0.7
    )
    for bar, value in zip(bars, rows["couples"], strict=True):
        ax.text(
            bar.get_width() + 0.1,
            bar.get_y() + bar.get_height() / 2,
            f"{int(value)}",
            va="center",
            ha="left",
            fontweight="bold",
            color=INK,
        )
    ax.set_yticks(list(y), list(rows["name"]))
    ax.set_xlim(0, max(rows["couples"]) * 1.15 + 0.5)
    ax.xaxis.set_major_locator(_whole_number_locator())
    ax.set_xlabel("Couples who chose it")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    made = (
        f"{plans} couples made a plan."
        if plans is not None
        else f"Fewer than {k} couples have made a plan so far."
    )
    ax.set_title(title, loc="left", pad=16)
    footnote(
        ax,
        f"{made}\nRituals chosen by fewer than {k} couples are grouped as\n"
        '"Other rituals" or left out, so no couple can be picked out.',
        below=3.2,
    )
    return ax


def _whole_number_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def week_strip(plan: tuple[ex.PlannedRitual, ...], ax=None):
    """Seven day boxes with each planned ritual's number and time in its day."""
    ax = get_ax(ax, figsize=(7, 1.3))
    ax.set_xlim(0, 7)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
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
    for day, name in enumerate(WEEK):
        busy = bool(per_day[day])
        ax.add_patch(
            FancyBboxPatch(
                (day + 0.06, 0.04),
                0.88,
                0.9,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor="#E8F1F8" if busy else PAPER,
                edgecolor=BLUE if busy else LIGHT_GREY,
                linewidth=1.2,
            )
        )
        ax.text(
            day + 0.5,
            0.84,
            name[:3],
            ha="center",
            va="top",
            fontsize=10,
            fontweight="bold",
            color=INK,
        )
        ax.text(
            day + 0.5,
            0.58,
            "\n".join(per_day[day]),
            ha="center",
            va="top",
            fontsize=9,
            color=INK,
            linespacing=1.3,
        )
    return ax


def next_steps_figure(
    session: Session, couple_code: str, lowest_themes: list[str] | None = None, paper: str = "A4"
) -> Figure:
    """The "next steps" page of one couple's take-home pack (print style).

    Shows the couple's rituals plan with days and times, or, when they made none,
    ideas drawn from ``lowest_themes`` (check-in subscale ids, lowest first), and each
    partner's calm-down plan. Missing parts get a kind sentence, never a blank.
    """
    size = paper_size(paper)
    content = ex.load_exercises()
    steps = ex.next_steps(session, couple_code, lowest_themes, content)
    with chart_style("print"):
        page = Page(fig=Figure(figsize=size), margin=0.7)
        page.text("Our next steps", size=22, weight="bold", after=0.04)
        page.text(
            f"{session.title} · {session.date} · couple {steps.couple_code}",
            size=10,
            colour=GREY,
            after=0.3,
        )
        _rituals_part(page, steps, content)
        page.space(0.25)
        _calm_down_part(page, steps, content)
        page.footer("This page holds your own plans only. Keep it somewhere you will both see it.")
    return page.fig


def _rituals_part(page: Page, steps: ex.NextSteps, content: ex.ExercisesContent) -> None:
    page.text("Our rituals", size=15, weight="bold", colour=BLUE)
    if steps.plan:
        labels = [ex.ritual_label(p, content.rituals) for p in steps.plan]
        page.text(
            "Small things, done often, keep a couple close. This is what you planned "
            "together today:",
            after=0.12,
        )
        week_strip(steps.plan, ax=page.axes(1.1))
        page.space(0.15)
        for number, (planned, label) in enumerate(zip(steps.plan, labels, strict=True), start=1):
            when = "every day" if planned.day == EVERY_DAY else f"on {planned.day}s"
            page.text(
                f"{number}.  {label}: {when} at {planned.time}", size=12, weight="bold", after=0.02
            )
            description = (
                "Your own idea, in your own words."
                if planned.ritual == ex.OWN
                else content.rituals.ritual(planned.ritual).description
            )
            page.text(description, indent=0.3, colour=INK, after=0.1)
        page.text(
            "If you miss a week, just pick it up again. No blame; it is still yours.",
            colour=GREY,
            after=0.1,
        )
        return
    general = steps.ideas and steps.ideas[0].theme == ex.GENERAL
    page.text(
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
            page.text(idea.theme_name, size=12.5, weight="bold", after=0.03)
        page.text(f"Try this: {idea.try_text}", indent=0.3, after=0.03)
        for ritual in idea.rituals:
            page.text(f"• {ritual.name}: {ritual.description}", indent=0.3, after=0.02)
        page.space(0.1)
    page.text("Choose one, put a day and a time on it, and try it for a month.", colour=GREY)


def _calm_down_part(page: Page, steps: ex.NextSteps, content: ex.ExercisesContent) -> None:
    calm = content.calm_down
    page.text("When things get heated: our calm-down plans", size=15, weight="bold", colour=GREEN)
    page.text(
        "A break is for settling, not for winning, and coming back is part of the "
        "promise. Respect each other's signal.",
        after=0.15,
    )
    top = page.y
    column = (page.text_width - 0.3) / 2
    bottoms = []
    for i, partner in enumerate(PARTNERS):
        page.y = top
        indent = i * (column + 0.3)
        plan = steps.calm_down.get(partner)
        page.text(
            f"Partner {partner}",
            size=12.5,
            weight="bold",
            colour=PARTNER_COLOURS[partner],
            indent=indent,
            width=column,
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
            page.text(line, indent=indent, width=column, after=0.06)
        bottoms.append(page.y)
    page.y = max(bottoms)  # below the longer of the two plans
