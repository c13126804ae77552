"""Couple codes a spreadsheet leaves alone.

A code such as ``6E73`` is read by LibreOffice and Excel as the number 6 x 10^73 and saved
back as ``6E+073`` or ``6.00E+73``; ``3469`` loses nothing but becomes a number; ``MAR4``
or ``4MAY`` may become a date and ``TRUE`` a yes/no value. The kit never generates such
codes, and the importer recognises a code that was turned into a number.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import re

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_NUMBER_LIKE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(E[+-]?\d+)?$")
_TIME_LIKE = re.compile(r"^\d+\s*(A|P|AM|PM)$")
_WORDS = {"TRUE", "FALSE", "NA", "NAN", "INF", "NULL", "NONE"}


def spreadsheet_number(code: str) -> float | None:
    """The number a spreadsheet reads ``code`` as, or None when it stays text.

    >>> spreadsheet_number("6E73"), spreadsheet_number("3469"), spreadsheet_number("K7P3")
    (6e+73, 3469.0, None)
    """
    text = str(code).strip().upper()
    if not _NUMBER_LIKE.match(text):
        return None
    try:
        return float(text)
    except (ValueError, OverflowError):
        return None


def spreadsheet_safe(code: str) -> bool:
    """Whether a spreadsheet keeps ``code`` as the text it is.

    Parameters
    ----------
    code : str
        A couple code (upper case letters and digits).

    Returns
    -------
    bool
        False for codes a spreadsheet turns into a number (all digits, ``1E5``), a date
        (a month's name next to digits, ``MAR4``), a time (``4PM``) or a value (``TRUE``).

    Examples
    --------
    >>> [spreadsheet_safe(c) for c in ("K7P3", "6E73", "3469", "MAR4", "9PM", "TRUE")]
    [True, False, False, False, False, False]
    """
    text = str(code).strip().upper()
    if spreadsheet_number(text) is not None or text in _WORDS or _TIME_LIKE.match(text):
        return False
    for month in _MONTHS:
        at = text.find(month)
        if at >= 0:
            rest = text[:at] + text[at + 3 :]
            if rest.isdigit() or not rest:
                return False
    return True
