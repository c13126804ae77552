"""Stage 4, plan: every sheet checked whole, and what an import would write.

:func:`plan_import` reads a file through the stages before it (read, header, cells) and
returns an :class:`ImportPlan`: the answers and yes/no answers to write, and a preview per
sheet (rows, people, phases, answers) with what was skipped and why. Nothing is written
here; :func:`workshop_kit.importers.import_file` writes a plan in one transaction.

Re-importing (stated here because it is decided here):

* A row is known by its **content**: couple code, partner, phase and the values given, not
  by the file's bytes. A row imported before is skipped, whichever file it comes in (a form
  downloaded again later, the same file saved with other line ends). The phase is part of
  the row, so a file first imported with the wrong phase can be imported with the right one.
* A new row never overwrites an answer given **since** it was filled in: when the row has a
  time (a form's Timestamp, Completion time, Last modified time...) and the store holds a
  different answer to that item recorded after it, the stored answer is kept and the
  preview says so. A row without a time (typed from paper) is as new as the import.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from ..errors import InputError
from ..session import CODE_PATTERN, PHASES, Answer, Session, flag_entries, normalise_code
from .cells import (
    mangled_code,
    parse_answer,
    parse_partner,
    parse_phase,
    parse_row_time,
    parse_yes_no,
    phase_of_name,
)
from .common import Problems, column_letter, in_sheet, normalise_text, reject, shorten
from .header import (
    HEADER_SEARCH_ROWS,
    IDENTITY_WORDINGS,
    ROW_TIME_COLUMNS,
    Column,
    Header,
    Vocabulary,
    find_header,
)
from .read import SUFFIXES, TEXT_SUFFIXES, FormulaCell, Sheet, Workbook, file_sha256, read_text

ANSWER_ROLES = ("answer", "flag")


@dataclass
class SheetPreview:
    """What one sheet holds, as the preview shows it."""

    name: str | None
    layout: str = ""
    header_rows: str = ""
    rows: int = 0
    people: set = field(default_factory=set)
    phases: Counter = field(default_factory=Counter)
    answers: int = 0
    flags: int = 0
    already: int = 0

    def line(self) -> str:
        where = f"sheet {self.name!r}" if self.name else "the file"
        phases = ", ".join(f"{n} {p}" for p, n in sorted(self.phases.items())) or "no phase"
        return (
            f"{where} ({self.layout} layout, header in {self.header_rows}): {self.rows} rows, "
            f"{len(self.people)} people ({phases}), {self.answers} answers, "
            f"{self.flags} yes/no answers"
            + (f"; {self.already} rows imported before, skipped" if self.already else "")
        )


@dataclass
class ImportPlan:
    """A checked file, ready to be written in one transaction."""

    file_name: str
    sha256: str
    layout: str
    rows: int
    answers: list[Answer] = field(default_factory=list)
    flags: list[tuple] = field(default_factory=list)  # ("flag", id, value, code, partner)
    entries: list[tuple] = field(default_factory=list)  # what the flags write (with phase)
    sheets: list[SheetPreview] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    row_keys: list[tuple] = field(default_factory=list)
    rows_before: int = 0

    @property
    def people(self) -> int:
        return len(set().union(*(s.people for s in self.sheets))) if self.sheets else 0

    def preview(self) -> str:
        """The plan in plain lines: per sheet, then what was skipped, kept and noted."""
        lines = [f"{self.file_name}:"]
        lines += [f"  {sheet.line()}" for sheet in self.sheets]
        if self.skipped:
            lines.append("Not imported:")
            lines += [f"  - {s}" for s in self.skipped]
        if self.kept:
            lines.append("Kept as they are (answered again since the form was filled in):")
            lines += [f"  - {k}" for k in self.kept[:10]]
            if len(self.kept) > 10:
                lines.append(f"  ... and {len(self.kept) - 10} more")
        if self.notes:
            lines.append("Notes:")
            lines += [f"  - {n}" for n in self.notes]
        return "\n".join(lines)


@dataclass
class _Row:
    number: int
    code: str
    partner: str
    phase: str | None
    answers: list[Answer]
    flags: list[tuple]
    time: datetime | None

    def fingerprint(self) -> str:
        content = [
            self.code,
            self.partner,
            self.phase or "",
            sorted((a.instrument, a.item_id, a.value) for a in self.answers),
            sorted((f[1], f[2]) for f in self.flags),
        ]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()


@dataclass
class _ColumnWatch:
    """What an unplaced column (no header, or a header the kit does not know) holds."""

    column: Column
    filled: int = 0
    answer_like: str | None = None
    answer_row: int = 0
    first_row: int = 0


class _SheetCheck:
    """Checks one sheet's rows, collecting problems and (while there are none) rows."""

    def __init__(self, vocab, codes, problems, file_name, phase, sheet, header):
        self.vocab, self.codes, self.problems = vocab, codes, problems
        self.file_name, self.phase_arg, self.sheet, self.header = file_name, phase, sheet, header
        self.where_sheet = in_sheet(sheet.name)
        self.preview = SheetPreview(sheet.name, header_rows=header.rows_text)
        self.rows: list[_Row] = []
        self.seen: dict[tuple, int] = {}
        self.notes: list[str] = []
        self.one = {role: header.by_role(role)[0] for role in header.roles if header.by_role(role)}
        self.watch = [_ColumnWatch(c) for c in header.columns if c.role in ("blank", "unknown")]
        self.extra: list[Column] = []
        times = {c.key: c for c in header.by_role("metadata")}
        self.time_col = next((times[k] for k in ROW_TIME_COLUMNS if k in times), None)
        self.sheet_phase = phase_of_name(sheet.name)
        # Qualtrics exports choices as numbers unless told otherwise: 1, 2 in the order the
        # question lists them (the facilitator page asks for A, B / Before, After / Yes, No).
        self.choice_numbers = "Qualtrics" in header.tools
        if self.choice_numbers:
            self.notes.append(
                f"{in_sheet(sheet.name)}Qualtrics choice numbers read in the order the page "
                "'Importing an online form' asks for: partner 1 = A, 2 = B; check-in "
                "1 = before, 2 = after; yes/no questions 1 = yes, 2 = no"
            )

    def _cell(self, cells: list[str], col: Column) -> str:
        return cells[col.index].strip() if col.index < len(cells) else ""

    def _formula(self, cells, col, where) -> bool:
        if col.index < len(cells) and isinstance(cells[col.index], FormulaCell):
            self.problems.add(
                f"{where}, {col.where}: a formula ({shorten(cells[col.index], 30)}) whose result "
                "was never saved in the file; open the file in Excel or LibreOffice, save it, "
                "and import it again (or paste the values in place of the formulas)"
            )
            return True
        return False

    def check(self, cells: list[str], number: int) -> None:
        where = f"{self.where_sheet}row {number}"
        width = len(self.header.columns)
        if self.sheet.name is not None:
            # A workbook has no separators to miss: cells right of the header are a column
            # whose header cell is empty (often a merged cell).
            for index in range(width + len(self.extra), len(cells)):
                if cells[index].strip():
                    while width + len(self.extra) <= index:
                        blank = Column(width + len(self.extra), "", "blank")
                        self.extra.append(blank)
                        self.watch.append(_ColumnWatch(blank))
        elif len(cells) > width and any(c.strip() for c in cells[width:]):
            self.problems.add(
                f"{where}: has {len(cells)} cells but the header row has {width} "
                "columns; is a separator missing from the header or a value quoted wrongly?"
            )
            return
        bad = self.problems.count
        for watch in self.watch:
            text = self._cell(cells, watch.column)
            if text:
                watch.filled += 1
                watch.first_row = watch.first_row or number
                if watch.answer_like is None and self._answer_like(text):
                    watch.answer_like, watch.answer_row = text, number
        code = self._code(cells, where)
        partner = phase = None
        try:
            if not self._formula(cells, self.one["partner"], where):
                text = self._cell(cells, self.one["partner"])
                if self.choice_numbers and text in ("1", "2"):
                    text = "AB"[int(text) - 1]
                partner = parse_partner(text)
        except InputError as exc:
            self.problems.add(f"{where}, {self.one['partner'].where}: {exc}")
        phase = self._phase(cells, where)
        found_answers: list[Answer] = []
        found_flags: list[tuple] = []
        if "item_id" in self.one:
            self._long(cells, where, code, partner, phase, found_answers)
        for col in self.header.columns:
            if col.role not in ANSWER_ROLES or self._formula(cells, col, where):
                continue
            text = self._cell(cells, col)
            if not text:
                continue
            try:
                if col.role == "answer":
                    value = parse_answer(
                        text,
                        col.lo,
                        col.hi,
                        self.vocab.anchors.get(col.instrument),
                        self.vocab.anchor_words.get(col.instrument),
                    )
                    found_answers.append(
                        Answer(code, partner, phase, col.instrument, col.item_id, value)
                    )
                else:
                    if self.choice_numbers and text == "2":
                        text = "no"
                    found_flags.append(("flag", col.flag, parse_yes_no(text), code, partner))
            except InputError as exc:
                self.problems.add(f"{where}, {col.where}: {exc}")
        if self.problems.count > bad:
            return
        self.preview.rows += 1
        for key in [(a.instrument, a.item_id) for a in found_answers] + [
            ("flag", f[1]) for f in found_flags
        ]:
            full = (code, partner, phase, *key)
            if full in self.seen:
                what = key[1] if key[0] != "flag" else f"the yes/no question {key[1]!r}"
                self.problems.add(
                    f"{where}: couple {code} partner {partner}{f' ({phase})' if phase else ''}"
                    f" answers {what} again, already given in row {self.seen[full]}; keep one "
                    "row per participant and phase (delete the older one)"
                )
                return
            self.seen[full] = number
        if self.problems:
            return  # once anything is wrong nothing will be written: keep no rows in memory
        time = None
        if self.time_col is not None:
            time = parse_row_time(self._cell(cells, self.time_col))
        self.rows.append(_Row(number, code, partner, phase, found_answers, found_flags, time))
        self.preview.people.add((code, partner))
        self.preview.phases[phase or "no phase"] += 1

    def _answer_like(self, text: str) -> bool:
        """A number or a scale's words: what a check-in answer looks like."""
        if re.fullmatch(r"[+-]?\d+(?:[.,]0+)?", text.strip()):
            return True
        folded = normalise_text(re.sub(r"^\s*\d+\s*[-–:.)]?\s*", "", text))
        return any(folded in anchors for anchors in self.vocab.anchors.values())

    def _code(self, cells, where) -> str:
        col = self.one["couple_code"]
        if self._formula(cells, col, where):
            return ""
        raw = self._cell(cells, col)
        code = normalise_code(raw)
        if CODE_PATTERN.match(code) and code in self.codes:
            return code
        fixed = mangled_code(raw, self.codes) if raw else None
        if fixed:
            self.notes.append(
                f"{where}: {raw!r} read as couple code {fixed} (a spreadsheet had turned the "
                "code into a number; format that column as Text to keep codes as typed)"
            )
            return fixed
        known = sorted(self.codes)
        listed = ", ".join(known[:6]) + (", ..." if len(known) > 6 else "")
        self.problems.add(
            f"{where}, {col.where}: {raw!r} is not a couple code of this session; allowed: "
            f"{listed or 'none yet (add couples first)'}"
        )
        return code

    def _phase(self, cells, where) -> str | None:
        col = self.one.get("phase")
        if col is None:
            return self.sheet_phase or self.phase_arg
        if self._formula(cells, col, where):
            return None
        text = self._cell(cells, col)
        if self.choice_numbers and text in ("1", "2"):
            text = PHASES[int(text) - 1]
        try:
            phase = parse_phase(text)
        except InputError as exc:
            self.problems.add(f"{where}, {col.where}: {exc}")
            return None
        if self.sheet_phase and phase != self.sheet_phase:
            self.problems.add(
                f"{where}, {col.where}: says {phase} but the sheet is named "
                f"{self.sheet.name!r}; correct the row or move it to the right sheet"
            )
        elif self.phase_arg and phase != self.phase_arg:
            self.problems.add(
                f"{where}, {col.where}: says {phase} but this import was started for the "
                f"{self.phase_arg} check-in; choose 'from the file' or correct the row"
            )
        return phase

    def _long(self, cells, where, code, partner, phase, found) -> None:
        item_col, value_col = self.one["item_id"], self.one["value"]
        item_id = self._cell(cells, item_col)
        candidates = self.vocab.item_ids.get(item_id, [])
        inst_col = self.one.get("instrument")
        if inst_col is not None and self._cell(cells, inst_col):
            candidates = [c for c in candidates if c[0] == self._cell(cells, inst_col)]
        if not candidates:
            listed = ", ".join(list(self.vocab.item_ids)[:5])
            self.problems.add(
                f"{where}, {item_col.where}: {item_id!r} is not an item of the check-in"
                f"{' ' + repr(self._cell(cells, inst_col)) if inst_col else ''}; allowed: "
                f"{listed}, ..."
            )
            return
        inst_id, lo, hi = candidates[0]
        text = self._cell(cells, value_col)
        value = None
        if text:
            try:
                value = parse_answer(
                    text,
                    lo,
                    hi,
                    self.vocab.anchors.get(inst_id),
                    self.vocab.anchor_words.get(inst_id),
                )
            except InputError as exc:
                self.problems.add(f"{where}, {value_col.where}: {exc}")
                return
        found.append(Answer(code, partner, phase, inst_id, item_id, value))

    def finish(self, skipped: list[str]) -> None:
        """Decide the unplaced columns once every row was seen."""
        for watch in self.watch:
            col = watch.column
            letter = f"{self.where_sheet}column {column_letter(col.index)}"
            if col.role == "blank":
                if watch.filled:
                    self.problems.add(
                        f"{letter} has answers but no header ({watch.filled} cells, e.g. row "
                        f"{watch.first_row}); type the question's item id or wording "
                        f"into {self.header.rows_text}, or delete the column"
                    )
                continue
            if watch.answer_like is not None:
                self.problems.add(
                    f"{self.where_sheet}{self.header.rows_text}, {col.where}: not a question "
                    f"of the check-in, but it holds answers such as {watch.answer_like!r} "
                    f"(row {watch.answer_row}). Name the column by an item id "
                    f"({', '.join(list(self.vocab.item_ids)[:4])}, ...) or the question's "
                    f"wording{self.vocab.suggest(col.header)}; or delete the column"
                )
            elif watch.filled:
                skipped.append(f"{self.where_sheet}{col.where}: free text, not stored")
            else:
                skipped.append(f"{self.where_sheet}{col.where}: empty")


def _wordings(role: str) -> str:
    return ", ".join(repr(w) for w in IDENTITY_WORDINGS[role])


def _check_header(
    header: Header, sheet: Sheet, file_name: str, phase: str | None, many: bool, vocab: Vocabulary
):
    """The sheet's layout, or None to skip it (workbooks only); raises for a bad header."""
    where = f"{in_sheet(sheet.name)}{header.rows_text}"
    problems = Problems(file_name)
    seen: dict[tuple, Column] = {}
    for col in header.columns:
        if col.role in ("metadata", "blank", "unknown"):
            continue
        key = (col.role, col.instrument, col.item_id, col.flag)
        if key in seen:
            problems.add(
                f"{where}, {col.where} and {seen[key].where} are the same column; keep one"
            )
        seen.setdefault(key, col)
    if problems:
        raise problems.reject()
    roles = header.roles
    questions = roles & {"answer", "flag", "item_id", "value"}
    if many and "couple_code" not in roles and not questions:
        return None
    if "couple_code" not in roles:
        raise reject(
            file_name,
            f"{where}: no couple code column found. Name it like one of {_wordings('couple_code')}"
            " (the header must also name the partner and the phase; the file must be comma, "
            "semicolon or tab separated, or an .xlsx workbook)",
        )
    if many and not questions:
        return None
    if "partner" not in roles:
        raise reject(
            file_name,
            f"{where}: no partner column found; add one holding A or B, named like one of "
            f"{_wordings('partner')}",
        )
    sheet_phase = phase_of_name(sheet.name)
    if "phase" not in roles and sheet_phase and phase and sheet_phase != phase:
        raise reject(
            file_name,
            f"sheet {sheet.name!r} is named for the {sheet_phase} check-in but this import was "
            f"started for the {phase} check-in; choose 'from the file' or rename the sheet",
        )
    # Yes/no answers hold for the whole day, so a file of only those needs no phase.
    if "phase" not in roles and not (phase or sheet_phase) and roles & {"answer", "item_id"}:
        raise reject(
            file_name,
            f"{where}: no phase column found; add one holding before or after, named like one "
            f"of {_wordings('phase')}, name the sheet Before or After, or say which check-in "
            "the whole file is",
        )
    if {"item_id", "value"} <= roles:
        if roles & {"answer", "flag"}:
            raise reject(
                file_name,
                f"{where} mixes the long layout (item_id, value) with question columns; use "
                "one layout per file",
            )
        return "long"
    if roles & {"item_id", "value"}:
        missing = {"item_id", "value"} - roles
        raise reject(
            file_name, f"{where} has part of the long layout but no {sorted(missing)} column"
        )
    unknown = header.by_role("unknown")
    if not questions and unknown:
        for col in unknown:
            problems.add(
                f"{where}, {col.where}: not a question of the check-in. Allowed headers: "
                f"couple_code, partner, phase, an item id "
                f"({', '.join(list(vocab.item_ids)[:4])}, ...) or a question's wording"
                f"{vocab.suggest(col.header)}"
            )
        raise problems.reject()
    if not questions:
        raise reject(
            file_name,
            f"{where} has no column for any question; name columns by item id (qt1, qt2, ...) "
            "or by the question's wording",
        )
    tools = {c.tool for c in header.by_role("metadata")} - {"the kit's data export"}
    return "online form" if tools else "wide"


def _sheets(path: Path, file_name: str, vocab: Vocabulary):
    if path.suffix.lower() in TEXT_SUFFIXES:
        return [read_text(path, file_name, vocab.score_row)], None
    book = Workbook(path, file_name)
    return book.sheets(), book


def plan_import(session: Session, path: Path | str, phase: str | None = None) -> ImportPlan:
    """Read and check a whole file; return what would be written, or raise ImportRejected.

    Parameters
    ----------
    session : Session
        The session the answers are for (its couple codes must already exist).
    path : Path or str
        A text file (``.csv``, ``.txt``, ``.tsv``) or a workbook (``.xlsx``, ``.xlsm``).
    phase : {"before", "after"}, optional
        The check-in for rows whose file has no phase column (or sheet named for one).

    Returns
    -------
    ImportPlan
        The answers to write, with a preview per sheet and what was skipped and why.

    Raises
    ------
    ImportRejected
        Naming every problem (sheet, row, column, value, what is allowed); nothing written.
    """
    path = Path(path)
    file_name = path.name
    if not path.is_file():
        raise reject(file_name, f"no file at {str(path)!r}")
    if path.suffix.lower() not in SUFFIXES:
        raise reject(
            file_name, f"file type must be one of {list(SUFFIXES)}; not {path.suffix or 'none'!r}"
        )
    if phase is not None and phase not in PHASES:
        raise reject(file_name, f"phase must be one of {list(PHASES)}; not {phase!r}")
    if path.stat().st_size == 0:
        raise reject(
            file_name,
            "the file is empty; expected a header row "
            "(couple_code, partner, phase, qt1, ...) and one row per participant",
        )
    vocab = Vocabulary(session.content)
    codes = set(session.couple_codes())
    problems = Problems(file_name)
    plan = ImportPlan(file_name, file_sha256(path), "", rows=0)
    sheets, book = _sheets(path, file_name, vocab)
    checks: list[_SheetCheck] = []
    looked_at, empty = [], 0
    try:
        for sheet in sheets:
            head = []
            for row in sheet.rows:
                head.append(row)
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
            header = find_header(head, vocab)
            looked_at.append(sheet.name)
            if header is None:
                if not any(any(c.strip() for c in row) for row in head):
                    empty += 1
                    continue
                if book is None:
                    _no_header(file_name, head)
                plan.skipped.append(
                    f"sheet {sheet.name!r}: no header row naming a couple code and questions "
                    f"in its first {HEADER_SEARCH_ROWS} rows"
                )
                continue
            layout = _check_header(header, sheet, file_name, phase, book is not None, vocab)
            if layout is None:
                plan.skipped.append(
                    f"sheet {sheet.name!r}: no couple code and check-in question columns "
                    f"(not answers the kit imports)"
                )
                continue
            check = _SheetCheck(vocab, codes, problems, file_name, phase, sheet, header)
            check.preview.layout = layout
            for col in header.by_role("metadata"):
                plan.skipped.append(
                    f"{in_sheet(sheet.name)}{col.where}: a column {col.tool} adds, not an answer"
                )
            if header.above:
                plan.skipped.append(
                    f"{in_sheet(sheet.name)}rows above the header (a title): "
                    + "; ".join(repr(shorten(t)) for t in header.above)
                )
            rows = chain(head[header.last_row :], sheet.rows)
            number = header.last_row
            try:
                for cells in rows:
                    number += 1
                    if problems.full:
                        break
                    if not any(cell.strip() for cell in cells):
                        continue
                    check.check(cells, number)
            except csv.Error as exc:
                problems.add(
                    f"row {number + 1}: cannot be read as CSV ({exc}); is this a text "
                    "file saved as CSV?"
                )
            check.finish(plan.skipped)
            checks.append(check)
    finally:
        if book is not None:
            book.close()
    if problems:
        raise problems.reject()
    if not checks:
        if empty == len(sheets):
            raise reject(
                file_name,
                f"the {'workbook' if book else 'file'} is empty; expected a header row "
                "(couple_code, partner, phase, qt1, ...) and one row per participant",
            )
        raise reject(
            file_name,
            "no sheet has a header row with a couple code column and question columns "
            f"(sheets looked at: {', '.join(str(n) for n in looked_at)}); expected "
            "couple_code, partner, phase, then one column per item id or question",
        )
    if sum(c.preview.rows for c in checks) == 0:
        raise reject(file_name, "the file has a header row but no rows of answers")
    _settle(session, plan, checks)
    plan.layout = " + ".join(dict.fromkeys(c.preview.layout for c in checks))
    return plan


def _no_header(file_name: str, head: list[list[str]]):
    first = next(row for row in head if any(c.strip() for c in row))
    if len([c for c in first if c.strip()]) == 1:
        shown = shorten(next(c for c in first if c.strip()), 50)
        raise reject(
            file_name,
            f"row 1 reads as one single column {shown!r}: the file must be comma, semicolon "
            "or tab separated, with couple_code, partner, phase and the questions as headers",
        )
    raise reject(
        file_name,
        f"no header row found in the first {HEADER_SEARCH_ROWS} rows: none names a couple "
        f"code, a partner, a phase or a question. Name the columns like {_wordings('couple_code')}"
        f"; {_wordings('partner')}; {_wordings('phase')}; then one column per item id "
        "(qt1, qt2, ...) or question wording",
    )


def _local(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.astimezone().astimezone(UTC)


def _settle(session: Session, plan: ImportPlan, checks: list[_SheetCheck]) -> None:
    """Drop rows imported before and answers older than the store's; fill the plan."""
    conn = session.store.conn
    rows = [(check, row, row.fingerprint()) for check in checks for row in check.rows]
    known: set[str] = set()
    prints = [p for _, _, p in rows]
    for start in range(0, len(prints), 500):
        chunk = prints[start : start + 500]
        marks = ",".join("?" * len(chunk))
        known |= {
            r[0]
            for r in conn.execute(
                f"SELECT fingerprint FROM import_rows WHERE fingerprint IN ({marks})", chunk
            )
        }
    legacy = conn.execute(
        "SELECT 1 FROM imports i WHERE sha256 = ? AND NOT EXISTS "
        "(SELECT 1 FROM import_rows r WHERE r.file_sha256 = i.sha256)",
        (plan.sha256,),
    ).fetchone()
    latest: dict[tuple, tuple] = {}
    if any(row.time for _, row, _ in rows):
        for *key, value, stamp in conn.execute(
            "SELECT couple_code, partner, phase, instrument, item_id, value, answered_at "
            "FROM answers WHERE id IN (SELECT MAX(id) FROM answers "
            "GROUP BY couple_code, partner, phase, instrument, item_id)"
        ):
            latest[tuple(key)] = (value, stamp)
    for check, row, fingerprint in rows:
        plan.rows += 1
        if fingerprint in known or legacy:
            plan.rows_before += 1
            check.preview.already += 1
            continue
        plan.row_keys.append((fingerprint, row.code, row.partner, row.phase))
        for answer in row.answers:
            stored = latest.get(
                (row.code, row.partner, row.phase, answer.instrument, answer.item_id)
            )
            if (
                row.time is not None
                and stored is not None
                and stored[0] != answer.value
                and datetime.fromisoformat(stored[1]) > _local(row.time)
            ):
                plan.kept.append(
                    f"{in_sheet(check.sheet.name)}row {row.number}: {row.code} {row.partner} "
                    f"{answer.item_id} stays {_shown(stored[0])} (given since; the file says "
                    f"{_shown(answer.value)})"
                )
                continue
            plan.answers.append(answer)
            check.preview.answers += 1
        plan.flags += row.flags
        for _, flag_id, value, code, partner in row.flags:
            # the yes/no answer, and the same answer kept for its check-in when known
            plan.entries += flag_entries(flag_id, value, code, partner, row.phase)
        check.preview.flags += len(row.flags)
    for check in checks:
        plan.sheets.append(check.preview)
        plan.notes += check.notes


def _shown(value) -> str:
    if value is None:
        return "skipped"
    return str(int(value)) if float(value).is_integer() else str(value)
