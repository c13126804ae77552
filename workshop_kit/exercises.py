"""Three practice exercises: an active-listening round, a rituals plan, a calm-down plan.

Pure logic (no matplotlib, no ipywidgets). The wording lives in
``content/exercises.yaml``; this module loads and checks it, runs the listening round
as a small state machine (speak → reflect → reply, then switch), validates and stores
the plans through :class:`~workshop_kit.session.Session`, and tallies the room's
rituals with the k rule.

Store kinds: ``rituals_plan`` (per couple, key ``plan``), ``calm_down_plan`` (per
partner, key ``plan``) and ``listening_round`` (session level, one key per round run).
"""

from __future__ import annotations

import math
import random
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import tally
from .content import CONTENT_DIR, read_yaml, require
from .errors import ContentError, InputError, one_of
from .session import PARTNERS, Session

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
        unknown = [i for i in ids if i not in known]
        if not ids or unknown:
            raise ContentError(
                f"{w}: field 'rituals' must list catalogue ritual ids "
                f"{sorted(known)}; unknown {unknown}"
            )
        found[str(theme)] = Suggestion(str(theme), ids, require(entry, "try", str, w))
    if GENERAL not in found:
        raise ContentError(f"{where}: needs a {GENERAL!r} entry for couples with no themes")
    return found


def load_exercises(path: Path | str | None = None) -> ExercisesContent:
    """Load and check the exercises content (listening cards, rituals, calm-down choices).

    >>> content = load_exercises()
    >>> [step.id for step in content.listening.steps]
    ['speak', 'reflect', 'reply']
    >>> content.rituals.ritual("walk").name
    'A walk together'
    """
    path = Path(path) if path else CONTENT_DIR / "exercises.yaml"
    return _load_cached(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int) -> ExercisesContent:
    data = read_yaml(path)
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


# -- the listening round ------------------------------------------------------------
class ListeningRound:
    """Speaker and listener take turns: speak → reflect → reply, then switch.

    The clock is injected (any function returning seconds), so tests and widgets can
    drive the timer. Switching is refused while the speaker still has the floor: the
    listener reflects back before replying.

    Examples
    --------
    >>> now = [0.0]
    >>> rnd = ListeningRound(load_exercises().listening, round_length=60, clock=lambda: now[0])
    >>> rnd.start(); now[0] = 15.0
    >>> (rnd.speaker, rnd.step, rnd.remaining())
    ('A', 'speak', 45)
    >>> rnd.switch_turn()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: the listener reflects back before replying: ...
    >>> rnd.next_step(); rnd.switch_turn()
    >>> (rnd.speaker, rnd.listener, rnd.step, rnd.turns_completed)
    ('B', 'A', 'speak', 1)
    """

    def __init__(
        self,
        content: ListeningContent,
        round_length: int | None = None,
        first_speaker: str = "A",
        clock: Callable[[], float] = time.monotonic,
    ):
        round_length = content.default_round_length if round_length is None else round_length
        if round_length not in content.round_lengths:
            raise one_of("round length (seconds)", round_length, content.round_lengths)
        if first_speaker not in PARTNERS:
            raise one_of("first speaker", first_speaker, PARTNERS)
        self.content = content
        self.round_length = round_length
        self.clock = clock
        self.speaker = first_speaker
        self.step = STEP_ORDER[0]
        self.turn = 1
        self.turns_completed = 0
        self._elapsed = 0.0
        self._started_at: float | None = None

    @property
    def listener(self) -> str:
        return PARTNERS[1 - PARTNERS.index(self.speaker)]

    @property
    def step_info(self) -> ListeningStep:
        return self.content.step(self.step)

    @property
    def duration(self) -> int:
        """Seconds the current step lasts."""
        return self.step_info.seconds or self.round_length

    @property
    def running(self) -> bool:
        return self._started_at is not None

    def elapsed(self) -> float:
        running = self.clock() - self._started_at if self._started_at is not None else 0.0
        return self._elapsed + running

    def remaining(self) -> int:
        """Whole seconds left in this step (rounded up, never below zero)."""
        return max(0, math.ceil(self.duration - self.elapsed() - 1e-9))

    def time_up(self) -> bool:
        return self.remaining() == 0

    def start(self) -> None:
        """Start (or resume) the timer of the current step."""
        if not self.running:
            self._started_at = self.clock()

    def pause(self) -> None:
        if self.running:
            self._elapsed = self.elapsed()
            self._started_at = None

    def _reset_timer(self, keep_running: bool) -> None:
        self._elapsed = 0.0
        self._started_at = self.clock() if keep_running else None

    def next_step(self) -> None:
        """Speak → reflect → reply; the timer restarts (and keeps running if it was)."""
        index = STEP_ORDER.index(self.step)
        if index == len(STEP_ORDER) - 1:
            raise InputError("after 'Reply' this turn is over: switch turns")
        self.step = STEP_ORDER[index + 1]
        self._reset_timer(self.running)

    @property
    def can_switch(self) -> bool:
        return self.step != STEP_ORDER[0]

    def switch_turn(self) -> None:
        """The listener becomes the speaker; the timer waits for the next start."""
        if not self.can_switch:
            raise InputError(
                "the listener reflects back before replying: go on to "
                f"{self.content.step('reflect').name!r} before switching turns"
            )
        self.turns_completed += 1
        self.turn += 1
        self.speaker = self.listener
        self.step = STEP_ORDER[0]
        self._reset_timer(keep_running=False)

    def record(self) -> dict[str, int]:
        """What is stored when the round ends: turns completed and the round length.

        The current turn counts once its listener has reflected back.
        """
        turns = self.turns_completed + (1 if self.can_switch else 0)
        return {"turns": turns, "round_length": self.round_length}


def record_listening_round(
    session: Session,
    listening_round: ListeningRound,
    key: str | None = None,
    source: str = "widget",
) -> dict[str, int]:
    """Store one finished round (session level, no couple); return what was stored."""
    value = listening_round.record()
    if value["turns"] == 0:
        raise InputError(
            "nothing to record yet: a turn counts once the listener has reflected back"
        )
    session.put_entry(LISTENING_KIND, key or uuid.uuid4().hex, value, source=source)
    return value


def listening_totals(session: Session) -> dict[str, int]:
    """How many listening rounds the room ran, and how many turns in all."""
    found = session.entries(LISTENING_KIND)
    return {"rounds": len(found), "turns": sum(int(e.value.get("turns", 0)) for e in found)}


# -- rituals plan -------------------------------------------------------------------
@dataclass(frozen=True)
class PlannedRitual:
    """One ritual in a couple's plan: catalogue id (or "own" with its words), day, time."""

    ritual: str
    day: str
    time: str
    text: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"ritual": self.ritual, "day": self.day, "time": self.time, "text": self.text}


def parse_time(value: Any, where: str = "time") -> str:
    """A time of day as ``HH:MM`` (24-hour clock); "7:30" and "19.30" are accepted.

    >>> parse_time("7:30"), parse_time("19.05")
    ('07:30', '19:05')
    >>> parse_time("7pm")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: time must be written HH:MM on a 24-hour clock, ...; not '7pm'
    """
    match = TIME_PATTERN.match(str(value)) if value is not None else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(
            f"{where} must be written HH:MM on a 24-hour clock, such as 19:30; not {value!r}"
        )
    return f"{int(match[1]):02d}:{match[2]}"


def _own_text(value: Any, max_length: int, where: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise InputError(f"{where}: please write your own words (they are missing)")
    if len(text) > max_length:
        raise InputError(
            f"{where}: your own words must be at most {max_length} characters; not {len(text)}"
        )
    return text


def check_rituals_plan(
    choices: Iterable[Mapping[str, Any]], content: RitualsContent | None = None
) -> tuple[PlannedRitual, ...]:
    """Check a plan of 2–3 rituals, each ``{"ritual", "day", "time", "text"}``.

    Returns the clean plan; raises :class:`InputError` naming the ritual and the field.

    >>> plan = check_rituals_plan([{"ritual": "walk", "day": "Sunday", "time": "10:00"},
    ...                            {"ritual": "own", "day": "Friday", "time": "20:00",
    ...                             "text": "Pizza and a film"}])
    >>> [(p.ritual, p.day, p.time, p.text) for p in plan]
    [('walk', 'Sunday', '10:00', ''), ('own', 'Friday', '20:00', 'Pizza and a film')]
    """
    content = content or load_exercises().rituals
    choices = list(choices)
    if not content.min_chosen <= len(choices) <= content.max_chosen:
        raise InputError(
            f"a rituals plan holds {content.min_chosen} to {content.max_chosen} "
            f"rituals; not {len(choices)}"
        )
    plan, seen = [], set()
    for i, choice in enumerate(choices, start=1):
        where = f"ritual {i}"
        if not isinstance(choice, Mapping):
            raise InputError(f"{where} must be a mapping with ritual, day and time; not {choice!r}")
        ritual_id = choice.get("ritual")
        try:
            content.ritual(ritual_id)
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
        day = choice.get("day")
        if day not in content.days:
            raise InputError(f"{where}: {one_of('day', day, content.days)}")
        at = parse_time(choice.get("time"), f"{where}: time")
        text = ""
        if ritual_id == OWN:
            text = _own_text(choice.get("text"), content.own_max_length, where)
        elif str(choice.get("text") or "").strip():
            raise InputError(
                f"{where}: own words go with {content.own.name!r} only; "
                f"{ritual_id!r} is from the list"
            )
        identity = (ritual_id, text.lower())
        if identity in seen:
            raise InputError(
                f"{where}: {content.ritual(ritual_id).name!r} is already in the "
                "plan; choose another"
            )
        seen.add(identity)
        plan.append(PlannedRitual(ritual_id, day, at, text))
    return tuple(plan)


def save_rituals_plan(
    session: Session,
    couple_code: str,
    choices: Iterable[Mapping[str, Any]],
    content: RitualsContent | None = None,
    source: str = "widget",
) -> tuple[PlannedRitual, ...]:
    """Check and store a couple's plan (replacing any earlier one) at once."""
    plan = check_rituals_plan(choices, content)
    session.put_entry(
        RITUALS_KIND, PLAN_KEY, {"rituals": [p.as_dict() for p in plan]}, couple_code, source=source
    )
    return plan


def rituals_plan(session: Session, couple_code: str) -> tuple[PlannedRitual, ...] | None:
    """The couple's latest plan, or None when they made none."""
    found = session.entries(RITUALS_KIND, couple_code=couple_code, key=PLAN_KEY)
    if not found:
        return None
    return tuple(
        PlannedRitual(r["ritual"], r["day"], r["time"], r.get("text", ""))
        for r in found[0].value["rituals"]
    )


def ritual_label(planned: PlannedRitual, content: RitualsContent) -> str:
    """What to call a planned ritual: its own words, or its catalogue name."""
    if planned.ritual == OWN:
        return planned.text
    try:
        return content.ritual(planned.ritual).name
    except InputError:  # a ritual since removed from the content keeps its id
        return planned.ritual


def room_ritual_counts(
    session: Session, content: RitualsContent | None = None, k: int | None = None
) -> pd.DataFrame:
    """How many couples chose each ritual, k-suppressed for the projector.

    Own rituals count as one label ("Our own ritual"), never by their words. Rituals
    chosen by fewer than ``k`` couples fold into "Other" (itself dropped under ``k``).
    Returns ``ritual, name, couples`` sorted largest first.
    """
    content = content or load_exercises().rituals
    k = session.k if k is None else k
    rows = [
        (e.couple_code, r["ritual"])
        for e in session.entries(RITUALS_KIND)
        for r in e.value["rituals"]
    ]
    contributions = pd.DataFrame(rows, columns=["contributor", "ritual"]).drop_duplicates()
    folded = tally.fold_small(contributions, "ritual", k)

    def name(ritual_id: str) -> str:
        if ritual_id == tally.OTHER:
            return "Other rituals"
        try:
            return content.ritual(ritual_id).name
        except InputError:
            return ritual_id

    # "Other" goes last whatever its size: it is a remainder, not a ritual
    folded = pd.concat(
        [folded[folded["ritual"] != tally.OTHER], folded[folded["ritual"] == tally.OTHER]],
        ignore_index=True,
    )
    return pd.DataFrame(
        {
            "ritual": folded["ritual"].astype(str),
            "name": [name(r) for r in folded["ritual"]],
            "couples": folded["contributors"].astype(int),
        }
    )


def plans_made(session: Session, k: int | None = None) -> dict[str, int | None]:
    """How many couples made a rituals plan and how many partners a calm-down plan.

    A count under ``k`` is given as None (too few to show).
    """
    k = session.k if k is None else k
    counts = pd.DataFrame(
        {
            "what": ["rituals_plans", "calm_down_plans"],
            "n": [len(session.entries(RITUALS_KIND)), len(session.entries(CALM_DOWN_KIND))],
        }
    )
    shown = tally.suppress_counts(counts, k)
    return {row.what: None if row.suppressed else int(row.n) for row in shown.itertuples()}


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
        return _own_text(text, max_length, name)
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
DEMO_TIMES = ("07:30", "12:30", "18:00", "19:30", "20:00", "21:00")


def populate_exercises(session: Session, rng: random.Random) -> None:
    """Demo plans: most couples plan rituals, most partners a calm-down plan; three rounds."""
    content = load_exercises()
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
                "text": rng.choice(DEMO_OWN) if r == OWN else "",
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


# -- summary ---------------------------------------------------------------------------
def summary_section(session: Session) -> dict[str, Any]:
    """Room aggregates for ``workshop-kit summary``: k-suppressed counts, no free text.

    Own rituals are counted under "own", never by their words; no couple code or
    partner appears.
    """
    counts = room_ritual_counts(session)
    return {
        "rituals_chosen": [
            {"ritual": row.ritual, "name": row.name, "couples": int(row.couples)}
            for row in counts.itertuples()
        ],
        **plans_made(session),
        "listening": listening_totals(session),
    }
