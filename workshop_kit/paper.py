"""The paper path: what a printed check-in form asks, in order, and how it is typed back in.

The printed form (:mod:`workshop_kit.export.forms`) and the fast entry widget
(:mod:`workshop_kit.widgets.entry`) both number the answers with :func:`form_fields`, so
"answer 7" on paper is the 7th character typed. :func:`form_legend` says which numbers
hold which kind of answer. Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .content import CheckinContent
from .errors import InputError
from .session import PARTNERS, PHASES, Answer, Session, flag_entries

SKIP_CHARS = ("-", " ", ".")
YES_CHARS = {"y": True, "1": True, "n": False, "0": False}


@dataclass(frozen=True)
class FormField:
    """One answer box of the paper check-in."""

    number: int  # 1-based, as printed
    kind: str  # "item", "picture" or "flag"
    instrument: str | None
    key: str  # item id, picture instrument id, or flag id
    text: str
    lo: int = 0
    hi: int = 1

    @property
    def allowed(self) -> str:
        if self.kind == "flag":
            return "y (yes) or n (no)"
        return f"{self.lo} to {self.hi}"

    def check(self, char: str) -> float | bool | None:
        """The value of one typed character; None for skipped; InputError otherwise.

        >>> FormField(1, "item", "checkin", "qt1", "...", 1, 5).check("4")
        4.0
        >>> FormField(1, "item", "checkin", "qt1", "...", 1, 5).check("7")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        workshop_kit.errors.InputError: answer 1 (qt1): '7' is not allowed; type 1 to 5, ...
        """
        char = char.strip().lower()
        if char in ("", *SKIP_CHARS):
            return None
        if self.kind == "flag":
            if char in YES_CHARS:
                return YES_CHARS[char]
        elif char.isdigit() and self.lo <= int(char) <= self.hi:
            return float(char)
        raise InputError(
            f"answer {self.number} ({self.key}): {char!r} is not allowed; type {self.allowed}, "
            "or - to skip"
        )


def form_fields(content: CheckinContent) -> list[FormField]:
    """The answers of the paper check-in in printed order: items, circles, yes/no questions.

    Only instruments whose every item has its wording are printed (a published measure
    without its text never is).

    >>> from workshop_kit.content import load_checkin
    >>> fields = form_fields(load_checkin())
    >>> fields[0].key, fields[-1].kind
    ('qt1', 'flag')
    """
    fields: list[FormField] = []
    for inst in content.shown_instruments:
        if inst.kind == "picture":
            fields.append(
                FormField(
                    len(fields) + 1, "picture", inst.id, inst.id, inst.name, inst.min, inst.max
                )
            )
            continue
        for item in inst.items:
            fields.append(
                FormField(
                    len(fields) + 1,
                    "item",
                    inst.id,
                    item.id,
                    item.text or item.id,
                    item.min,
                    item.max,
                )
            )
    for flag in content.flags:
        fields.append(FormField(len(fields) + 1, "flag", None, flag.id, flag.text))
    if any(f.hi > 9 or f.lo < 0 for f in fields):
        raise InputError("every answer of the paper form must be a single digit 0-9")
    return fields


def form_legend(fields: list[FormField]) -> list[tuple[int, int, str]]:
    """Runs of answers of one kind: ``(first number, last number, what to type)``.

    >>> fields = [FormField(1, "item", "checkin", "qt1", "..", 1, 5),
    ...           FormField(2, "item", "checkin", "qt2", "..", 1, 5),
    ...           FormField(3, "picture", "ios", "ios", "..", 1, 7),
    ...           FormField(4, "flag", None, "consent", "..")]
    >>> form_legend(fields)
    [(1, 2, '1 to 5'), (3, 3, '1 to 7'), (4, 4, 'y (yes) or n (no)')]
    """
    runs: list[tuple[int, int, str]] = []
    for field in fields:
        if runs and runs[-1][2] == field.allowed and runs[-1][1] == field.number - 1:
            runs[-1] = (runs[-1][0], field.number, field.allowed)
        else:
            runs.append((field.number, field.number, field.allowed))
    return runs


def form_records(
    fields: list[FormField], values: list, couple_code: str, partner: str, phase: str
) -> tuple[list[Answer], list[tuple]]:
    """Answers (skipped kept as None) and yes/no entries for one typed form.

    Answers beyond the typed ones are left out (not recorded at all); a skipped yes/no
    question writes nothing.
    """
    answers, entries = [], []
    for field, value in zip(fields, values):
        if field.kind == "flag":
            if value is not None:
                entries += flag_entries(field.key, bool(value), couple_code, partner, phase)
        else:
            answers.append(Answer(couple_code, partner, phase, field.instrument, field.key, value))
    return answers, entries


@dataclass(frozen=True)
class FormChange:
    """One answer a typed form would replace: what is saved, and what the form says."""

    field: FormField
    saved: float | bool | None
    typed: float | bool | None

    def describe(self) -> str:
        """One line for the facilitator, e.g. ``answer 15 (consent): saved No, form Yes``.

        >>> FormChange(FormField(15, "flag", None, "consent", "..."), False, True).describe()
        'answer 15 (consent): saved No, this form Yes'
        """

        def shown(value):
            if value is None:
                return "skipped"
            if isinstance(value, bool):
                return "Yes" if value else "No"
            return f"{value:g}"

        return (
            f"answer {self.field.number} ({self.field.key}): saved {shown(self.saved)}, "
            f"this form {shown(self.typed)}"
        )


def form_changes(
    session: Session,
    fields: list[FormField],
    values: list,
    couple_code: str,
    partner: str,
    phase: str,
) -> list[FormChange]:
    """The saved answers a typed form would replace with a different value.

    An answer saved for this participant and phase (on the laptop, say) that the form
    gives differently, a skipped one included, is a change; a yes/no question is compared
    with its current value and only when the form answers it. Nothing is written.

    Parameters
    ----------
    session : Session
        The open session.
    fields, values : list
        The form's fields and the typed values (:meth:`FormField.check`), same length.
    couple_code, partner, phase : str
        Whose form it is.

    Returns
    -------
    list of FormChange
        In the form's order; empty when saving replaces nothing.
    """
    given = session.answered_items(couple_code, partner, phase)
    changes = []
    for field, value in zip(fields, values):
        if field.kind == "flag":
            saved = session.flag(couple_code, partner, field.key)
            if value is not None and saved is not None and bool(value) != saved:
                changes.append(FormChange(field, saved, bool(value)))
            continue
        key = (field.instrument, field.key)
        if key in given and given[key] != value:
            changes.append(FormChange(field, given[key], value))
    return changes


def missing_forms(session: Session, phase: str | None = None) -> pd.DataFrame:
    """Participants with no check-in answer at all yet, per phase: ``couple_code, partner,
    phase``. A skipped answer counts as given (the form was handed in)."""
    if phase is not None and phase not in PHASES:
        raise InputError(f"phase must be one of {list(PHASES)}; not {phase!r}")
    given = session.participants_answered()
    rows = [
        (code, partner, ph)
        for ph in ([phase] if phase else PHASES)
        for code in session.couple_codes()
        for partner in PARTNERS
        if (code, partner, ph) not in given
    ]
    return pd.DataFrame(rows, columns=["couple_code", "partner", "phase"])
