"""Real survey-tool and spreadsheet layouts (tests/fixtures/imports/README.md): each gives
the result its README calls right, and every answer cell of an imported file is stored."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workshop_kit.errors import ImportRejected
from workshop_kit.importers import import_file, preview_file
from workshop_kit.session import Session

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
CODES = ("K7P3", "M4RT", "TW96", "AC3X")


@pytest.fixture
def base(tmp_path) -> Session:
    """The README's store: four couples with fixed codes."""
    s = Session.create(tmp_path / "base.sqlite", "Import test", date="2026-11-21", couples=0)
    for code in CODES:
        s.add_couple(code)
    yield s
    s.close()


def state(session: Session) -> tuple:
    conn = session.store.conn
    return tuple(
        conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("answers", "entries", "imports", "import_rows")
    )


# file -> (layout, rows, answers, yes/no answers, phases stored)
IMPORTS = {
    "01_gforms_sheets_download.csv": ("online form", 8, 235, 16, {"before"}),
    "04_msforms_excel_export.xlsx": ("online form", 8, 229, 16, {"before"}),
    "05_qualtrics_3_header_rows.csv": ("online form", 8, 232, 16, {"before"}),
    "11_excel_unicode_text.txt": ("wide", 8, 230, 0, {"before"}),
    "13_european_sep_line.csv": ("online form", 8, 234, 8, {"before"}),
    "17_workbook_before_and_after_sheets.xlsx": ("wide", 16, 465, 0, {"before", "after"}),
}


def non_blank_answer_cells(session: Session, path: Path) -> int | None:
    """Counted without the importer: cells under a header that is an item's id or exact text."""
    if path.suffix != ".xlsx":
        return None
    content = session.content
    names = {"closeness circles", "ios"}
    for inst in content.instruments:
        for item in inst.items:
            names |= {item.id.lower(), (item.text or "").lower()}
    total = 0
    for sheet in load_workbook(path, data_only=True).worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        keep = [i for i, h in enumerate(rows[0]) if str(h).strip().lower() in names]
        total += sum(r[i] not in (None, "") for r in rows[1:] for i in keep)
    return total


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_fixture_imports_whole(base, name):
    layout, rows, answers, flags, phases = IMPORTS[name]
    report = import_file(base, FIXTURES / name)
    assert (report.layout, report.rows, report.answers, report.flags) == (
        layout,
        rows,
        answers,
        flags,
    )
    stored = base.answers()
    assert len(stored) == answers
    assert set(stored["phase"]) == phases
    counted = non_blank_answer_cells(base, FIXTURES / name)
    if counted is not None:
        assert counted == answers
    # a second import of the same file adds nothing
    again = import_file(base, FIXTURES / name)
    assert again.already_imported and len(base.answers()) == answers


def test_gforms_lists_what_it_skipped(base):
    report = import_file(base, FIXTURES / "01_gforms_sheets_download.csv")
    assert "column A 'Timestamp': a column Google Forms adds, not an answer" in str(report)
    assert "column B 'Email Address'" in str(report)
    assert "example.invalid" not in base.store.path.read_bytes().decode("latin-1")


def test_qualtrics_reads_the_question_text_row(base):
    text = preview_file(base, FIXTURES / "05_qualtrics_3_header_rows.csv")
    assert "header in rows 1-3" in text
    assert "Qualtrics choice numbers" in text
    assert base.answers().empty  # a preview writes nothing
    import_file(base, FIXTURES / "05_qualtrics_3_header_rows.csv")
    assert base.flag("K7P3", "A", "wants_to_talk") is False  # 2 = No
    assert base.flag("K7P3", "A", "consent") is True  # 1 = Yes


def test_unicode_text_and_mac_words_are_decoded(base):
    import_file(base, FIXTURES / "11_excel_unicode_text.txt")
    rows = list(
        csv.reader(
            (FIXTURES / "11_excel_unicode_text.txt").read_text("utf-16").splitlines(),
            delimiter="\t",
        )
    )
    first = dict(zip(rows[0], rows[1], strict=False))
    got = base.answered_items("K7P3", "A", "before")
    assert got[("checkin", "qt1")] == float(first["qt1"])


def test_sep_line_file_equals_the_same_file_without_it(base, tmp_path):
    report = import_file(base, FIXTURES / "13_european_sep_line.csv")
    other = Session.create(tmp_path / "o.sqlite", "T", couples=0)
    for code in CODES:
        other.add_couple(code)
    data = (FIXTURES / "13_european_sep_line.csv").read_bytes().split(b"\n", 1)[1]
    (tmp_path / "no_sep.csv").write_bytes(data)
    again = import_file(other, tmp_path / "no_sep.csv")
    assert (again.answers, again.flags) == (report.answers, report.flags)
    cols = ["couple_code", "partner", "phase", "item_id", "value"]
    assert base.answers()[cols].equals(other.answers()[cols])
    other.close()


@pytest.mark.parametrize(
    "name, fragments",
    [
        (
            "16_paper_tally_ranges_and_excel_dates.csv",
            [
                "row 2, column D 'qt1': '4-5' is two answers",
                "row 3, column E 'qt2': '5-Apr' looks like a date",
                "row 4, column F 'vu1': '04-May' looks like a date",
                "row 4, column G 'co1': '1-2' is two answers",
                "'Often true' (4)",
            ],
        ),
        ("18b_blank_header_cell.csv", ["column E has answers but no header"]),
    ],
)
def test_fixture_is_refused_naming_where(base, name, fragments):
    before = state(base)
    with pytest.raises(ImportRejected) as info:
        import_file(base, FIXTURES / name)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert "nothing was changed" in str(info.value)
    assert state(base) == before
