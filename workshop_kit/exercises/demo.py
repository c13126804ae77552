"""Seeded practice-exercise data for ``workshop-kit demo``."""

from __future__ import annotations

import random

from ..session import PARTNERS, Session
from .calm_down import check_calm_down_plan
from .content import CALM_DOWN_KIND, LISTENING_KIND, OWN, PLAN_KEY, RITUALS_KIND, load_exercises
from .rituals import check_rituals_plan

# -- demo -----------------------------------------------------------------------------
DEMO_WEIGHTS = {
    "weekly_date": 6,
    "walk": 5,
    "cooking": 4,
    "gratitude_journal": 3,
    "mindfulness": 2,
    "daily_check_in": 2,
    "goodnight": 1,
    "morning_coffee": 1,
    "giving_back": 1,
}
DEMO_OWN = (
    "Pancakes on Sunday morning",
    "Reading aloud to each other in bed",
    "The Saturday market, just the two of us",
)
DEMO_OWN_ES = (
    "Panqueques el domingo en la mañana",
    "Leernos en voz alta en la cama",
    "El mercado del sábado, solo los dos",
)
DEMO_TIMES = ("07:30", "12:30", "18:00", "19:30", "20:00", "21:00")


def populate_exercises(session: Session, rng: random.Random) -> None:
    """Demo plans: most couples plan rituals, most partners a calm-down plan; three rounds."""
    content = load_exercises()
    own_words = DEMO_OWN_ES if session.language == "es" else DEMO_OWN
    ids = [r.id for r in content.rituals.catalogue]
    weights = [DEMO_WEIGHTS.get(i, 1) for i in ids]
    signals = [c.id for c in content.calm_down.signals if c.id != OWN]
    backs = [c.id for c in content.calm_down.come_back if c.id != OWN]
    rows = []
    for index, code in enumerate(session.couple_codes()):
        if index == 2 or rng.random() < 0.1:  # couple 2 (and a few others) made no plan
            continue
        count = rng.choice([content.rituals.min_chosen, content.rituals.max_chosen])
        picked: list[str] = []
        while len(picked) < count:
            ritual = OWN if rng.random() < 0.12 else rng.choices(ids, weights)[0]
            if ritual not in picked:
                picked.append(ritual)
        choices = [
            {
                "ritual": r,
                "day": rng.choice(content.rituals.days),
                "time": rng.choice(DEMO_TIMES),
                "text": rng.choice(own_words) if r == OWN else "",
            }
            for r in picked
        ]
        plan = check_rituals_plan(choices, content.rituals)
        rows.append((RITUALS_KIND, PLAN_KEY, {"rituals": [p.as_dict() for p in plan]}, code, None))
    for index, code in enumerate(session.couple_codes()):
        for partner in PARTNERS:
            if index == 2 or rng.random() < 0.12:
                continue
            plan = check_calm_down_plan(
                rng.choice(signals),
                rng.choice([20, 20, 30, 30, 45]),
                rng.choice(backs),
                content=content.calm_down,
            )
            rows.append((CALM_DOWN_KIND, PLAN_KEY, plan.as_dict(), code, partner))
    for number in range(1, 4):
        rows.append(
            (
                LISTENING_KIND,
                f"demo-{number}",
                {
                    "turns": rng.choice([2, 2, 4]),
                    "round_length": content.listening.default_round_length,
                },
                None,
                None,
            )
        )
    session.put_entries(rows, source="demo")
