"""Stage 1, read: a file as the tool or spreadsheet wrote it, as sheets of rows of text.

A text file (``.csv``, ``.txt``, ``.tsv``) is one sheet. Its encoding is found from the
bytes: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's
"Unicode Text"), or one of the two single-byte encodings Excel writes, Windows-1252 and
Mac Roman, told apart by which one reads as ordinary words. Its separator is the one a
hidden ``sep=;`` first line names, or else the one of tab, semicolon and comma under which
the header cells are recognised best.

A workbook (``.xlsx``, ``.xlsm``) gives every worksheet. The stated size of a sheet
(``<dimension>``) is not trusted: some exporters write it too small, so it is reset and
every row is read. A formula whose value was never saved (a file written by a program
rather than by a spreadsheet) comes back as a :class:`FormulaCell`, so the cell stage can
refuse it by name instead of reading it as blank.

Everything here streams: a file is read in chunks and rows are yielded one at a time.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice, zip_longest
from pathlib import Path

from .common import reject

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES
DELIMITERS = ("\t", ";", ",")
DELIMITER_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma"}
CHUNK = 1 << 20
SNIFF_CHARS = 1 << 16
SNIFF_ROWS = 12
SEP_LINE = re.compile(r"^\s*\"?sep=(.)\"?\s*$")

# Characters that are ordinary in text typed in Windows-1252 or Mac Roman; a decoding
# that yields others (a "Õ" inside a word, a "‡") is probably the wrong one.
_COMMON_NON_ASCII = set("’‘“”–—…•°€£ ßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœÀÁÂÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÖØÙÚÛÜŒ«»¿¡")


class FormulaCell(str):
    """A workbook cell holding a formula whose result was never saved (its text is the formula)."""


@dataclass
class Sheet:
    """One table of a file: a text file's only table or a worksheet of a workbook.

    ``rows`` yields every row as a list of cell texts, row 1 first; a row's number is
    its position, as a spreadsheet shows it.
    """

    name: str | None
    rows: Iterator[list[str]]
    notes: list[str] = field(default_factory=list)  # how it was read, for the preview


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _oddities(text: str) -> int:
    """How many characters of ``text`` look like a wrong decoding."""
    odd = 0
    previous = " "
    for char in text:
        if ord(char) >= 128:
            if char not in _COMMON_NON_ASCII:
                odd += 1
            elif char.isupper() and previous.islower():
                odd += 1  # "donÕt": a capital inside a word
        elif ord(char) < 32 and char not in "\t\r\n":
            odd += 1
        previous = char
    return odd


def detect_encoding(path: Path | str) -> str:
    """The encoding a text file was saved in, from its bytes.

    Parameters
    ----------
    path : Path or str
        The file; read in chunks, never whole.

    Returns
    -------
    str
        ``"utf-8-sig"``, ``"utf-16"`` (with a byte-order mark), ``"utf-16-le"`` or
        ``"utf-16-be"`` (without one), ``"utf-8"``, ``"cp1252"`` or ``"mac_roman"``.

    Raises
    ------
    ImportRejected
        When the bytes are not text in any of these (a NUL byte in a file that is not
        UTF-16, for instance).

    Notes
    -----
    Windows-1252 and Mac Roman decode almost any bytes, so the one chosen is the one whose
    reading of the first megabyte has fewer unusual characters (a capital letter inside a
    word such as "donÕt", control characters, rare symbols); a tie goes to Windows-1252.
    """
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(CHUNK)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    if b"\x00" not in head and _decodes(path, "utf-8"):
        return "utf-8"
    if b"\x00" not in head:
        candidates = [e for e in ("cp1252", "mac_roman") if _decodes(path, e)]
        if candidates:
            return min(candidates, key=lambda e: _oddities(head.decode(e, "replace")))
    raise reject(
        path.name,
        "the file is not text in UTF-8, UTF-16, Windows-1252 or Mac Roman; save it from "
        "the spreadsheet as 'CSV UTF-8', as 'Unicode Text' or as .xlsx",
    )


def _text_rows(path: Path, encoding: str, delimiter: str, skip_first: bool) -> Iterator[list[str]]:
    with path.open("r", encoding=encoding, newline="") as fh:
        if skip_first:
            fh.readline()
        yield from csv.reader(fh, delimiter=delimiter)


def choose_delimiter(sample: str, score_row: Callable[[list[str]], int]) -> str:
    """The separator under which the first rows' cells are recognised best.

    Parameters
    ----------
    sample : str
        The start of the file (about 64 kB) without a ``sep=`` line.
    score_row : callable
        How many cells of a row are headers the kit knows.

    Returns
    -------
    str
        Tab, semicolon or comma. Ties go to the separator that splits the most rows into
        the same number of cells (more than one), then in that order.
    """
    best, best_key = ",", (-1, -1)
    lines = sample.splitlines()[:SNIFF_ROWS]
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        known = max((score_row(r) for r in rows), default=0)
        widths = Counter(len(r) for r in rows if len(r) > 1)
        steady = widths.most_common(1)[0][1] if widths else 0
        key = (known, steady)
        if key > best_key:
            best, best_key = delimiter, key
    return best


def read_text(path: Path, file_name: str, score_row: Callable[[list[str]], int]) -> Sheet:
    """A text file as one :class:`Sheet`, its encoding and separator found from it."""
    encoding = detect_encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        sample = fh.read(SNIFF_CHARS)
    if not sample.strip():
        raise reject(
            file_name,
            "the file is empty; expected a header row "
            "(couple_code, partner, phase, qt1, ...) and one row per participant",
        )
    lines = sample.lstrip("\ufeff").splitlines(keepends=True)
    first, rest = lines[0], "".join(lines[1:])
    sep = SEP_LINE.match(first.rstrip("\r\n"))
    notes = [f"text in {encoding}"]
    if sep:
        delimiter = sep.group(1)
        notes.append(f"separator {delimiter!r} from its 'sep=' first line")
        sample = rest
    else:
        delimiter = choose_delimiter(sample, score_row)
    notes[0] += f", {DELIMITER_NAMES.get(delimiter, repr(delimiter))} separated"
    rows = _text_rows(path, encoding, delimiter, skip_first=bool(sep))
    return Sheet(None, rows, notes)


def cell_text(value: object) -> str:
    """A workbook cell as the text a person would read in it.

    >>> cell_text(4.0), cell_text(True), cell_text(None), cell_text(date(2026, 4, 5))
    ('4', 'yes', '', '2026-04-05')
    """
    if value is None:
        return ""
    if isinstance(value, FormulaCell):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _sheet_rows(values_sheet, formulas_sheet) -> Iterator[list[str]]:
    values = values_sheet.iter_rows(values_only=True)
    formulas = formulas_sheet.iter_rows(values_only=True) if formulas_sheet is not None else ()
    for shown, written in zip_longest(values, formulas, fillvalue=()):
        cells = []
        for value, formula in zip_longest(shown or (), written or ()):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                cells.append(FormulaCell(formula))
            else:
                cells.append(cell_text(value))
        yield cells


class Workbook:
    """An open workbook: its sheets, read lazily; close it when done."""

    def __init__(self, path: Path, file_name: str):
        from openpyxl import load_workbook

        try:
            self._values = load_workbook(path, read_only=True, data_only=True)
            self._formulas = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            known = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError)
            if not isinstance(exc, known) and type(exc).__name__ != "InvalidFileException":
                raise
            raise reject(
                file_name,
                f"cannot be read as an .xlsx workbook ({exc}); "
                "save it again from the spreadsheet as .xlsx or as CSV",
            ) from None
        self.file_name = file_name

    def sheets(self) -> list[Sheet]:
        found = []
        formulas = {ws.title: ws for ws in self._formulas.worksheets}
        for ws in self._values.worksheets:
            other = formulas.get(ws.title)
            for sheet in (ws, other):
                if sheet is not None and hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()  # a wrong <dimension> would cut rows off
            found.append(Sheet(ws.title, _sheet_rows(ws, other)))
        return found

    def close(self) -> None:
        for book in (self._values, self._formulas):
            book.close()


def first_rows(rows: Iterator[list[str]], n: int) -> tuple[list[list[str]], Iterator[list[str]]]:
    """The first ``n`` rows as a list, and an iterator over the rest."""
    head = list(islice(rows, n))
    return head, rows
