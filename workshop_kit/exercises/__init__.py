"""Three practice exercises: an active-listening round, a rituals plan, a calm-down plan.

Pure logic (no matplotlib, no ipywidgets). The wording lives in
``content/exercises.yaml``; this module loads and checks it, runs the listening round
as a small state machine (speak → reflect → reply, then switch), validates and stores
the plans through :class:`~workshop_kit.session.Session`, and tallies the room's
rituals with the k rule.

Store kinds: ``rituals_plan`` (per couple, key ``plan``), ``calm_down_plan`` (per
partner, key ``plan``) and ``listening_round`` (session level, one key per round run).

The package's modules: :mod:`.content` (the YAML, loaded and checked), :mod:`.listening`,
:mod:`.rituals`, :mod:`.calm_down`, :mod:`.next_steps` (what a couple's page holds),
:mod:`.room` (k-suppressed room counts and the summary section) and :mod:`.demo`. Everything
public is importable from ``workshop_kit.exercises`` itself.
"""

from __future__ import annotations

from .calm_down import (
    CalmDownPlan,
    calm_down_plan,
    check_calm_down_plan,
    choice_words,
    save_calm_down_plan,
)
from .content import (
    CALM_DOWN_KIND,
    GENERAL,
    LISTENING_KIND,
    OWN,
    PLAN_KEY,
    RITUALS_KIND,
    STEP_ORDER,
    TIME_PATTERN,
    CalmDownContent,
    Choice,
    ExercisesContent,
    ListeningContent,
    ListeningStep,
    Ritual,
    RitualsContent,
    Suggestion,
    load_exercises,
    own_words,
)
from .demo import (
    DEMO_OWN,
    DEMO_TIMES,
    DEMO_WEIGHTS,
    populate_exercises,
)
from .listening import (
    ListeningRound,
    listening_totals,
    record_listening_round,
)
from .next_steps import (
    NextSteps,
    ThemeIdeas,
    next_steps,
)
from .rituals import (
    PlannedRitual,
    check_rituals_plan,
    parse_time,
    ritual_label,
    rituals_plan,
    room_ritual_counts,
    save_rituals_plan,
)
from .room import (
    plans_made,
    published_room_plans,
    summary_section,
)

__all__ = [
    "CALM_DOWN_KIND",
    "DEMO_OWN",
    "DEMO_TIMES",
    "DEMO_WEIGHTS",
    "GENERAL",
    "LISTENING_KIND",
    "OWN",
    "PLAN_KEY",
    "RITUALS_KIND",
    "STEP_ORDER",
    "TIME_PATTERN",
    "CalmDownContent",
    "CalmDownPlan",
    "Choice",
    "ExercisesContent",
    "ListeningContent",
    "ListeningRound",
    "ListeningStep",
    "NextSteps",
    "PlannedRitual",
    "Ritual",
    "RitualsContent",
    "Suggestion",
    "ThemeIdeas",
    "calm_down_plan",
    "check_calm_down_plan",
    "check_rituals_plan",
    "choice_words",
    "listening_totals",
    "load_exercises",
    "next_steps",
    "own_words",
    "parse_time",
    "plans_made",
    "populate_exercises",
    "published_room_plans",
    "record_listening_round",
    "ritual_label",
    "rituals_plan",
    "room_ritual_counts",
    "save_calm_down_plan",
    "save_rituals_plan",
    "summary_section",
]
