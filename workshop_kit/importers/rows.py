"""Stage 3b, rows: one row of a sheet checked whole, and what each sheet holds.

:class:`SheetCheck` reads a sheet's rows one at a time against its header: the couple code
(a code a spreadsheet turned into a number is recognised), the partner, the check-in (from
the row, the sheet's name or the import's choice, which must agree), every answer and
yes/no answer (:mod:`~workshop_kit.importers.cells`), formulas without a saved value, and a
person answering the same question twice. It also watches the columns the header could not
place: answers under an empty header, or numbers under a header the kit does not know,
refuse the file; free text is skipped and listed. While nothing is wrong it keeps the rows,
for :mod:`~workshop_kit.importers.reimport` to settle.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import InputError
from ..session import CODE_PATTERN, PHASES, Answer, normalise_code
from .cells import (
    mangled_code,
    parse_answer,
    parse_partner,
    parse_phase,
    parse_row_time,
    parse_yes_no,
    phase_of_name,
)
from .common import column_letter, in_sheet, normalise_text, plural, shorten
from .header import ROW_TIME_COLUMNS, Column
from .read import FormulaCell

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
            f"{where} ({self.layout} layout, header in {self.header_rows}): "
            f"{plural(self.rows, 'row')}, {plural(len(self.people), 'person', 'people')} "
            f"({phases}), {plural(self.answers, 'answer')}, "
            f"{plural(self.flags, 'yes/no answer')}"
            + (f"; {plural(self.already, 'row')} imported before, skipped" if self.already else "")
        )


def answer_like(text: str, vocab) -> bool:
    """A whole number or a scale's words: what a check-in answer looks like."""
    if re.fullmatch(r"[+-]?\d+(?:[.,]0+)?", text.strip()):
        return True
    folded = normalise_text(re.sub(r"^\s*\d+\s*[-–:.)]?\s*", "", text))
    return any(folded in anchors for anchors in vocab.anchors.values())


def unplaced_answers(rows, first_number: int, header, vocab) -> list[str]:
    """For a sheet that is not imported: its columns the kit cannot place that hold answers.

    Parameters
    ----------
    rows : iterable of list of str
        The sheet's rows below its header.
    first_number : int
        The spreadsheet number of the first of ``rows``.
    header : Header
        The sheet's header.
    vocab : Vocabulary
        For the scales' words.

    Returns
    -------
    list of str
        One problem per column with an empty or unknown header holding a number or a
        scale's words (what the sheet's name and column are, and an example cell).
    """
    watched = {c.index: c for c in header.columns if c.role in ("blank", "unknown")}
    found: dict[int, tuple[str, int]] = {}
    for number, cells in enumerate(rows, start=first_number):
        for index, text in enumerate(cells):
            if index >= len(header.columns):
                watched.setdefault(index, Column(index, "", "blank"))
            if index in watched and index not in found and answer_like(text, vocab):
                found[index] = (text.strip(), number)
    problems = []
    for index, (text, number) in sorted(found.items()):
        col = watched[index]
        what = col.where if col.role == "unknown" else f"column {column_letter(index)}"
        problems.append(
            f"{what} holds answers such as {text!r} (row {number}) but the sheet has no "
            "check-in question columns; name the columns by item id or wording, or delete "
            "the column or the sheet"
        )
    return problems


@dataclass
class Row:
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


class SheetCheck:
    """Checks one sheet's rows, collecting problems and (while there are none) rows."""

    def __init__(self, vocab, codes, problems, file_name, phase, sheet, header):
        self.vocab, self.codes, self.problems = vocab, codes, problems
        self.file_name, self.phase_arg, self.sheet, self.header = file_name, phase, sheet, header
        self.where_sheet = in_sheet(sheet.name)
        self.preview = SheetPreview(sheet.name, header_rows=header.rows_text)
        self.rows: list[Row] = []
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
                if watch.answer_like is None and answer_like(text, self.vocab):
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
        self.rows.append(Row(number, code, partner, phase, found_answers, found_flags, time))
        self.preview.people.add((code, partner))
        self.preview.phases[phase or "no phase"] += 1

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
