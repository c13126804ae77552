"""Stage 4, plan: every sheet checked whole, and what an import would write.

:func:`plan_import` reads a file through the stages before it (read, header, cells, rows)
and returns an :class:`ImportPlan`: the answers and yes/no answers to write, and a preview
per sheet (rows, people, check-ins, answers) with what was skipped and why. Rows imported
before and answers given since are settled by :mod:`~workshop_kit.importers.reimport`.
Nothing is written here; :func:`workshop_kit.importers.import_file` writes a plan in one
transaction.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from ..session import PHASES, Answer, Session
from .cells import phase_of_name
from .common import Problems, in_sheet, reject, shorten
from .header import HEADER_SEARCH_ROWS, IDENTITY_WORDINGS, Column, Header, Vocabulary, find_header
from .read import SUFFIXES, TEXT_SUFFIXES, Sheet, Workbook, file_sha256, read_text
from .reimport import settle
from .rows import SheetCheck, SheetPreview, unplaced_answers

__all__ = ["ImportPlan", "SheetPreview", "plan_import"]

# The kit's own data export: tables worked out again from the answers, never imported.
KIT_TABLES = {"sessions", "scores", "changes", "values_sorts", "appreciation_words"}


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
    # a spreadsheet's own habits (a date, a language column) do not make it an online form
    tools = {c.tool for c in header.by_role("metadata")} - {
        "the kit's data export",
        "a spreadsheet",
    }
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
    checks: list[SheetCheck] = []
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
                kit_table = sheet.name in KIT_TABLES and any(
                    c.key == "session id" for c in header.by_role("metadata")
                )
                if not kit_table:  # answers on a sheet the kit cannot read refuse the file
                    rows = chain(head[header.last_row :], sheet.rows)
                    for message in unplaced_answers(rows, header.last_row + 1, header, vocab):
                        problems.add(f"sheet {sheet.name!r}, {message}")
                plan.skipped.append(
                    f"sheet {sheet.name!r}: no couple code and check-in question columns "
                    f"(not answers the kit imports)"
                )
                continue
            check = SheetCheck(vocab, codes, problems, file_name, phase, sheet, header)
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
    settle(session, plan, checks)
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
