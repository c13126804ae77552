"""Small pieces every import stage uses: text folding, column letters, collected problems.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import ImportRejected

MAX_ERRORS_SHOWN = 8
MAX_ERRORS_KEPT = 200
MAX_PROBLEMS = 1000  # stop reading a file this wrong: it will be refused anyway


def normalise_text(text: object) -> str:
    """Fold a header or an answer for matching: case, spaces, quotes and punctuation.

    Parameters
    ----------
    text : object
        A header cell or an answer, as read from the file.

    Returns
    -------
    str
        Lower case, apostrophes dropped, every run of other punctuation, underscores and
        spaces made one space.

    Examples
    --------
    >>> normalise_text("  I try to see things from my partner’s side,  even when WE disagree. ")
    'i try to see things from my partners side even when we disagree'
    >>> normalise_text("csi4_1")
    'csi4 1'
    """
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    folded = re.sub(r"['’‘`´]", "", folded)
    folded = re.sub(r"[\W_]+", " ", folded)
    return " ".join(folded.split())


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(27)
    ('A', 'Z', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def shorten(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters with ``...`` when longer.

    >>> shorten("abcdef", 5)
    'ab...'
    """
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``; ``many`` for an irregular plural.

    >>> plural(1, "row"), plural(3, "row"), plural(1, "person", "people")
    ('1 row', '3 rows', '1 person')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"


def in_sheet(sheet: str | None) -> str:
    """``"sheet 'After', "`` for a workbook sheet, ``""`` for a text file."""
    return f"sheet {sheet!r}, " if sheet else ""


class Problems:
    """Collects problems; keeps the first few messages and counts the rest."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.messages: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.messages) < MAX_ERRORS_KEPT:
            self.messages.append(message)

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def full(self) -> bool:
        return self.count >= MAX_PROBLEMS

    def reject(self) -> ImportRejected:
        shown = self.messages[:MAX_ERRORS_SHOWN]
        more = self.count - len(shown)
        lines = [
            f"{self.file_name}: not imported, nothing was changed. "
            f"{self.count} problem{'s' if self.count != 1 else ''} found:"
        ]
        lines += [f"  - {m}" for m in shown]
        if more:
            lines.append(f"  ... and {more} more")
        if self.full:
            lines.append(f"  (checking stopped after {MAX_PROBLEMS} problems)")
        return ImportRejected("\n".join(lines))


def reject(file_name: str, message: str) -> ImportRejected:
    """The one-problem refusal: ``<file>: not imported, nothing was changed: <message>``."""
    return ImportRejected(f"{file_name}: not imported, nothing was changed: {message}")
