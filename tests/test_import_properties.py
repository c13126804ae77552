"""Property: no import ever reports success while a cell holding an answer was not stored.

Sheets are generated the way people bring them: question headers written as ids, wording,
numbered or grid titles; survey tools' own columns; a column whose header is empty; a column
of the facilitator's own; typed ranges, dates and times; extra sheets of notes or of the
other check-in. Whatever the import says, either every answer cell is in the store with the
value it holds, or the import was refused and the store is unchanged.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from workshop_kit.errors import ImportRejected
from workshop_kit.importers import import_file
from workshop_kit.session import Session

CODES = ("K7P3", "M4RT", "TW96")
ITEMS = {  # item id -> (wording, scale words)
    "qt1": "We make time to be together without screens or chores.",
    "vu2": "I keep my worries to myself so I don't look weak.",
    "oc3": "I feel we are a team.",
}
WORDS = {
    1: "Not true for us",
    2: "Rarely true",
    3: "Sometimes true",
    4: "Often true",
    5: "Very true for us",
}
TOOL_COLUMNS = [
    "Timestamp",
    "Email Address",
    "Last modified time",
    "_uuid",
    "record_id",
    "Network ID",
]
BROKEN = ["4-5", "1-2", "5-Apr", "04-May", "3:00", "2 (not sure)", "9", "3.5"]


@st.composite
def header_text(draw, item_id: str) -> str:
    wording = ITEMS[item_id]
    return draw(
        st.sampled_from(
            [
                item_id,
                wording,
                f"1. {wording}",
                f"Q2) {wording}",
                f"How true? [{wording}]",
                wording.upper(),
            ]
        )
    )


@st.composite
def answer_cell(draw) -> tuple[str, float | None, bool]:
    """(text, value meant, whether the kit must refuse it)."""
    kind = draw(
        st.sampled_from(["blank", "number", "number", "words", "number and words"] * 3 + ["broken"])
    )
    value = draw(st.integers(1, 5))
    if kind == "blank":
        return "", None, False
    if kind == "number":
        return str(value), float(value), False
    if kind == "words":
        return WORDS[value], float(value), False
    if kind == "number and words":
        return f"{value} - {WORDS[value]}", float(value), False
    return draw(st.sampled_from(BROKEN)), None, True


@st.composite
def answer_sheet(draw, phase: str, phase_column: bool):
    items = draw(st.lists(st.sampled_from(sorted(ITEMS)), min_size=1, max_size=3, unique=True))
    tools = draw(st.lists(st.sampled_from(TOOL_COLUMNS), max_size=2, unique=True))
    blank = draw(st.sampled_from([False, False, True]))
    own = draw(st.sampled_from([None, None, "free text", "numbers"]))
    header = [*tools, "Couple code", "Partner", *(["Phase"] if phase_column else [])]
    header += [draw(header_text(i)) for i in items]
    if own:
        header.append("How did you hear about us?")
    if blank:
        header.append("")
    people = draw(
        st.lists(
            st.tuples(st.sampled_from(CODES), st.sampled_from("AB")),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    rows, meant, must_refuse = [header], {}, False
    for code, partner in people:
        row = ["x" for _ in tools] + [code, partner] + ([phase] if phase_column else [])
        for item in items:
            text, value, broken = draw(answer_cell())
            row.append(text)
            must_refuse |= broken
            if value is not None:
                meant[(code, partner, phase, item)] = value
        if own:
            text = (
                draw(st.sampled_from(["", "a friend", "the church"]))
                if own == "free text"
                else draw(st.sampled_from(["", "3"]))
            )
            row.append(text)
            must_refuse |= text == "3"  # an answer under a header the kit does not know
        if blank:
            text = draw(st.sampled_from(["", "", "", "4"]))
            row.append(text)
            must_refuse |= text != ""  # an answer under an empty header
        rows.append(row)
    return rows, meant, must_refuse


@st.composite
def upload(draw):
    as_workbook = draw(st.booleans())
    before, meant, refuse = draw(
        answer_sheet("before", phase_column=not as_workbook or draw(st.booleans()))
    )
    sheets = {"Before": before}
    if as_workbook:
        if draw(st.booleans()):
            after, meant_after, refuse_after = draw(
                answer_sheet("after", phase_column=draw(st.booleans()))
            )
            sheets["After"] = after
            meant |= meant_after
            refuse |= refuse_after
        if draw(st.booleans()):
            sheets["Notes"] = [["Bring pens"], ["Room 4 at 10:00"]]
    return as_workbook, sheets, meant, refuse


def state(session: Session) -> tuple:
    conn = session.store.conn
    return tuple(
        conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in ("answers", "entries", "import_rows")
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(upload())
def test_no_success_while_an_answer_cell_was_not_stored(case):
    as_workbook, sheets, meant, must_refuse = case
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        session = Session.create(folder / "s.sqlite", "P", date="2026-11-21", couples=0)
        for code in CODES:
            session.add_couple(code)
        if as_workbook:
            path = folder / "answers.xlsx"
            book = Workbook()
            book.remove(book.active)
            for title, rows in sheets.items():
                sheet = book.create_sheet(title)
                for row in rows:
                    sheet.append(row)
            book.save(path)
        else:
            path = folder / "answers.csv"
            with path.open("w", newline="", encoding="utf-8") as fh:
                csv.writer(fh).writerows(sheets["Before"])
        before = state(session)
        try:
            report = import_file(session, path)
        except ImportRejected:
            assert state(session) == before
            return
        finally:
            got = {
                (r.couple_code, r.partner, r.phase, r.item_id): r.value
                for r in session.answers().itertuples()
            }
            session.close()
        assert not must_refuse, f"reported success: {report}"
        assert got == meant
        assert report.answers == len(meant)
