"""A couple's rituals plan: checked, stored, read back, and the room's ritual counts
(k rule; couples' own rituals are counted, never their words).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import tally
from ..errors import InputError, one_of
from ..session import Session
from .content import (
    OWN,
    PLAN_KEY,
    RITUALS_KIND,
    TIME_PATTERN,
    RitualsContent,
    load_exercises,
    own_words,
)


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

    Parameters
    ----------
    value : Any
        What was typed: ``H:MM``, ``HH:MM``, with ``:`` or ``.`` between.
    where : str, default "time"
        Where it was typed, named in the message.

    Returns
    -------
    str
        ``HH:MM``, hours 00 to 23, minutes 00 to 59.

    Raises
    ------
    InputError
        Not a time of day on a 24-hour clock (``"7pm"``, ``"25:00"``, None).

    Examples
    --------
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


def check_rituals_plan(
    choices: Iterable[Mapping[str, Any]], content: RitualsContent | None = None
) -> tuple[PlannedRitual, ...]:
    """Check a plan of 2–3 rituals, each ``{"ritual", "day", "time", "text"}``.

    Parameters
    ----------
    choices : iterable of mapping
        The couple's rituals: ``ritual`` (an id of the content, or ``"own"``), ``day``
        (one of the content's days), ``time`` (see :func:`parse_time`) and, for
        ``"own"`` only, ``text`` (their own words).
    content : RitualsContent, optional
        The rituals content; the kit's own when None.

    Returns
    -------
    tuple of PlannedRitual
        The clean plan, in the order given.

    Raises
    ------
    InputError
        Naming the ritual and the field: too few or too many rituals (the content's
        ``min_chosen`` to ``max_chosen``), an unknown ritual or day, a bad time, own
        words with a listed ritual or missing with ``"own"``, or a ritual twice.

    Examples
    --------
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
            text = own_words(choice.get("text"), content.own_max_length, where)
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
    """Check and store a couple's plan (replacing any earlier one) at once.

    Parameters
    ----------
    session : Session
        The session to write to.
    couple_code : str
        The couple.
    choices : iterable of mapping
        As for :func:`check_rituals_plan`.
    content : RitualsContent, optional
        The rituals content; the kit's own when None.
    source : str, default "widget"
        Where it came from (``widget``, ``paper``, ``import``, ``demo``).

    Returns
    -------
    tuple of PlannedRitual
        The plan as stored.

    Raises
    ------
    InputError
        The plan does not pass :func:`check_rituals_plan` (nothing is stored), or the
        couple code is unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> code = s.couple_codes()[0]
    >>> plan = save_rituals_plan(s, code, [{"ritual": "walk", "day": "Sunday", "time": "10:00"},
    ...                                    {"ritual": "own", "day": "Friday", "time": "8.30",
    ...                                     "text": "Pancakes"}])
    >>> [p.time for p in rituals_plan(s, code)]
    ['10:00', '08:30']
    """
    plan = check_rituals_plan(choices, content)
    session.put_entry(
        RITUALS_KIND, PLAN_KEY, {"rituals": [p.as_dict() for p in plan]}, couple_code, source=source
    )
    return plan


def rituals_plan(session: Session, couple_code: str) -> tuple[PlannedRitual, ...] | None:
    """The couple's latest plan, or None when they made none.

    Parameters
    ----------
    session : Session
        The session to read.
    couple_code : str
        The couple.

    Returns
    -------
    tuple of PlannedRitual or None
        The plan last saved by :func:`save_rituals_plan`; None when there is none.
    """
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

    Parameters
    ----------
    session : Session
        The session to read.
    content : RitualsContent, optional
        The rituals content, for the names; the kit's own when None.
    k : int, optional
        The threshold; the session's own when None.

    Returns
    -------
    pandas.DataFrame
        ``ritual, name, couples`` sorted largest first, "Other rituals" last.

    Raises
    ------
    InputError
        ``k`` is not a whole number of at least 1.

    Notes
    -----
    A couple counts once per ritual however many times it is planned; see
    :func:`workshop_kit.tally.fold_small` for the folding rule.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> len(room_ritual_counts(s))
    0
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
