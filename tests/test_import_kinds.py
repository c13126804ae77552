"""One test per kind of import fault of issue 18, each with the smallest input that shows it.

Every refusal is checked to leave the store unchanged; every import to store each answer.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from workshop_kit.couple_codes import spreadsheet_safe
from workshop_kit.errors import ImportRejected, InputError
from workshop_kit.importers import import_file, preview_file
from workshop_kit.session import Session, fresh_codes

QT1 = "We make time to be together without screens or chores."
QT2 = "Time with my partner feels like something we look forward to."
VU2 = "I keep my worries to myself so I don't look weak."
STEM = "How true is each sentence for your relationship right now?"


@pytest.fixture
def room(tmp_path) -> Session:
    s = Session.create(tmp_path / "room.sqlite", "Kinds", date="2026-11-21", couples=0)
    for code in ("K7P3", "M4RT"):
        s.add_couple(code)
    yield s
    s.close()


def state(session: Session) -> tuple:
    conn = session.store.conn
    tables = ("answers", "entries")
    counts = [conn.execute(f"SELECT COUNT(*), MAX(id) FROM {t}").fetchone() for t in tables]
    return (*counts, conn.execute("SELECT COUNT(*) FROM import_rows").fetchone())


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def refused(session: Session, path: Path, *fragments: str, phase=None) -> str:
    before = state(session)
    with pytest.raises(ImportRejected) as info:
        import_file(session, path, phase=phase)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "nothing was changed" in message
    assert state(session) == before
    return message


def stored(session: Session) -> dict:
    return {
        (r.couple_code, r.partner, r.phase, r.item_id): r.value
        for r in session.answers().itertuples()
    }


def xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


HEAD = "couple_code,partner,phase,qt1\n"


# -- 1. text after a number ---------------------------------------------------------------
@pytest.mark.parametrize(
    "cell, fragment",
    [
        ("4-5", "'4-5' is two answers (4 and 5)"),
        ("1-2", "'1-2' is two answers (1 and 2)"),
        ("5-Apr", "'5-Apr' looks like a date"),
        ("04-May", "'04-May' looks like a date"),
        ("Apr-05", "'Apr-05' looks like a date"),
        ("3:00", "'3:00' looks like a time"),
        ("2 (not sure)", "'2 (not sure)' has words after the number"),
        ("4 - Rarely true", "the number and the words disagree"),
    ],
)
def test_1_text_after_a_number_is_refused(room, tmp_path, cell, fragment):
    path = write(tmp_path / "a.csv", HEAD + f'K7P3,A,before,"{cell}"\n')
    message = refused(room, path, "row 2, column D 'qt1'", fragment)
    assert "'Often true' (4)" in message  # and the allowed words are listed


@pytest.mark.parametrize(
    "cell", ["4 - Often true", "4. Often true", "4 (Often true)", "Often true"]
)
def test_1_a_known_label_after_its_number_is_accepted(room, tmp_path, cell):
    import_file(room, write(tmp_path / "a.csv", HEAD + f"K7P3,A,before,{cell}\n"))
    assert stored(room) == {("K7P3", "A", "before", "qt1"): 4.0}


# -- 2. answers under an empty header -----------------------------------------------------
def test_2_blank_header_with_answers_is_refused(room, tmp_path):
    path = write(tmp_path / "a.csv", "couple_code,partner,phase,qt1,\nK7P3,A,before,4,2\n")
    refused(room, path, "column E has answers but no header")


def test_2_blank_trailing_columns_without_answers_are_fine(room, tmp_path):
    import_file(
        room, write(tmp_path / "a.csv", "couple_code,partner,phase,qt1,,\nK7P3,A,before,4,,\n")
    )
    assert len(stored(room)) == 1


def test_2_excel_merged_header_cell_is_refused(room, tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        {
            "Answers": [
                ["couple_code", "partner", "phase", "qt1", None],
                ["K7P3", "A", "before", 4, 3],
            ]
        },
    )
    refused(room, path, "sheet 'Answers', column E has answers but no header")


def test_2_surveymonkey_matrix_columns_are_read_from_the_second_row(room, tmp_path):
    rows = [
        [
            "Respondent ID",
            "What is your couple code?",
            "Are you partner A or B?",
            "Before or after?",
            STEM,
            "",
        ],
        ["", "Response", "Response", "Response", QT1, QT2],
        ["1", "K7P3", "A", "Before", "Often true", "Rarely true"],
    ]
    path = write(tmp_path / "sm.csv", "\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n")
    report = import_file(room, path)
    assert stored(room) == {
        ("K7P3", "A", "before", "qt1"): 4.0,
        ("K7P3", "A", "before", "qt2"): 2.0,
    }
    assert "header in rows 1-2" in str(report)
    assert "column A 'Respondent ID': a column SurveyMonkey adds" in str(report)


# -- 3. every sheet of a workbook ---------------------------------------------------------
def test_3_every_sheet_is_read_and_its_name_gives_the_phase(room, tmp_path):
    head = ["couple_code", "partner", "qt1"]
    path = xlsx(
        tmp_path / "a.xlsx",
        {
            "Before": [head, ["K7P3", "A", 2]],
            "After": [head, ["K7P3", "A", 5]],
            "Notes": [["pens"]],
        },
    )
    report = import_file(room, path)
    assert stored(room) == {("K7P3", "A", "before", "qt1"): 2.0, ("K7P3", "A", "after", "qt1"): 5.0}
    assert "sheet 'Notes': no header row" in str(report)


def test_3_a_sheet_named_before_is_not_stored_as_after(room, tmp_path):
    head = ["couple_code", "partner", "qt1"]
    path = xlsx(
        tmp_path / "a.xlsx", {"Before": [head, ["K7P3", "A", 2]], "After": [head, ["K7P3", "A", 5]]}
    )
    refused(room, path, "sheet 'Before' is named for the before check-in", phase="after")


def test_3_a_second_sheet_of_answers_without_a_couple_column_is_refused(room, tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        {
            "Before": [["couple_code", "partner", "phase", "qt1"], ["K7P3", "A", "before", 2]],
            "After": [["who", "partner", "phase", "qt1"], ["K7P3", "A", "after", 5]],
        },
    )
    refused(room, path, "sheet 'After', row 1: no couple code column found")


# -- 4. "already imported" is about rows, not bytes ---------------------------------------
def test_4_the_same_rows_with_crlf_line_ends_are_already_imported(room, tmp_path):
    import_file(room, write(tmp_path / "a.csv", HEAD + "K7P3,A,before,4\n"))
    again = import_file(
        room, write(tmp_path / "b.csv", (HEAD + "K7P3,A,before,4\n").replace("\n", "\r\n"))
    )
    assert again.already_imported and len(room.answers()) == 1


def test_4_a_file_imported_with_the_wrong_phase_can_be_imported_with_the_right_one(room, tmp_path):
    path = write(tmp_path / "a.csv", "couple_code,partner,qt1\nK7P3,A,4\n")
    import_file(room, path, phase="before")
    report = import_file(room, path, phase="after")
    assert not report.already_imported
    assert stored(room) == {("K7P3", "A", "before", "qt1"): 4.0, ("K7P3", "A", "after", "qt1"): 4.0}


def test_4_a_form_downloaded_again_keeps_a_correction_made_in_between(room, tmp_path):
    head = f"Timestamp,Couple code,Partner,Phase,{QT1}\n"
    old = "2026-11-21 09:50:00,K7P3,A,before,2\n"
    import_file(room, write(tmp_path / "form.csv", head + old))
    room.record_answer("K7P3", "A", "before", "checkin", "qt1", 5)  # the facilitator's fix
    report = import_file(
        room, write(tmp_path / "form (1).csv", head + old + "2026-11-21 09:55:00,M4RT,B,before,3\n")
    )
    assert report.rows_before == 1 and report.answers == 1
    assert stored(room)[("K7P3", "A", "before", "qt1")] == 5.0
    assert stored(room)[("M4RT", "B", "before", "qt1")] == 3.0


def test_4_a_row_older_than_an_answer_given_since_never_overwrites_it(room, tmp_path):
    room.record_answer("K7P3", "A", "before", "checkin", "qt1", 5)  # given now, on the laptop
    path = write(
        tmp_path / "form.csv",
        f"Timestamp,Couple code,Partner,Phase,{QT1},{QT2}\n2026-01-02 09:50:00,K7P3,A,before,2,3\n",
    )
    assert "stays 5 (given since; the file says 2)" in preview_file(room, path)
    report = import_file(room, path)
    assert report.kept == 1 and report.answers == 1
    assert stored(room)[("K7P3", "A", "before", "qt1")] == 5.0
    assert stored(room)[("K7P3", "A", "before", "qt2")] == 3.0


# -- 5. the sheet's stated size and formulas ----------------------------------------------
def _shrink_dimension(path: Path, ref: str) -> None:
    data = {}
    with zipfile.ZipFile(path) as zin:
        for item in zin.infolist():
            data[item.filename] = zin.read(item.filename)
    name = "xl/worksheets/sheet1.xml"
    data[name] = re.sub(
        rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), data[name]
    )
    assert f'<dimension ref="{ref}"/>'.encode() in data[name]
    with zipfile.ZipFile(path, "w") as zout:
        for filename, content in data.items():
            zout.writestr(filename, content)


@pytest.mark.parametrize("ref", ["A1:D2", "A1"])
def test_5_a_wrong_dimension_does_not_cut_rows_off(room, tmp_path, ref):
    rows = [["couple_code", "partner", "phase", "qt1"]] + [
        [code, partner, "before", n]
        for n, (code, partner) in enumerate(
            [("K7P3", "A"), ("K7P3", "B"), ("M4RT", "A"), ("M4RT", "B")], start=1
        )
    ]
    path = xlsx(tmp_path / "a.xlsx", {"Answers": rows})
    _shrink_dimension(path, ref)
    report = import_file(room, path)
    assert report.rows == 4 and len(room.answers()) == 4


def test_5_a_formula_without_a_saved_value_is_refused(room, tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        {"Answers": [["couple_code", "partner", "phase", "qt1"], ["K7P3", "A", "before", "=2+2"]]},
    )
    refused(room, path, "row 2, column D 'qt1': a formula (=2+2) whose result was never saved")


# -- 6. the tools' own columns, and free text ---------------------------------------------
@pytest.mark.parametrize(
    "tool, columns",
    [
        (
            "Microsoft Forms",
            ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"],
        ),
        (
            "Typeform",
            ["#", "Response Type", "Start Date (UTC)", "Submit Date (UTC)", "Network ID", "Tags"],
        ),
        ("KoboToolbox", ["start", "end", "_uuid", "_status", "_submission_time", "__version__"]),
        (
            "REDCap",
            ["record_id", "redcap_event_name", "checkin_timestamp", "checkin_complete", "mood___1"],
        ),
        (
            "Qualtrics",
            ["StartDate", "EndDate", "Status", "IPAddress", "ResponseId", "UserLanguage"],
        ),
        (
            "SurveyMonkey",
            ["Respondent ID", "Collector ID", "IP Address", "First Name", "Custom Data 1"],
        ),
    ],
)
def test_6_tools_own_columns_are_skipped_and_listed(room, tmp_path, tool, columns):
    values = ["x1", "2026-11-21 09:00:00", "abc", "1", "y", "z"][: len(columns)]
    head = ",".join(columns) + ",couple_code,partner,phase,qt1\n"
    report = import_file(
        room, write(tmp_path / "a.csv", head + ",".join(values) + ",K7P3,A,before,4\n")
    )
    assert stored(room) == {("K7P3", "A", "before", "qt1"): 4.0}
    for column in columns:
        assert f"'{column}': a column" in str(report), column


def test_6_free_text_is_skipped_and_listed_but_numbers_under_an_unknown_header_refuse(
    room, tmp_path
):
    path = write(
        tmp_path / "a.csv", HEAD[:-1] + ",Anything else?\nK7P3,A,before,4,Thanks for today\n"
    )
    report = import_file(room, path)
    assert "column E 'Anything else?': free text, not stored" in str(report)
    other = write(tmp_path / "b.csv", HEAD[:-1] + ",We make tme together\nM4RT,A,before,4,3\n")
    refused(
        room,
        other,
        "column E 'We make tme together': not a question of the check-in, "
        "but it holds answers such as '3'",
    )


# -- 7. identity wordings ----------------------------------------------------------------
@pytest.mark.parametrize(
    "couple, partner, phase",
    [
        ("What is your couple code?", "Are you partner A or B?", "Before or after the workshop?"),
        ("Couple ID", "Which partner are you?", "Which check-in is this?"),
        ("Your couple code (on your card)", "Partner letter", "Pre or post"),
        ("Enter your code", "Are you person A or person B?", "Phase"),
    ],
)
def test_7_identity_questions_may_be_worded_as_people_word_them(
    room, tmp_path, couple, partner, phase
):
    path = write(
        tmp_path / "a.csv",
        f'"{couple}","{partner}","{phase}",qt1\nK7P3,Partner A,Before the workshop,4\n',
    )
    import_file(room, path)
    assert stored(room) == {("K7P3", "A", "before", "qt1"): 4.0}


def test_7_a_missing_identity_column_lists_the_wordings(room, tmp_path):
    path = write(
        tmp_path / "a.csv", "Couple code,Partner,When did you fill this?,qt1\nK7P3,A,x,4\n"
    )
    refused(
        room,
        path,
        "no phase column found",
        "'Before or after the workshop?'",
        "'Which check-in is this?'",
    )


# -- 8. question headers that do not match whole ------------------------------------------
@pytest.mark.parametrize(
    "header",
    [f"{STEM} [{QT1}]", f"1. {QT1}", f"Q1) {QT1}", f"Q1 {QT1}", f"{STEM} - {QT1}", "group_a/qt1"],
)
def test_8_grid_numbered_and_stem_headers_name_their_item(room, tmp_path, header):
    path = write(tmp_path / "a.csv", f'couple_code,partner,phase,"{header}"\nK7P3,A,before,4\n')
    import_file(room, path)
    assert stored(room) == {("K7P3", "A", "before", "qt1"): 4.0}


# -- 9. the header is not always one row in row 1 -----------------------------------------
def test_9_a_title_row_above_the_header_is_skipped_and_listed(room, tmp_path):
    path = write(
        tmp_path / "a.csv", "Check-in answers 21 November,,,\n" + HEAD + "K7P3,A,before,4\n"
    )
    report = import_file(room, path)
    assert "header in row 2" in str(report) and "'Check-in answers 21 November'" in str(report)
    assert len(room.answers()) == 1


def test_9_qualtrics_three_header_rows(room, tmp_path):
    rows = [
        "StartDate,Q1,Q2,Q3,Q4_1",
        "Start Date,What is your couple code?,Are you partner A or partner B?,"
        f'Which check-in is this?,"{STEM} - {QT1}"',
        ",".join(
            f'"{{""ImportId"":""{tag}""}}"'
            for tag in ("startDate", "QID1", "QID2", "QID3", "QID4_1")
        ),
        "2026-11-21 09:40:00,K7P3,2,2,4",
    ]
    report = import_file(room, write(tmp_path / "q.csv", "\n".join(rows) + "\n"))
    assert "header in rows 1-3" in str(report)
    assert stored(room) == {("K7P3", "B", "after", "qt1"): 4.0}


# -- 10. Excel's own save formats --------------------------------------------------------
@pytest.mark.parametrize(
    "encoding, separator",
    [
        ("utf-16", "\t"),
        ("utf-16-le", "\t"),
        ("mac_roman", ","),
        ("cp1252", ";"),
        ("utf-8-sig", "\t"),
    ],
)
def test_10_excel_encodings_and_separators(room, tmp_path, encoding, separator):
    curly = VU2.replace("'", "’")
    text = separator.join(["Couple code", "Partner", "Phase", f"{curly}"]) + "\r\n"
    text += separator.join(["K7P3", "A", "before", "4"]) + "\r\n"
    report = import_file(room, write(tmp_path / "a.txt", text, encoding))
    assert stored(room) == {("K7P3", "A", "before", "vu2"): 4.0}
    assert "not imported" not in str(report).lower()


def test_10_a_sep_line_names_the_separator(room, tmp_path):
    import_file(
        room,
        write(
            tmp_path / "a.csv",
            "sep=;\r\ncouple_code;partner;phase;qt1\r\nK7P3;A;before;4,0\r\n",
            "cp1252",
        ),
    )
    assert stored(room) == {("K7P3", "A", "before", "qt1"): 4.0}


def test_10_mac_roman_is_told_from_windows_1252():
    from workshop_kit.importers.read import detect_encoding

    folder = Path(__file__).parent / "fixtures" / "imports"
    assert detect_encoding(folder / "13_european_sep_line.csv") == "cp1252"


def test_10_mac_roman_text(tmp_path):
    from workshop_kit.importers.read import detect_encoding

    path = write(tmp_path / "m.csv", "name,note\nZoë,I don’t know\n", "mac_roman")
    assert detect_encoding(path) == "mac_roman"


# -- 11. label refusals list the accepted words -------------------------------------------
def test_11_a_wrong_label_lists_the_scale_words(room, tmp_path):
    message = refused(
        room,
        write(tmp_path / "a.csv", HEAD + "K7P3,A,before,Mostly true\n"),
        "'Mostly true' is not a number",
    )
    for words in (
        "'Not true for us' (1)",
        "'Rarely true' (2)",
        "'Sometimes true' (3)",
        "'Often true' (4)",
        "'Very true for us' (5)",
    ):
        assert words in message


# -- 12. couple codes a spreadsheet changes ----------------------------------------------
def test_12_generated_codes_are_never_changed_by_a_spreadsheet():
    codes = fresh_codes(20_000, random.Random(12), set())
    assert all(spreadsheet_safe(code) for code in codes)
    assert not any(re.fullmatch(r"\d+E\d+|\d+", code) for code in codes)


def test_12_a_code_a_spreadsheet_changes_cannot_be_chosen(room):
    with pytest.raises(InputError, match="would change in a spreadsheet"):
        room.add_couple("6E73")


def test_12_a_mangled_code_is_recognised_and_named(room, tmp_path):
    with room.store.transaction() as conn:  # a session made before the generator was fixed
        conn.execute("INSERT INTO couples VALUES ('6E73', '2026-11-20T00:00:00+00:00')")
    path = write(tmp_path / "a.csv", HEAD + "6E+073,A,before,4\n6.00E+73,B,before,3\n")
    report = import_file(room, path)
    assert "'6E+073' read as couple code 6E73" in str(report)
    assert stored(room) == {
        ("6E73", "A", "before", "qt1"): 4.0,
        ("6E73", "B", "before", "qt1"): 3.0,
    }


def test_a_yes_no_answer_is_kept_for_its_check_in(room, tmp_path):
    path = write(tmp_path / "a.csv", "couple_code,partner,phase,wants_to_talk\nK7P3,A,before,yes\n")
    import_file(room, path)
    requests = room.flag_requests("wants_to_talk")
    got = requests[["couple_code", "partner", "phase"]].values.tolist()
    assert got == [["K7P3", "A", "before"]]


def test_6_quiz_and_label_exports_columns_are_the_tools(room, tmp_path):
    head = (
        f'Couple code,Partner,Phase,"{QT1}","Points - {QT1}","Feedback - {QT1}",'
        "Q_TotalDuration,Event Name,Complete?\n"
    )
    report = import_file(room, write(tmp_path / "a.csv", head + "K7P3,A,before,4,0,,55,x,2\n"))
    assert stored(room) == {("K7P3", "A", "before", "qt1"): 4.0}
    assert "'Points - We make time" in str(report) and "'Complete?': a column REDCap" in str(report)


def test_10_mac_text_with_carriage_returns_only(room, tmp_path):
    curly = VU2.replace("'", "’")
    text = f"sep=,\rCouple code,Partner,Phase,{curly}\rK7P3,A,before,4\r"
    import_file(room, write(tmp_path / "mac.txt", text, "mac_roman"))
    assert stored(room) == {("K7P3", "A", "before", "vu2"): 4.0}


def test_summary_counts_imports_without_codes(tmp_path):
    from workshop_kit.summary import build_summary

    s = Session.create(tmp_path / "k.sqlite", "Summary", date="2026-11-21", couples=0)
    codes = ["K7P3", "M4RT", "TW96"]
    for code in codes:
        s.add_couple(code)
    rows = "".join(f"{c},{p},before,4\n" for c in codes for p in "AB")
    import_file(s, write(tmp_path / "a.csv", HEAD + rows + "K7P3,A,after,3\n"))
    section = build_summary(s)["imports"]
    assert section["files"] == 1 and section["rows"] == 7
    assert section["people"] == [
        {"phase": "after", "n": None, "suppressed": True},  # one person: under k
        {"phase": "before", "n": 6, "suppressed": False},
    ]
    assert not any(code in str(section) for code in codes)
    s.close()


def test_3_a_sheet_of_answers_under_headers_the_kit_cannot_read_refuses_the_file(room, tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        {
            "Before": [["couple_code", "partner", "phase", "qt1"], ["K7P3", "A", "before", 2]],
            "After": [["couple_code", "partner", "phase", "qt 1 after"], ["K7P3", "A", "after", 5]],
        },
    )
    refused(room, path, "sheet 'After', column D 'qt 1 after' holds answers such as '5' (row 2)")
