"""Stage 3, cells: one cell's text as the value the kit stores, or a refusal saying why.

An answer is a whole number on the item's scale, or the scale's own words
("Often true"), or both ("4 - Often true") when they agree. Everything else is refused
with what was allowed, because a spreadsheet changes typed text in ways that look like an
answer: a typed range ``4-5`` or ``1/5`` becomes a date (``5-Apr``, ``04-May``), ``3:00`` is a
time, ``2 (not sure)`` is a doubt. Taking the first number of such a cell would store an answer
the person never gave.

Couple codes are matched to the session's, and a code a spreadsheet turned into a number
(``6E73`` saved back as ``6E+073`` or ``6.00E+73``) is recognised and named.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..couple_codes import spreadsheet_number
from ..errors import InputError
from ..session import PARTNERS, PHASES
from .common import normalise_text

PHASE_WORDS = {"before": "before", "after": "after", "pre": "before", "post": "after"}
YES = {"yes", "y", "true", "1", "ja", "oui", "si", "checked", "x"}
NO = {"no", "n", "false", "0", "nein", "non", "unchecked"}

_NUMBER = r"[+-]?\d+(?:[.,]0+)?"
_MONTHS = "jan feb mar apr may jun jul aug sep sept oct nov dec"
_MONTH = rf"(?:{'|'.join(_MONTHS.split())})[a-z]*\.?"
_DATES = (
    re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([t ][\d:.]+)?$", re.I),  # ISO, as a workbook gives it
    re.compile(rf"^\d{{1,2}}[-/ .]{_MONTH}([-/ .]\d{{2,4}})?$", re.I),  # 5-Apr, 04-May-26
    re.compile(rf"^{_MONTH}[-/ .]\d{{1,4}}$", re.I),  # Apr-05, May 2026
    re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$"),  # 5/4/2026
)
_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[ap]\.?m\.?)?$", re.I)
_RANGE = re.compile(r"^(\d+)\s*(?:-|–|—|/|to|or|and|&)\s*(\d+)$", re.I)
_NUMBER_THEN_WORDS = re.compile(rf"^({_NUMBER})\s*(?:[-–—:.=)]\s*|\(\s*)?(.+?)\)?$")


def allowed_text(lo: int, hi: int, words: dict[int, str] | None = None) -> str:
    """What an answer may be, in words.

    >>> allowed_text(1, 3, {1: "No", 3: "Yes"})  # doctest: +NORMALIZE_WHITESPACE
    "allowed a whole number from 1 to 3, or the words 'No' (1), 'Yes' (3),
    or blank for not answered"
    """
    listed = ", ".join(f"{text!r} ({value})" for value, text in sorted((words or {}).items()))
    return (
        f"allowed a whole number from {lo} to {hi}"
        + (f", or the words {listed}" if listed else "")
        + ", or blank for not answered"
    )


def parse_answer(
    text: str,
    lo: int,
    hi: int,
    anchors: dict[str, int] | None = None,
    words: dict[int, str] | None = None,
) -> float:
    """A cell's answer as a number within ``lo..hi``, or InputError saying what is allowed.

    Parameters
    ----------
    text : str
        The cell as read.
    lo, hi : int
        The item's scale.
    anchors : dict, optional
        Folded anchor words -> value ("often true" -> 4).
    words : dict, optional
        Value -> anchor words as written, for the message.

    Returns
    -------
    float
        The whole number given.

    Raises
    ------
    InputError
        For a range, a date, a time, words that are not the scale's, a number outside the
        scale or not whole; the message lists what is allowed.

    Examples
    --------
    >>> parse_answer(" 4 ", 1, 5), parse_answer("4,0", 1, 5)
    (4.0, 4.0)
    >>> parse_answer("Often true", 1, 5, {"often true": 4}), parse_answer("4 - Often true", 1, 5,
    ...     {"often true": 4})
    (4.0, 4.0)
    >>> parse_answer("4-5", 1, 5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: '4-5' is two answers (4 and 5): choose one; allowed ...
    >>> parse_answer("5-Apr", 1, 5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: '5-Apr' looks like a date: ...
    """
    allowed = allowed_text(lo, hi, words)
    stripped = text.strip()
    folded = normalise_text(stripped)
    if anchors and folded in anchors:
        return float(anchors[folded])
    if any(pattern.match(stripped) for pattern in _DATES):
        raise InputError(
            f"{text!r} looks like a date: a spreadsheet turns a typed '4-5' or '1/5' into one. "
            f"Set the column's format to Text, type the one answer again; {allowed}"
        )
    if _TIME.match(stripped):
        raise InputError(
            f"{text!r} looks like a time: a spreadsheet turns a typed '3:00' or '3.5' into "
            f"one; {allowed}"
        )
    pair = _RANGE.match(stripped)
    if pair:
        raise InputError(
            f"{text!r} is two answers ({pair.group(1)} and {pair.group(2)}): choose one; {allowed}"
        )
    if re.fullmatch(_NUMBER, stripped):
        number = float(stripped.replace(",", "."))
    else:
        both = _NUMBER_THEN_WORDS.match(stripped)
        if both and not re.fullmatch(r"[\d.,\s]+", both.group(2)):
            number = float(both.group(1).replace(",", "."))
            said = normalise_text(both.group(2))
            if not anchors or said not in anchors:
                raise InputError(
                    f"{text!r} has words after the number that are not the scale's; {allowed}"
                )
            if anchors[said] != number:
                raise InputError(
                    f"{text!r}: the number and the words disagree "
                    f"({both.group(2).strip()!r} is {anchors[said]}); {allowed}"
                )
        elif re.fullmatch(r"[+-]?\d+[.,]\d+", stripped):
            raise InputError(f"{text!r} is not a whole number: {allowed}")
        else:
            raise InputError(f"{text!r} is not a number: {allowed}")
    if not lo <= number <= hi:
        raise InputError(f"{text!r} is out of range: {allowed}")
    return number


def parse_partner(text: str) -> str:
    """'A', 'b', 'Partner A', 'I am partner B' -> 'A'/'B'.

    >>> parse_partner("Partner b")
    'B'
    """
    folded = normalise_text(text).upper()
    for prefix in ("I AM ", "PARTNER ", "PERSON "):
        folded = folded.removeprefix(prefix).strip()
    if folded not in PARTNERS:
        raise InputError(f"{text!r} is not a partner: allowed {' or '.join(PARTNERS)}")
    return folded


def parse_phase(text: str) -> str:
    """'before', 'After', 'pre', 'Before the workshop' -> 'before'/'after'.

    >>> parse_phase("After the workshop"), parse_phase("Pre")
    ('after', 'before')
    """
    words = set(normalise_text(text).split())
    found = {PHASE_WORDS[w] for w in words if w in PHASE_WORDS}
    if len(found) != 1:
        raise InputError(f"{text!r} is not a phase: allowed {' or '.join(PHASES)} (or pre, post)")
    return found.pop()


def phase_of_name(name: str | None) -> str | None:
    """The phase a sheet's name gives ('Before', 'After workshop', 'Post'), or None."""
    if not name:
        return None
    try:
        return parse_phase(name)
    except InputError:
        return None


def parse_yes_no(text: str) -> bool:
    """'Yes', 'no', 'TRUE', '1' -> True/False."""
    folded = normalise_text(text)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise InputError(f"{text!r} is not yes or no: allowed yes, no, or blank for not answered")


def mangled_code(text: str, codes: set[str]) -> str | None:
    """The session's couple code that a spreadsheet turned into the number ``text``, if one.

    >>> mangled_code("6E+073", {"6E73", "K7P3"}), mangled_code("6.00E+73", {"6E73"})
    ('6E73', '6E73')
    >>> mangled_code("12", {"K7P3"}) is None
    True
    """
    try:
        number = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    matches = [c for c in codes if spreadsheet_number(c) == number]
    return matches[0] if len(matches) == 1 else None


_TIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
)


def parse_row_time(text: str, day_first: bool | None = None) -> datetime | None:
    """When a form row was answered, from a timestamp cell; None when it cannot be read.

    ``day_first`` says how to read ``05/04/2026``; None reads it as the earlier of the two
    dates, so an ambiguous row is never taken to be newer than it may be.

    >>> parse_row_time("11/21/2026 9:50:00").isoformat()
    '2026-11-21T09:50:00'
    >>> parse_row_time("2026-11-21 09:40:00").isoformat()
    '2026-11-21T09:40:00'
    """
    text = text.strip()
    if not text:
        return None
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    match = re.match(
        r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)?$",
        text,
        re.I,
    )
    if not match:
        return None
    a, b, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    hour, minute, second = (int(match.group(i) or 0) for i in (4, 5, 6))
    if match.group(7):
        hour = hour % 12 + (12 if match.group(7).lower() == "pm" else 0)
    readings = []
    for month, day in ((a, b), (b, a)):
        if day_first is not None and (month, day) != ((b, a) if day_first else (a, b)):
            continue
        try:
            readings.append(datetime(year, month, day, hour, minute, second))
        except ValueError:
            continue
    return min(readings) if readings else None
