"""What a couple's "next steps" page holds: their rituals plan, or ideas drawn from their
lowest check-in themes, and each partner's calm-down plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import one_of
from ..session import PARTNERS, Session
from .calm_down import CalmDownPlan, calm_down_plan
from .content import GENERAL, ExercisesContent, Ritual, load_exercises
from .rituals import PlannedRitual, rituals_plan


# -- the "next steps" page ------------------------------------------------------------
@dataclass(frozen=True)
class ThemeIdeas:
    theme: str
    theme_name: str
    rituals: tuple[Ritual, ...]
    try_text: str


@dataclass(frozen=True)
class NextSteps:
    """Everything on one couple's "next steps" page (that couple's data only)."""

    couple_code: str
    plan: tuple[PlannedRitual, ...] | None
    ideas: tuple[ThemeIdeas, ...]
    calm_down: dict[str, CalmDownPlan | None] = field(default_factory=dict)


def next_steps(
    session: Session,
    couple_code: str,
    lowest_themes: Iterable[str] | None = None,
    content: ExercisesContent | None = None,
    max_themes: int = 3,
) -> NextSteps:
    """Gather one couple's next steps: their plan, or ideas from their lowest themes.

    ``lowest_themes`` are check-in subscale ids, lowest first (the pack builder works
    them out from :mod:`workshop_kit.results`); only the first ``max_themes`` are used,
    and only when the couple made no plan. With none, general ideas are given.
    """
    content = content or load_exercises()
    code, _ = session.check_participant(couple_code, "A")
    themes = list(lowest_themes or [])
    known = [t for t in content.suggestions if t != GENERAL]
    for theme in themes:
        if theme not in known:
            raise one_of("theme", theme, known)
    plan = rituals_plan(session, code)
    ideas: list[ThemeIdeas] = []
    if plan is None:
        names = {sub.id: sub.name for sub in session.content.instrument("checkin").subscales}
        for theme in themes[:max_themes] or [GENERAL]:
            suggestion = content.suggestions[theme]
            ideas.append(
                ThemeIdeas(
                    theme,
                    names.get(theme, "") if theme != GENERAL else "",
                    tuple(content.rituals.ritual(r) for r in suggestion.rituals),
                    suggestion.try_text,
                )
            )
    calm = {p: calm_down_plan(session, code, p) for p in PARTNERS}
    return NextSteps(code, plan, tuple(ideas), calm)
