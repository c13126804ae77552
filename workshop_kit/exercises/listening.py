"""The active-listening round: a small state machine (speak, reflect, reply, then switch)
run on an injected clock, and the room's count of rounds run.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable

from ..errors import InputError, one_of
from ..session import PARTNERS, Session
from .content import LISTENING_KIND, STEP_ORDER, ListeningContent, ListeningStep


# -- the listening round ------------------------------------------------------------
class ListeningRound:
    """Speaker and listener take turns: speak → reflect → reply, then switch.

    The clock is injected (any function returning seconds), so tests and widgets can
    drive the timer. Switching is refused while the speaker still has the floor: the
    listener reflects back before replying.

    Examples
    --------
    >>> from workshop_kit.exercises import load_exercises
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
    """Store one finished round (session level, no couple); return what was stored.

    Parameters
    ----------
    session : Session
        The session to write to.
    listening_round : ListeningRound
        The round, with at least one turn completed.
    key : str, optional
        The entry key (a fresh random one when None; the same key replaces the round).
    source : str, default "widget"
        Where it came from.

    Returns
    -------
    dict of str to int
        ``{"turns": n, "round_length": seconds}`` as stored.

    Raises
    ------
    InputError
        No turn was completed yet (nothing is stored).
    """
    value = listening_round.record()
    if value["turns"] == 0:
        raise InputError(
            "nothing to record yet: a turn counts once the listener has reflected back"
        )
    session.put_entry(LISTENING_KIND, key or uuid.uuid4().hex, value, source=source)
    return value


def listening_totals(session: Session) -> dict[str, int]:
    """How many listening rounds the room ran, and how many turns in all.

    Parameters
    ----------
    session : Session
        The session to read.

    Returns
    -------
    dict of str to int
        ``{"rounds": n, "turns": total}``; session-level counts, no couple in them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> listening_totals(s)
    {'rounds': 0, 'turns': 0}
    """
    found = session.entries(LISTENING_KIND)
    return {"rounds": len(found), "turns": sum(int(e.value.get("turns", 0)) for e in found)}
