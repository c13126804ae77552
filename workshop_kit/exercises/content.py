"""The practice exercises' content: ``content/exercises.yaml``, loaded and checked.

Store kinds and the fixed words the exercises share are defined here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..content import CONTENT_DIR, read_content, require
from ..errors import ContentError, InputError, one_of

RITUALS_KIND = "rituals_plan"
CALM_DOWN_KIND = "calm_down_plan"
LISTENING_KIND = "listening_round"
PLAN_KEY = "plan"
OWN = "own"
GENERAL = "general"
# The listening rule lives in this order: the listener reflects back before replying.
STEP_ORDER = ("speak", "reflect", "reply")
TIME_PATTERN = re.compile(r"^\s*(\d{1,2})\s*[:.]\s*(\d{2})\s*$")


# -- content ------------------------------------------------------------------------
@dataclass(frozen=True)
class ListeningStep:
    id: str
    name: str
    seconds: int  # 0 = the round length chosen for the session
    speaker_does: str
    listener_does: str


@dataclass(frozen=True)
class ListeningContent:
    intro: str
    round_lengths: tuple[int, ...]
    default_round_length: int
    steps: tuple[ListeningStep, ...]
    speaker_starters: tuple[str, ...]
    listener_starters: tuple[str, ...]
    topics: tuple[str, ...]

    def step(self, step_id: str) -> ListeningStep:
        return next(s for s in self.steps if s.id == step_id)


@dataclass(frozen=True)
class Ritual:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class RitualsContent:
    catalogue: tuple[Ritual, ...]
    own: Ritual
    own_max_length: int
    days: tuple[str, ...]
    min_chosen: int
    max_chosen: int

    def ritual(self, ritual_id: str) -> Ritual:
        """The catalogue ritual (or the "own" entry) with this id."""
        for ritual in (*self.catalogue, self.own):
            if ritual.id == ritual_id:
                return ritual
        raise one_of("ritual", ritual_id, [r.id for r in (*self.catalogue, self.own)])


@dataclass(frozen=True)
class Choice:
    id: str
    text: str


@dataclass(frozen=True)
class CalmDownContent:
    intro: str
    signals: tuple[Choice, ...]
    break_minutes: tuple[int, ...]
    recommended_minimum: int
    come_back: tuple[Choice, ...]
    own_max_length: int


@dataclass(frozen=True)
class Suggestion:
    theme: str
    rituals: tuple[str, ...]
    try_text: str


@dataclass(frozen=True)
class ExercisesContent:
    listening: ListeningContent
    rituals: RitualsContent
    calm_down: CalmDownContent
    suggestions: dict[str, Suggestion]
    path: Path


def _texts(entry: dict, key: str, where: str) -> tuple[str, ...]:
    values = require(entry, key, list, where)
    if not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ContentError(f"{where}: field {key!r} must be a list of non-empty texts")
    return tuple(v.strip() for v in values)


def _whole_numbers(entry: dict, key: str, where: str) -> tuple[int, ...]:
    values = require(entry, key, list, where)
    if not values or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values
    ):
        raise ContentError(f"{where}: field {key!r} must be a list of whole numbers above 0")
    return tuple(values)


def _choices(entry: dict, key: str, where: str) -> tuple[Choice, ...]:
    found = []
    for i, item in enumerate(require(entry, key, list, where), start=1):
        w = f"{where}, {key} entry {i}"
        if not isinstance(item, dict):
            raise ContentError(f"{w}: must be a mapping")
        found.append(Choice(require(item, "id", str, w), require(item, "text", str, w).strip()))
    ids = [c.id for c in found]
    if len(set(ids)) != len(ids) or OWN not in ids:
        raise ContentError(f"{where}: {key} ids must be unique and include {OWN!r}; got {ids}")
    return tuple(found)


def _listening(data: dict, where: str) -> ListeningContent:
    steps = []
    for i, entry in enumerate(require(data, "steps", list, where), start=1):
        w = f"{where}, step {i}"
        if not isinstance(entry, dict):
            raise ContentError(f"{w}: must be a mapping")
        seconds = require(entry, "seconds", int, w)
        if seconds < 0:
            raise ContentError(f"{w}: field 'seconds' must be 0 or more; not {seconds}")
        steps.append(
            ListeningStep(
                require(entry, "id", str, w),
                require(entry, "name", str, w),
                seconds,
                require(entry, "speaker_does", str, w),
                require(entry, "listener_does", str, w),
            )
        )
    if tuple(s.id for s in steps) != STEP_ORDER:
        raise ContentError(
            f"{where}: the steps must be {list(STEP_ORDER)} in this order; "
            f"not {[s.id for s in steps]}"
        )
    lengths = _whole_numbers(data, "round_lengths", where)
    default = require(data, "default_round_length", int, where)
    if default not in lengths:
        raise ContentError(
            f"{where}: field 'default_round_length' must be one of {list(lengths)}; not {default!r}"
        )
    return ListeningContent(
        intro=" ".join(require(data, "intro", str, where).split()),
        round_lengths=lengths,
        default_round_length=default,
        steps=tuple(steps),
        speaker_starters=_texts(data, "speaker_starters", where),
        listener_starters=_texts(data, "listener_starters", where),
        topics=_texts(data, "topics", where),
    )


def _ritual(entry: Any, where: str) -> Ritual:
    if not isinstance(entry, dict):
        raise ContentError(f"{where}: must be a mapping")
    ritual_id = require(entry, "id", str, where)
    w = f"{where} {ritual_id!r}"
    return Ritual(ritual_id, require(entry, "name", str, w), require(entry, "description", str, w))


def _rituals(data: dict, where: str) -> RitualsContent:
    catalogue = tuple(
        _ritual(e, f"{where}, ritual") for e in require(data, "catalogue", list, where)
    )
    own_entry = require(data, "own", dict, where)
    own = _ritual(own_entry, f"{where}, own")
    ids = [r.id for r in catalogue]
    if len(set(ids)) != len(ids) or own.id != OWN or OWN in ids:
        raise ContentError(
            f"{where}: ritual ids must be unique, and 'own' must have id "
            f"{OWN!r} (and only it); got {ids} and {own.id!r}"
        )
    lo, hi = require(data, "min_chosen", int, where), require(data, "max_chosen", int, where)
    if not 1 <= lo <= hi:
        raise ContentError(f"{where}: need 1 <= min_chosen <= max_chosen; not {lo}..{hi}")
    return RitualsContent(
        catalogue,
        own,
        require(own_entry, "max_length", int, f"{where}, own"),
        _texts(data, "days", where),
        lo,
        hi,
    )


def _calm_down(data: dict, where: str) -> CalmDownContent:
    return CalmDownContent(
        intro=" ".join(require(data, "intro", str, where).split()),
        signals=_choices(data, "signals", where),
        break_minutes=_whole_numbers(data, "break_minutes", where),
        recommended_minimum=require(data, "recommended_minimum", int, where),
        come_back=_choices(data, "come_back", where),
        own_max_length=require(data, "own_max_length", int, where),
    )


def _suggestions(data: dict, rituals: RitualsContent, where: str) -> dict[str, Suggestion]:
    known = {r.id for r in rituals.catalogue}
    found = {}
    for theme, entry in data.items():
        w = f"{where}, theme {theme!r}"
        if not isinstance(entry, dict):
            raise ContentError(f"{w}: must be a mapping")
        ids = tuple(require(entry, "rituals", list, w))
        unknown = [i for i in ids if not isinstance(i, str) or i not in known]
        if not ids or unknown:
            raise ContentError(
                f"{w}: field 'rituals' must list catalogue ritual ids "
                f"{sorted(known)}; unknown {unknown}"
            )
        found[str(theme)] = Suggestion(str(theme), ids, require(entry, "try", str, w))
    if GENERAL not in found:
        raise ContentError(f"{where}: needs a {GENERAL!r} entry for couples with no themes")
    return found


def load_exercises(path: Path | str | None = None, language: str = "en") -> ExercisesContent:
    """Load and check the exercises content (listening cards, rituals, calm-down choices).

    >>> content = load_exercises()
    >>> [step.id for step in content.listening.steps]
    ['speak', 'reflect', 'reply']
    >>> content.rituals.ritual("walk").name
    'A walk together'
    """
    path = Path(path) if path else CONTENT_DIR / "exercises.yaml"
    return _load_cached(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0, language)


@lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int, language: str = "en") -> ExercisesContent:
    data = read_content(path, language)
    name = path.name
    rituals = _rituals(require(data, "rituals", dict, name), f"{name}, rituals")
    return ExercisesContent(
        listening=_listening(require(data, "listening", dict, name), f"{name}, listening"),
        rituals=rituals,
        calm_down=_calm_down(require(data, "calm_down", dict, name), f"{name}, calm_down"),
        suggestions=_suggestions(
            require(data, "suggestions", dict, name), rituals, f"{name}, suggestions"
        ),
        path=path,
    )


def own_words(value: Any, max_length: int, where: str) -> str:
    """A couple's own words for a plan, spaces tidied; an error when empty or too long."""
    text = " ".join(str(value or "").split())
    if not text:
        raise InputError(f"{where}: please write your own words (they are missing)")
    if len(text) > max_length:
        raise InputError(
            f"{where}: your own words must be at most {max_length} characters; not {len(text)}"
        )
    return text
