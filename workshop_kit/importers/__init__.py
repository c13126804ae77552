"""Import check-in answers from files as survey tools and spreadsheets write them: all, or nothing.

An import runs in stages, one module each, every one readable alone:

:mod:`~workshop_kit.importers.read`
    Files, sheets, encodings, separators: every worksheet of a workbook; UTF-8, UTF-16
    ("Unicode Text"), Windows-1252 and Mac Roman; tab, semicolon or comma; ``sep=;``.
:mod:`~workshop_kit.importers.header`
    Which rows are the header (Qualtrics' three, SurveyMonkey's two, a title row above) and
    what each column means; the survey tools' own columns are recognised and skipped.
:mod:`~workshop_kit.importers.cells`
    A cell as a value: a number on the scale or the scale's words; ranges, dates, times and
    doubts are refused; couple codes a spreadsheet turned into numbers are recognised.
:mod:`~workshop_kit.importers.rows`
    Each row checked whole against its header; columns the header could not place watched.
:mod:`~workshop_kit.importers.reimport`
    Rows imported before are skipped; answers given since a form was filled in are kept.
:mod:`~workshop_kit.importers.plan`
    Every sheet checked whole, and a preview of what would be written.

Three layouts are read, each recognised from its header:

``wide``
    One row per participant and phase: ``couple_code, partner, phase`` and then one column
    per item id (``qt1``, ``ios``, ``csi4_1``, ...) or yes/no question (``consent``).
``online form``
    A survey tool's export: the question *text* as headers, with the tool's own columns.
``long``
    The kit's own data export: ``couple_code, partner, phase, instrument, item_id, value``.

A blank answer cell means "not answered" (in the long layout: skipped). Row numbers are
those a spreadsheet shows. Any problem refuses the whole file with
:class:`~workshop_kit.errors.ImportRejected` naming the sheet, row, column, value and what
is allowed; the store is left unchanged.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..session import Session
from .cells import parse_answer, parse_partner, parse_phase, parse_yes_no
from .common import Problems, column_letter, normalise_text, plural
from .header import IDENTITY_WORDINGS, TOOL_COLUMNS, Column, Vocabulary, find_header
from .plan import ImportPlan, SheetPreview, plan_import
from .read import SUFFIXES, detect_encoding, file_sha256

__all__ = [
    "IDENTITY_WORDINGS",
    "SUFFIXES",
    "TOOL_COLUMNS",
    "Column",
    "ImportPlan",
    "ImportReport",
    "Problems",
    "SheetPreview",
    "Vocabulary",
    "column_letter",
    "detect_encoding",
    "file_sha256",
    "find_header",
    "import_file",
    "normalise_text",
    "parse_answer",
    "parse_partner",
    "parse_phase",
    "parse_yes_no",
    "plan_import",
    "preview_file",
]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts, and the plan's preview of what was read and skipped."""

    file_name: str
    layout: str
    rows: int
    answers: int
    flags: int
    already_imported: bool
    rows_before: int = 0
    kept: int = 0
    details: str = ""
    skipped: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        if self.already_imported:
            head = (
                f"{self.file_name} was imported before: nothing added "
                f"(all {self.rows} rows are in the session already)."
            )
        else:
            head = (
                f"Imported {self.file_name} ({self.layout} layout): {plural(self.rows, 'row')}, "
                f"{plural(self.answers, 'answer')}, {plural(self.flags, 'yes/no answer')}."
            )
            if self.rows_before:
                head += f" {plural(self.rows_before, 'row')} imported before: skipped."
            if self.kept:
                head += f" {plural(self.kept, 'answer')} given since: kept."
        return head + (f"\n{self.details}" if self.details else "")


def preview_file(session: Session, path: Path | str, phase: str | None = None) -> str:
    """What importing ``path`` would do, in plain lines; nothing is written.

    Parameters
    ----------
    session : Session
        The session the answers are for.
    path : Path or str
        The file.
    phase : {"before", "after"}, optional
        As for :func:`import_file`.

    Returns
    -------
    str
        Per sheet: layout, header rows, rows, people, phases, answers; then what would not be
        imported and why, rows imported before, answers kept because given since.

    Raises
    ------
    ImportRejected
        As :func:`import_file` would.
    """
    plan = plan_import(session, path, phase)
    lines = [plan.preview()]
    new = len(plan.answers) + len(plan.flags)
    if plan.rows_before == plan.rows:
        lines.append("Every row was imported before: importing adds nothing.")
    else:
        lines.append(
            f"Importing would add {plural(len(plan.answers), 'answer')} and "
            f"{plural(len(plan.flags), 'yes/no answer')} from "
            f"{plural(plan.rows - plan.rows_before, 'row')}."
            if new
            else "Importing would add no answers."
        )
    return "\n".join(lines)


def import_file(session: Session, path: Path | str, phase: str | None = None) -> ImportReport:
    """Import a file of check-in answers into the session: every row of it, or nothing.

    Parameters
    ----------
    session : Session
        The session to write to (its couple codes must already exist).
    path : Path or str
        A text file (``.csv``, ``.txt``, ``.tsv``: comma, semicolon or tab separated, in
        UTF-8, UTF-16, Windows-1252 or Mac Roman) or a workbook (``.xlsx``, ``.xlsm``: every
        sheet is read), in the wide, online-form or long layout (see the module notes).
    phase : {"before", "after"}, optional
        The check-in for every row, when the file has no phase column and no sheet named
        Before or After. A row or sheet saying otherwise refuses the file.

    Returns
    -------
    ImportReport
        Rows, answers and yes/no answers written; ``already_imported`` when every row was
        imported before (then nothing was written).

    Raises
    ------
    ImportRejected
        Naming the sheet, row, column, value and what is allowed; nothing was written.

    Notes
    -----
    Re-importing: rows are known by content (code, partner, phase, values), so rows imported
    before are skipped in any file they come in, and a row never overwrites an answer given
    after its own time (see :mod:`~workshop_kit.importers.plan`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> s = Session.create(folder / "s.sqlite", "T", couples=1, seed=1)
    >>> code = s.couple_codes()[0]
    >>> _ = (folder / "paper.csv").write_text(f"couple_code;partner;phase;qt1;ios\\n"
    ...                                       f"{code};A;before;4;5\\n", encoding="utf-8")
    >>> print(import_file(s, folder / "paper.csv").__str__().splitlines()[0])
    Imported paper.csv (wide layout): 1 row, 2 answers, 0 yes/no answers.
    >>> import_file(s, folder / "paper.csv").already_imported
    True
    """
    plan = plan_import(session, path, phase)
    fresh = plan.rows - plan.rows_before
    written = fresh > 0 and session.record_import(
        plan.answers,
        plan.entries,
        plan.sha256,
        plan.file_name,
        plan.rows,
        source="import",
        row_keys=plan.row_keys,
    )
    return ImportReport(
        plan.file_name,
        plan.layout,
        plan.rows,
        len(plan.answers) if written else 0,
        len(plan.flags) if written else 0,
        not written,
        rows_before=plan.rows_before,
        kept=len(plan.kept),
        details=plan.preview(),
        skipped=tuple(plan.skipped),
    )
