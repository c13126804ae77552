"""Import check-in answers from CSV and XLSX files: all of a file, or nothing.

Three layouts are read, each recognised from its header row:

``wide``
    One row per participant and phase: ``couple_code, partner, phase`` and then one column
    per item id (``qt1``, ``ios``, ``csi4_1``, ...) and optionally per yes/no question
    (``consent``, ``wants_to_talk``). A blank cell means "not answered": nothing is written.
``online form``
    An export of an online form: a ``Timestamp`` column and the question *text* as headers.
    Headers are matched to items through the content's wording after folding case, spaces
    and punctuation, so curly quotes or a trailing space do not matter.
``long``
    The kit's own data export: ``couple_code, partner, phase, instrument, item_id, value``
    (other export columns are ignored). A blank value is recorded as skipped.

Every row and cell is checked before anything is written; problems are collected and,
if there is any, :class:`~workshop_kit.errors.ImportRejected` names the row, the column,
the value and what is allowed, and the store is left unchanged. Otherwise the whole file
lands in one transaction together with its SHA-256, so importing the same file twice adds
nothing. Row numbers are those a spreadsheet shows: the header is row 1.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .errors import ImportRejected, InputError
from .session import CODE_PATTERN, PARTNERS, PHASES, Answer, Session, normalise_code

SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
DELIMITERS = (",", ";")
MAX_ERRORS_SHOWN = 8
MAX_ERRORS_KEPT = 200
MAX_PROBLEMS = 1000  # stop reading a file this wrong: it will be refused anyway
CHUNK = 1 << 20

# Header names (after :func:`normalise_text`) of the identity columns.
COUPLE_HEADERS = {
    "couple code",
    "couple",
    "code",
    "couple id",
    "your couple code",
    "what is your couple code",
}
PARTNER_HEADERS = {
    "partner",
    "partner a or b",
    "which partner are you",
    "are you partner a or partner b",
    "are you partner a or b",
    "partner letter",
}
PHASE_HEADERS = {"phase", "before or after", "which check in is this", "check in"}
TIMESTAMP_HEADERS = {
    "timestamp",
    "time stamp",
    "submitted at",
    "submission time",
    "completion time",
    "start time",
    "date",
}
# Columns an export or an online form carries that the kit does not store.
IGNORED_HEADERS = {
    "session id",
    "source",
    "answered at",
    "item text",
    "subscale",
    "email",
    "email address",
    "name",
    "id",
}
PHASE_WORDS = {"before": "before", "after": "after", "pre": "before", "post": "after"}
YES = {"yes", "y", "true", "1", "ja", "oui", "si"}
NO = {"no", "n", "false", "0", "nein", "non"}


def normalise_text(text: object) -> str:
    """Fold a header or an answer for matching: case, spaces, quotes and punctuation.

    >>> normalise_text("  I try to see things from my partner’s side,  even when WE disagree. ")
    'i try to see things from my partners side even when we disagree'
    >>> normalise_text("csi4_1")
    'csi4 1'
    """
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    folded = re.sub(r"['’‘`´]", "", folded)
    folded = re.sub(r"[\W_]+", " ", folded)
    return " ".join(folded.split())


@dataclass(frozen=True)
class Column:
    """What one header cell of a file means."""

    index: int
    header: str
    role: str  # couple_code, partner, phase, answer, flag, instrument, item_id, value, ignore
    instrument: str | None = None
    item_id: str | None = None
    flag: str | None = None
    lo: int | None = None
    hi: int | None = None

    @property
    def where(self) -> str:
        short = self.header if len(self.header) <= 40 else self.header[:37] + "..."
        return f"column {column_letter(self.index)} {short!r}"


@dataclass
class ImportPlan:
    """A checked file, ready to be written in one transaction."""

    file_name: str
    sha256: str
    layout: str
    rows: int
    answers: list[Answer] = field(default_factory=list)
    flags: list[tuple] = field(default_factory=list)


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    file_name: str
    layout: str
    rows: int
    answers: int
    flags: int
    already_imported: bool

    def __str__(self) -> str:
        if self.already_imported:
            return (
                f"{self.file_name} was imported before: nothing added "
                f"(importing the same file twice adds nothing)."
            )
        return (
            f"Imported {self.file_name} ({self.layout} layout): {self.rows} rows, "
            f"{self.answers} answers, {self.flags} yes/no answers."
        )


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


# -- reading files ------------------------------------------------------------------
def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` (with BOM), ``utf-8``, or ``cp1252`` (Windows), read in chunks."""
    path = Path(path)
    with path.open("rb") as fh:
        if fh.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(CHUNK), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportRejected(
        f"{path.name}: not imported, nothing was changed: the file is not text in UTF-8 or "
        "Windows-1252; save it from the spreadsheet as 'CSV UTF-8' or as .xlsx"
    )


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    with path.open("r", encoding=encoding, newline="") as fh:
        yield from csv.reader(fh, delimiter=delimiter)


def _first_line(path: Path, encoding: str) -> str:
    with path.open("r", encoding=encoding, newline="") as fh:
        return fh.readline(1 << 16)


class _Problems:
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


def _reject(file_name: str, message: str) -> ImportRejected:
    return ImportRejected(f"{file_name}: not imported, nothing was changed: {message}")


# -- header mapping -----------------------------------------------------------------
class _Vocabulary:
    """Every header a file may carry, from the session's content."""

    def __init__(self, session: Session):
        content = session.content
        self.targets: dict[str, tuple] = {}  # normalised header -> ("answer", inst, item, lo, hi)
        self.suggestions: list[str] = []
        for inst in content.instruments:
            if inst.kind == "picture":
                target = ("answer", inst.id, inst.id, inst.min, inst.max)
                for name in (inst.id, inst.name, inst.intro):
                    if name:
                        self.targets.setdefault(normalise_text(name), target)
                self.suggestions.append(inst.id)
                continue
            for item in inst.items:
                target = ("answer", inst.id, item.id, item.min, item.max)
                self.targets.setdefault(normalise_text(item.id), target)
                self.targets.setdefault(normalise_text(f"{inst.id} {item.id}"), target)
                self.suggestions.append(item.id)
                if item.text:
                    self.targets.setdefault(normalise_text(item.text), target)
                    self.suggestions.append(item.text)
        for flag in content.flags:
            target = ("flag", flag.id)
            self.targets.setdefault(normalise_text(flag.id), target)
            self.targets.setdefault(normalise_text(flag.text), target)
            self.suggestions += [flag.id, flag.text]
        self.anchors = {
            inst.id: {normalise_text(text): value for value, text in inst.anchors.items()}
            for inst in content.instruments
        }
        self.item_ids: dict[str, list[tuple[str, int, int]]] = {}
        for kind, *rest in dict.fromkeys(self.targets.values()):
            if kind == "answer":
                inst_id, item_id, lo, hi = rest
                self.item_ids.setdefault(item_id, []).append((inst_id, lo, hi))

    def column(self, index: int, header: str) -> Column | None:
        key = normalise_text(header)
        if key in self.targets:
            target = self.targets[key]
            if target[0] == "answer":
                _, inst, item, lo, hi = target
                return Column(index, header, "answer", instrument=inst, item_id=item, lo=lo, hi=hi)
            return Column(index, header, "flag", flag=target[1])
        for role, names in (
            ("couple_code", COUPLE_HEADERS),
            ("partner", PARTNER_HEADERS),
            ("phase", PHASE_HEADERS),
        ):
            if key in names:
                return Column(index, header, role)
        if key in ("instrument", "item id", "item", "value", "answer"):
            role = {"item": "item_id", "answer": "value"}.get(key, key.replace(" ", "_"))
            return Column(index, header, role)
        if key in TIMESTAMP_HEADERS:
            return Column(index, header, "timestamp")
        if key in IGNORED_HEADERS or not key:
            return Column(index, header, "ignore")
        return None

    def suggest(self, header: str) -> str:
        close = difflib.get_close_matches(header.strip(), self.suggestions, n=1, cutoff=0.6)
        return f"; did you mean {close[0]!r}?" if close else ""


def map_header(
    session: Session, header: list[str], file_name: str, phase: str | None = None
) -> tuple[str, list[Column]]:
    """Read a header row: return the layout name and what each column means.

    Raises :class:`ImportRejected` naming every column that cannot be placed.
    """
    vocab = _Vocabulary(session)
    problems = _Problems(file_name)
    columns: list[Column] = []
    seen: dict[tuple, Column] = {}
    for index, raw in enumerate(header):
        col = vocab.column(index, raw)
        if col is None:
            problems.add(
                f"row 1, column {column_letter(index)} {raw.strip()!r}: not a question of the "
                f"check-in. Allowed headers: couple_code, partner, phase, an item id "
                f"({', '.join(list(vocab.item_ids)[:4])}, ...) or a question's wording"
                f"{vocab.suggest(raw)}"
            )
            continue
        if col.role in ("ignore", "timestamp"):
            columns.append(col)
            continue
        key = (col.role, col.instrument, col.item_id, col.flag)
        if key in seen:
            problems.add(f"row 1, {col.where} and {seen[key].where} are the same column; keep one")
            continue
        seen[key] = col
        columns.append(col)
    roles = {c.role for c in columns}
    if problems:
        raise problems.reject()
    if "couple_code" not in roles:
        raise _reject(
            file_name,
            "no couple code column found in row 1. The header row must "
            "name 'couple_code', 'partner' and 'phase' (and the file must be comma "
            "or semicolon separated, or an .xlsx workbook)",
        )
    if "partner" not in roles:
        raise _reject(
            file_name, "no partner column found in row 1; add a 'partner' column holding A or B"
        )
    # Yes/no answers hold for the whole day, so a file of only those needs no phase.
    if "phase" not in roles and phase is None and roles & {"answer", "item_id"}:
        raise _reject(
            file_name,
            "no phase column found in row 1; add a 'phase' column "
            "holding before or after, or say which check-in the whole file is",
        )
    if {"item_id", "value"} <= roles:
        if roles & {"answer", "flag"}:
            raise _reject(
                file_name,
                "row 1 mixes the long layout (item_id, value) with "
                "question columns; use one layout per file",
            )
        return "long", columns
    if roles & {"item_id", "value", "instrument"}:
        missing = {"item_id", "value"} - roles
        raise _reject(
            file_name, f"row 1 has part of the long layout but no {sorted(missing)} column"
        )
    if not roles & {"answer", "flag"}:
        raise _reject(
            file_name,
            "row 1 has no column for any question; name columns by "
            "item id (qt1, qt2, ...) or by the question's wording",
        )
    return ("online form" if "timestamp" in roles else "wide"), columns


# -- checking cells -----------------------------------------------------------------
def parse_answer(text: str, lo: int, hi: int, anchors: dict[str, int] | None = None) -> float:
    """A cell's answer as a number within ``lo..hi``; raise InputError saying what is allowed.

    >>> parse_answer(" 4 ", 1, 5), parse_answer("4.0", 1, 5), parse_answer("Often true", 1, 5,
    ...     {"often true": 4})
    (4.0, 4.0, 4.0)
    >>> parse_answer("7", 1, 5)
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: '7' is out of range: allowed a whole number from 1 to 5
    >>> parse_answer("2026-05-04T00:00:00", 1, 5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: '2026-05-04T00:00:00' is a date: ...
    """
    cleaned = text.strip().replace(",", ".")
    if anchors and normalise_text(cleaned) in anchors:
        return float(anchors[normalise_text(cleaned)])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ][\d:.]+)?", text.strip()):
        raise InputError(
            f"{text!r} is a date: the spreadsheet stored this answer as a date (a typed "
            f"'4-5' or '1/5' is often turned into one); allowed a whole number from {lo} to "
            f"{hi}: set the column's format to Number or Text and type the answer again"
        )
    match = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)(?:\s*[-–:(].*)?", cleaned)
    if not match:
        raise InputError(
            f"{text!r} is not a number: allowed a whole number from {lo} to {hi}"
            f"{' or its words' if anchors else ''}, or blank for not answered"
        )
    number = float(match.group(1))
    if not number.is_integer():
        raise InputError(
            f"{text!r} is not a whole number: allowed a whole number from {lo} to {hi}"
        )
    if not lo <= number <= hi:
        raise InputError(f"{text!r} is out of range: allowed a whole number from {lo} to {hi}")
    return number


def parse_partner(text: str) -> str:
    """'A', 'b', 'Partner A' -> 'A'/'B'."""
    folded = normalise_text(text).upper()
    folded = folded.removeprefix("PARTNER ").strip()
    if folded not in PARTNERS:
        raise InputError(f"{text!r} is not a partner: allowed {' or '.join(PARTNERS)}")
    return folded


def parse_phase(text: str) -> str:
    """'before', 'After', 'pre', 'post' -> 'before'/'after'."""
    folded = normalise_text(text)
    if folded not in PHASE_WORDS:
        raise InputError(f"{text!r} is not a phase: allowed {' or '.join(PHASES)}")
    return PHASE_WORDS[folded]


def parse_yes_no(text: str) -> bool:
    folded = normalise_text(text)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise InputError(f"{text!r} is not yes or no: allowed yes, no, or blank for not answered")


# -- the import ---------------------------------------------------------------------
def _read_table(
    path: Path, file_name: str, session: Session
) -> tuple[list[str], Iterator[list[str]]]:
    """The header and an iterator over the following rows, as lists of strings."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, file_name, session)
    encoding = detect_encoding(path)
    first = _first_line(path, encoding)
    if not first.strip():
        raise _reject(
            file_name,
            "the file is empty; expected a header row "
            "(couple_code, partner, phase, qt1, ...) and one row per participant",
        )
    vocab = _Vocabulary(session)

    def known(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return (sum(vocab.column(i, c) is not None for i, c in enumerate(cells)), len(cells))

    delimiter = max(DELIMITERS, key=known)
    rows = _csv_rows(path, encoding, delimiter)
    try:
        header = next(rows)
    except csv.Error as exc:
        raise _reject(file_name, f"row 1 cannot be read as CSV ({exc})") from None
    if len(header) == 1 and vocab.column(0, header[0]) is None:
        shown = header[0] if len(header[0]) <= 50 else header[0][:47] + "..."
        raise _reject(
            file_name,
            f"row 1 reads as one single column {shown!r}: the file must be comma or "
            "semicolon separated, with couple_code, partner, phase and the questions as headers",
        )
    return header, rows


def _read_xlsx(
    path: Path, file_name: str, session: Session
) -> tuple[list[str], Iterator[list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _reject(
            file_name,
            f"cannot be read as an .xlsx workbook ({exc}); "
            "save it again from the spreadsheet as .xlsx or as CSV",
        ) from None
    vocab = _Vocabulary(session)
    looked_at = []
    sheets = sorted(book.worksheets, key=lambda ws: ws.title.strip().lower() != "answers")
    for sheet in sheets:
        rows = (list(map(_cell_text, row)) for row in sheet.iter_rows(values_only=True))
        header = next(rows, None)
        looked_at.append(sheet.title)
        if not header or not any(cell.strip() for cell in header):
            continue
        roles = {col.role for i, c in enumerate(header) if (col := vocab.column(i, c))}
        if "couple_code" in roles and roles & {"answer", "flag", "item_id"}:
            return header, rows
    if all(
        sheet.max_row in (None, 0, 1)
        and sheet.max_column in (None, 0, 1)
        and not any(any(r) for r in sheet.iter_rows(values_only=True))
        for sheet in book.worksheets
    ):
        raise _reject(
            file_name,
            "the workbook is empty; expected a header row "
            "(couple_code, partner, phase, qt1, ...) and one row per participant",
        )
    raise _reject(
        file_name,
        f"no sheet has a header row with a couple code column and "
        f"question columns (sheets looked at: {', '.join(looked_at)}); expected "
        "couple_code, partner, phase, then one column per item id or question",
    )


def plan_import(session: Session, path: Path | str, phase: str | None = None) -> ImportPlan:
    """Read and check a whole file; return what would be written, or raise ImportRejected.

    ``phase`` ("before" or "after") is used for rows when the file has no phase column.
    """
    path = Path(path)
    file_name = path.name
    if not path.is_file():
        raise _reject(file_name, f"no file at {str(path)!r}")
    if path.suffix.lower() not in SUFFIXES:
        raise _reject(
            file_name, f"file type must be one of {list(SUFFIXES)}; not {path.suffix or 'none'!r}"
        )
    if phase is not None and phase not in PHASES:
        raise _reject(file_name, f"phase must be one of {list(PHASES)}; not {phase!r}")
    if path.stat().st_size == 0:
        raise _reject(
            file_name,
            "the file is empty; expected a header row "
            "(couple_code, partner, phase, qt1, ...) and one row per participant",
        )
    sha = file_sha256(path)
    header, rows = _read_table(path, file_name, session)
    layout, columns = map_header(session, header, file_name, phase)
    vocab = _Vocabulary(session)
    codes = set(session.couple_codes())
    problems = _Problems(file_name)
    plan = ImportPlan(file_name, sha, layout, rows=0)
    by_role = {c.role: c for c in columns}
    seen: dict[tuple, int] = {}
    row_number = 1
    try:
        for cells in rows:
            row_number += 1
            if problems.full:
                break
            if not any(cell.strip() for cell in cells):
                continue
            plan.rows += 1
            _check_row(
                cells,
                row_number,
                columns,
                by_role,
                layout,
                phase,
                codes,
                vocab,
                problems,
                seen,
                plan,
            )
    except csv.Error as exc:
        problems.add(
            f"row {row_number + 1}: cannot be read as CSV ({exc}); is this a text "
            "file saved as CSV?"
        )
    if problems:
        raise problems.reject()
    if plan.rows == 0:
        raise _reject(file_name, "the file has a header row but no rows of answers")
    return plan


def _cell(cells: list[str], col: Column) -> str:
    return cells[col.index].strip() if col.index < len(cells) else ""


def _check_row(
    cells, row_number, columns, by_role, layout, phase, codes, vocab, problems, seen, plan
) -> None:
    bad = problems.count
    where = f"row {row_number}"
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        problems.add(
            f"{where}: has {len(cells)} cells but the header row has {len(columns)} "
            "columns; is a separator missing from the header or a value quoted wrongly?"
        )
        return
    code_col = by_role["couple_code"]
    raw_code = _cell(cells, code_col)
    code = normalise_code(raw_code)
    if not CODE_PATTERN.match(code) or code not in codes:
        known = sorted(codes)
        listed = ", ".join(known[:6]) + (", ..." if len(known) > 6 else "")
        problems.add(
            f"{where}, {code_col.where}: {raw_code!r} is not a couple code of this "
            f"session; allowed: {listed or 'none yet (add couples first)'}"
        )
    partner = row_phase = None
    try:
        partner = parse_partner(_cell(cells, by_role["partner"]))
    except InputError as exc:
        problems.add(f"{where}, {by_role['partner'].where}: {exc}")
    if "phase" in by_role:
        try:
            row_phase = parse_phase(_cell(cells, by_role["phase"]))
        except InputError as exc:
            problems.add(f"{where}, {by_role['phase'].where}: {exc}")
    else:
        row_phase = phase

    found: list[tuple] = []  # (key, Answer-or-flag tuple)
    if layout == "long":
        found = _long_cells(cells, where, by_role, vocab, problems, code, partner, row_phase)
    else:
        for col in columns:
            text = _cell(cells, col)
            if col.role not in ("answer", "flag") or not text:
                continue
            try:
                if col.role == "answer":
                    value = parse_answer(text, col.lo, col.hi, vocab.anchors.get(col.instrument))
                    found.append(
                        (
                            (col.instrument, col.item_id),
                            Answer(code, partner, row_phase, col.instrument, col.item_id, value),
                        )
                    )
                else:
                    found.append(
                        (("flag", col.flag), ("flag", col.flag, parse_yes_no(text), code, partner))
                    )
            except InputError as exc:
                problems.add(f"{where}, {col.where}: {exc}")
    if problems.count > bad:
        return
    for key, _record in found:
        full = (code, partner, row_phase, *key)
        if full in seen:
            what = f"{key[1]}" if key[0] != "flag" else f"the yes/no question {key[1]!r}"
            problems.add(
                f"{where}: couple {code} partner {partner}{f' ({row_phase})' if row_phase else ''}"
                f" answers "
                f"{what} again, already given in row {seen[full]}; keep one row "
                "per participant and phase (delete the older one)"
            )
            return
        seen[full] = row_number
    if problems:
        return  # once anything is wrong nothing will be written: keep no rows in memory
    for key, record in found:
        if key[0] == "flag":
            plan.flags.append(record)
        else:
            plan.answers.append(record)


def _long_cells(cells, where, by_role, vocab, problems, code, partner, row_phase) -> list:
    item_col, value_col = by_role["item_id"], by_role["value"]
    item_id = _cell(cells, item_col)
    candidates = vocab.item_ids.get(item_id, [])
    inst_col = by_role.get("instrument")
    if inst_col is not None and _cell(cells, inst_col):
        candidates = [c for c in candidates if c[0] == _cell(cells, inst_col)]
    if not candidates:
        listed = ", ".join(list(vocab.item_ids)[:5])
        problems.add(
            f"{where}, {item_col.where}: {item_id!r} is not an item of the check-in"
            f"{' ' + repr(_cell(cells, inst_col)) if inst_col else ''}; allowed: "
            f"{listed}, ..."
        )
        return []
    inst_id, lo, hi = candidates[0]
    text = _cell(cells, value_col)
    value = None
    if text:
        try:
            value = parse_answer(text, lo, hi, vocab.anchors.get(inst_id))
        except InputError as exc:
            problems.add(f"{where}, {value_col.where}: {exc}")
            return []
    return [((inst_id, item_id), Answer(code, partner, row_phase, inst_id, item_id, value))]


def import_file(session: Session, path: Path | str, phase: str | None = None) -> ImportReport:
    """Import a CSV or XLSX file into the session: every row of it, or nothing.

    Parameters
    ----------
    session
        The session to write to (its couple codes must already exist).
    path
        A ``.csv`` (comma or semicolon; UTF-8 with or without BOM, or Windows-1252) or
        ``.xlsx`` file in the wide, online-form or long layout (see the module notes).
    phase
        "before" or "after" for every row, when the file has no phase column.

    Raises
    ------
    ImportRejected
        Naming the row, the column, the value and what is allowed; nothing was written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> s = Session.create(folder / "s.sqlite", "T", couples=1, seed=1)
    >>> code = s.couple_codes()[0]
    >>> _ = (folder / "paper.csv").write_text(f"couple_code;partner;phase;qt1;ios\\n"
    ...                                       f"{code};A;before;4;5\\n", encoding="utf-8")
    >>> print(import_file(s, folder / "paper.csv"))
    Imported paper.csv (wide layout): 1 rows, 2 answers, 0 yes/no answers.
    >>> import_file(s, folder / "paper.csv").already_imported
    True
    """
    plan = plan_import(session, path, phase)
    written = session.record_import(
        plan.answers, plan.flags, plan.sha256, plan.file_name, plan.rows, source="import"
    )
    return ImportReport(
        plan.file_name,
        plan.layout,
        plan.rows,
        len(plan.answers) if written else 0,
        len(plan.flags) if written else 0,
        not written,
    )
