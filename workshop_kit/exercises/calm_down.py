"""Each partner's calm-down plan: a signal, a break long enough to settle, a way back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError, one_of
from ..session import Session
from .content import (
    CALM_DOWN_KIND,
    OWN,
    PLAN_KEY,
    CalmDownContent,
    Choice,
    load_exercises,
    own_words,
)


# -- calm-down plan -----------------------------------------------------------------
@dataclass(frozen=True)
class CalmDownPlan:
    """One partner's plan: the signal, the break length (minutes) and how to come back."""

    signal: str
    break_minutes: int
    come_back: str
    signal_text: str = ""
    come_back_text: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "signal_text": self.signal_text,
            "break_minutes": self.break_minutes,
            "come_back": self.come_back,
            "come_back_text": self.come_back_text,
        }


def _pick(choices: tuple[Choice, ...], value: Any, text: Any, name: str, max_length: int) -> str:
    ids = [c.id for c in choices]
    if value not in ids:
        raise one_of(name, value, ids)
    if value == OWN:
        return own_words(text, max_length, name)
    if str(text or "").strip():
        raise InputError(f"{name}: own words go with {OWN!r} only; {value!r} is from the list")
    return ""


def check_calm_down_plan(
    signal: str,
    break_minutes: int,
    come_back: str,
    signal_text: str = "",
    come_back_text: str = "",
    content: CalmDownContent | None = None,
) -> CalmDownPlan:
    """Check one partner's calm-down choices against the content.

    >>> check_calm_down_plan("pause_word", 20, "i_come_back").break_minutes
    20
    >>> check_calm_down_plan("pause_word", 5, "i_come_back")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: break length (minutes) must be one of [15, ..., 60]; not 5
    """
    content = content or load_exercises().calm_down
    signal_words = _pick(content.signals, signal, signal_text, "signal", content.own_max_length)
    if isinstance(break_minutes, bool) or break_minutes not in content.break_minutes:
        raise one_of("break length (minutes)", break_minutes, content.break_minutes)
    back_words = _pick(
        content.come_back, come_back, come_back_text, "way to come back", content.own_max_length
    )
    return CalmDownPlan(signal, int(break_minutes), come_back, signal_words, back_words)


def save_calm_down_plan(
    session: Session,
    couple_code: str,
    partner: str,
    plan: CalmDownPlan,
    content: CalmDownContent | None = None,
    source: str = "widget",
) -> CalmDownPlan:
    """Re-check and store one partner's plan (replacing any earlier one) at once."""
    plan = check_calm_down_plan(
        plan.signal,
        plan.break_minutes,
        plan.come_back,
        plan.signal_text,
        plan.come_back_text,
        content,
    )
    session.put_entry(CALM_DOWN_KIND, PLAN_KEY, plan.as_dict(), couple_code, partner, source=source)
    return plan


def calm_down_plan(session: Session, couple_code: str, partner: str) -> CalmDownPlan | None:
    """One partner's latest calm-down plan, or None when they made none."""
    code, partner = session.check_participant(couple_code, partner)
    found = session.entries(CALM_DOWN_KIND, couple_code=code, partner=partner, key=PLAN_KEY)
    return CalmDownPlan(**found[0].value) if found else None


def choice_words(choices: tuple[Choice, ...], choice_id: str, own_text: str) -> str:
    """The words of a chosen signal or way back (the partner's own words for "own")."""
    if choice_id == OWN:
        return own_text
    return next((c.text for c in choices if c.id == choice_id), choice_id)
