"""A realistic, seeded synthetic session, so every notebook and chart can be seen without a room.

Each module of the kit adds its own step to :data:`DEMO_STEPS`; a step takes the session
and a seeded ``random.Random`` and records what a real room would have given.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from .appreciation import populate_appreciation
from .exercises import populate_exercises
from .session import LANGUAGE, PARTNERS, Answer, Session, flag_entries
from .values_session import populate_values

DemoStep = Callable[[Session, random.Random], None]


def _clip(value: float, lo: int, hi: int) -> int:
    return int(min(hi, max(lo, round(value))))


def populate_checkin(session: Session, rng: random.Random) -> None:
    """Before and after check-ins: most couples improve a little, some do not, some skip.

    Couple 0 has no "after" at all; couple 1's partner B did not come back for "after";
    about 3% of items are skipped; most partners consent to sharing; a couple of
    participants ask to talk to someone.
    """
    content = session.content
    checkin = content.instrument("checkin")
    ios = content.instrument("ios")
    csi4 = next((i for i in content.instruments if i.id == "csi4"), None)
    theme_ids = [sub.id for sub in checkin.subscales]
    answers: list[Answer] = []
    flags = []
    for index, code in enumerate(session.couple_codes()):
        couple_level = rng.gauss(3.5, 0.6)
        # a few couples grow a lot, most a little, a few go the other way
        growth = rng.choice([0.9, 0.6, 0.4, 0.3, 0.2, 0.1, 0.0, -0.3])
        theme_bias = {t: rng.gauss(0, 0.35) for t in theme_ids}
        for partner in PARTNERS:
            person = couple_level + rng.gauss(0, 0.35)
            phases = ["before", "after"]
            if index == 0 or (index == 1 and partner == "B"):
                phases = ["before"]
            for phase in phases:
                level = person + (growth + rng.gauss(0, 0.15) if phase == "after" else 0)
                for sub in checkin.subscales:
                    for item in sub.items:
                        if rng.random() < 0.03:
                            value = None
                        else:
                            raw = _clip(
                                level + theme_bias[sub.id] + rng.gauss(0, 0.55), item.min, item.max
                            )
                            value = item.score(raw)  # reversed items are answered mirrored
                        answers.append(Answer(code, partner, phase, "checkin", item.id, value))
                ios_value = _clip(1 + (level - 1) * 1.5 + rng.gauss(0, 0.7), ios.min, ios.max)
                answers.append(Answer(code, partner, phase, "ios", "ios", ios_value))
                if csi4 is not None:
                    # entered from the programme's own paper form (wording not shipped)
                    share = min(1.0, max(0.0, (level - 1) / 4 + 0.12 + rng.gauss(0, 0.08)))
                    for item in csi4.items:
                        value = _clip(share * item.max, item.min, item.max)
                        answers.append(Answer(code, partner, phase, "csi4", item.id, value))
            # answered at the morning check-in, kept per phase as the check-in page does
            flags += flag_entries("consent", rng.random() < 0.75, code, partner, "before")
            flags += flag_entries("wants_to_talk", rng.random() < 0.06, code, partner, "before")
    session.record_answers(answers, source="demo")
    session.put_entries(flags, source="demo")


_SUPPORT_ES = [
    {
        "name": "Su médico de familia",
        "contact": "Pregunten en su clínica de siempre",
        "note": "Un buen primer paso para el estrés, el ánimo bajo o dudas sobre su salud.",
    },
    {
        "name": "Servicio de consejería de pareja (ejemplo)",
        "contact": "0800 000 000",
        "note": "Consejería para parejas y para cada uno; pongan el servicio local.",
    },
    {
        "name": "Línea de ayuda contra la violencia doméstica (ejemplo)",
        "contact": "0808 000 000 (24 horas)",
        "note": "Gratis, confidencial, a cualquier hora del día o de la noche.",
    },
    {
        "name": "Servicios de emergencia",
        "contact": "911 / 112",
        "note": "Si alguien está en peligro ahora mismo.",
    },
]


def populate_support(session: Session, rng: random.Random) -> None:
    """Example local resources for the "where to find support" page (in Spanish too)."""
    if session.language == "es":
        session.set_support_resources(_SUPPORT_ES)
        return
    session.set_support_resources(
        [
            {
                "name": "Your family doctor (GP)",
                "contact": "Ask at your usual surgery",
                "note": "A good first step for stress, low mood or worries about your health.",
            },
            {
                "name": "Relationship counselling service (example)",
                "contact": "0800 000 000",
                "note": "Counselling for couples and for each of you; set the local one.",
            },
            {
                "name": "Domestic abuse helpline (example)",
                "contact": "0808 000 000 (24 hours)",
                "note": "Free, confidential, any time of day or night.",
            },
            {
                "name": "Emergency services",
                "contact": "999 / 112",
                "note": "If anyone is in immediate danger.",
            },
        ]
    )


# Every module appends its step here, in the order a workshop day runs.
DEMO_STEPS: list[DemoStep] = [populate_checkin, populate_support]
DEMO_STEPS.append(populate_exercises)
DEMO_STEPS.append(populate_values)
DEMO_STEPS.append(populate_appreciation)


def populate_languages(session: Session, rng: random.Random) -> None:
    """In a room that is not English, each partner's language: the room's, except one
    partner of the second couple who chose English (a mixed couple, a bilingual pack)."""
    if session.language == "en":
        return
    codes = session.couple_codes()
    entries = [
        (LANGUAGE, LANGUAGE, session.language, code, partner)
        for code in codes
        for partner in PARTNERS
    ]
    if len(codes) > 1:
        entries.append((LANGUAGE, LANGUAGE, "en", codes[1], "B"))
    session.put_entries(entries, source="demo")


DEMO_STEPS.append(populate_languages)


DEMO_TITLES = {"en": "Demo workshop: Growing closer", "es": "Taller de demostración: Más unidos"}


def build_demo(
    path: Path | str,
    couples: int = 12,
    seed: int = 7,
    title: str | None = None,
    language: str = "en",
) -> Session:
    """Create a demo session at ``path`` with ``couples`` couples, seeded for repeatability.

    ``language`` is the room's language (``"es"``: a Spanish session, with one partner who
    chose English).
    """
    title = title or DEMO_TITLES.get(language, DEMO_TITLES["en"])
    session = Session.create(
        path, title=title, date="2026-11-21", couples=couples, seed=seed, language=language
    )
    rng = random.Random(seed)
    for step in DEMO_STEPS:
        step(session, rng)
    return session
