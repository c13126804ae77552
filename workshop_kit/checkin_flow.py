"""The check-in as a list of screens, shared by the laptop widget and the phone pages.

Pure logic: no ipywidgets, no matplotlib. A screen is an item, the picture scale, or a
yes/no flag (consent, "I would like to talk to someone"); a person resumes at their first
screen with nothing stored for the phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import CheckinContent, Flag, Instrument, Item
from .session import FLAG_PHASE, Session


@dataclass(frozen=True)
class Step:
    """One screen of the check-in: an item, the picture scale, or a yes/no flag."""

    kind: str  # "item", "picture" or "flag"
    instrument: Instrument | None = None
    item: Item | None = None
    flag: Flag | None = None

    @property
    def key(self) -> tuple[str, str]:
        if self.kind == "flag":
            return ("flag", self.flag.id)
        if self.kind == "picture":
            return (self.instrument.id, self.instrument.id)
        return (self.instrument.id, self.item.id)


def checkin_steps(session: Session, content: CheckinContent | None = None) -> list[Step]:
    """The screens in order: every shown instrument's items, then the flags.

    An instrument whose items lack wording (a published measure not yet completed by the
    facilitator) is never shown. ``content`` is the session's content in a partner's
    language (``session.content_in(language)``); its ids and order are the same in every
    language, so a step's key never depends on the language.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> steps = checkin_steps(s)
    >>> steps[0].kind, steps[-1].kind, steps[-1].key
    ('item', 'flag', ('flag', 'wants_to_talk'))
    """
    content = content or session.content
    steps: list[Step] = []
    for inst in content.shown_instruments:
        if inst.kind == "picture":
            steps.append(Step("picture", instrument=inst))
        else:
            steps.extend(Step("item", instrument=inst, item=item) for item in inst.items)
    steps.extend(Step("flag", flag=flag) for flag in content.flags)
    return steps


def resume_index(
    session: Session, steps: list[Step], couple_code: str, partner: str, phase: str
) -> int:
    """The first step this partner has not answered (or skipped) yet in ``phase``;
    ``len(steps)`` when every step has an answer.

    A yes/no question counts as answered once it was answered in this phase (each
    check-in asks "I would like to talk to someone" again).
    """
    given = session.answered_items(couple_code, partner, phase)
    flags = {e.key for e in session.entries(FLAG_PHASE, couple_code, partner)}
    for i, step in enumerate(steps):
        if step.kind == "flag":
            if f"{phase}:{step.flag.id}" not in flags:
                return i
        elif step.key not in given:
            return i
    return len(steps)


__all__ = ["Step", "checkin_steps", "resume_index"]
