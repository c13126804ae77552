"""Imports: every layout lands whole, every bad file is refused whole with a clear message."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import Workbook

from workshop_kit.errors import ImportRejected
from workshop_kit.export.data import export_data
from workshop_kit.importers import import_file, normalise_text, parse_answer
from workshop_kit.results import checkin_results, follow_up_list
from workshop_kit.session import Session

EMPATHY = "I try to see things from my partner's side, even when we disagree."


def store_state(session: Session) -> tuple:
    conn = session.store.conn
    counts = [
        conn.execute(f"SELECT COUNT(*), MAX(id) FROM {table}").fetchone()
        for table in ("answers", "entries")
    ]
    return (*counts, conn.execute("SELECT COUNT(*) FROM imports").fetchone())


def write_xlsx(path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# Each case: file name, a function (codes -> bytes or a writer), and a message fragment.
def text(s: str, encoding: str = "utf-8"):
    return lambda codes, path: path.write_bytes(s.format(c=codes[0], d=codes[1]).encode(encoding))


HEAD = "couple_code,partner,phase,qt1\n"
BAD_FILES = [
    ("empty", "a.csv", text(""), "the file is empty"),
    ("only blank lines", "a.csv", text("\n\n  \n"), "the file is empty"),
    ("header only", "a.csv", text(HEAD), "a header row but no rows of answers"),
    (
        "pipe separated",
        "a.csv",
        text("couple_code|partner|phase|qt1\n{c}|A|before|4\n"),
        "row 1 reads as one single column 'couple_code|partner|phase|qt1': "
        "the file must be comma, semicolon or tab separated",
    ),
    (
        "unknown item",
        "a.csv",
        text("couple_code,partner,phase,qt9\n{c},A,before,4\n"),
        "row 1, column D 'qt9': not a question of the check-in",
    ),
    (
        "out of range",
        "a.csv",
        text(HEAD + "{c},A,before,7\n"),
        "row 2, column D 'qt1': '7' is out of range: allowed a whole number from 1 to 5",
    ),
    (
        "text in a number field",
        "a.csv",
        text(HEAD + "{c},A,before,lots\n"),
        "row 2, column D 'qt1': 'lots' is not a number",
    ),
    (
        "not a whole number",
        "a.csv",
        text(HEAD + "{c},A,before,3.5\n"),
        "'3.5' is not a whole number: allowed a whole number from 1 to 5",
    ),
    (
        "unknown couple code",
        "a.csv",
        text(HEAD + "ZZZZ,A,before,4\n"),
        "row 2, column A 'couple_code': 'ZZZZ' is not a couple code of this session; allowed:",
    ),
    (
        "bad partner",
        "a.csv",
        text(HEAD + "{c},C,before,4\n"),
        "row 2, column B 'partner': 'C' is not a partner: allowed A or B",
    ),
    (
        "bad phase",
        "a.csv",
        text(HEAD + "{c},A,during,4\n"),
        "row 2, column C 'phase': 'during' is not a phase: allowed before or after",
    ),
    (
        "duplicate participant rows",
        "a.csv",
        text(HEAD + "{c},A,before,4\n{d},A,before,3\n{c},a,Before,5\n"),
        "row 4: couple {c} partner A (before) answers qt1 again, already given in row 2",
    ),
    (
        "one item in two columns",
        "a.csv",
        text(f'couple_code,partner,phase,qt1,"{EMPATHY}",em1\n{{c}},A,before,4,4,4\n'),
        "are the same column",
    ),
    (
        "no partner column",
        "a.csv",
        text("couple_code,phase,qt1\n{c},before,4\n"),
        "no partner column found",
    ),
    (
        "no phase column",
        "a.csv",
        text("couple_code,partner,qt1\n{c},A,4\n"),
        "no phase column found",
    ),
    (
        "more cells than headers",
        "a.csv",
        text(HEAD + "{c},A,before,4,5\n"),
        "row 2: has 5 cells but the header row has 4 columns",
    ),
    ("wrong file type", "a.ods", text(HEAD + "{c},A,before,4\n"), "file type must be one of"),
    (
        "not text",
        "a.csv",
        lambda codes, path: path.write_bytes(b"\x81\x8d\x00\xff" * 50),
        "not text in UTF-8, UTF-16, Windows-1252 or Mac Roman",
    ),
    (
        "BOM and a bad code",
        "a.csv",
        text("\ufeff" + HEAD + "??,A,before,4\n"),
        "row 2, column A 'couple_code': '??' is not a couple code",
    ),
    (
        "Windows-1252 header, bad answer",
        "a.csv",
        text(
            f"Timestamp;Couple code;Partner;Phase;{EMPATHY.replace(chr(39), '’')}\n"
            "21/11/2026 10:02;{c};B;after;9\n",
            "cp1252",
        ),
        "column E 'I try to see things from my partner’s...': '9' is out of range",
    ),
    (
        "bad yes/no answer",
        "a.csv",
        text("couple_code,partner,phase,wants_to_talk\n{c},A,before,maybe\n"),
        "'maybe' is not yes or no: allowed yes, no, or blank",
    ),
    (
        "online form with an unknown question",
        "a.csv",
        text(
            "Timestamp,Couple code,Partner,Phase,What did you have for breakfast?\n"
            "2026-11-21,{c},A,before,toast\n"
        ),
        "column E 'What did you have for breakfast?': not a question of the check-in",
    ),
    (
        "long layout, unknown item",
        "a.csv",
        text("couple_code,partner,phase,instrument,item_id,value\n{c},A,before,checkin,zz1,3\n"),
        "row 2, column E 'item_id': 'zz1' is not an item of the check-in",
    ),
    (
        "long layout without values",
        "a.csv",
        text("couple_code,partner,phase,item_id\n{c},A,before,qt1\n"),
        "part of the long layout but no ['value'] column",
    ),
    (
        "xlsx: empty workbook",
        "a.xlsx",
        lambda codes, path: write_xlsx(path, {"Sheet1": []}),
        "the workbook is empty",
    ),
    (
        "xlsx: wrong sheet content",
        "a.xlsx",
        lambda codes, path: write_xlsx(
            path,
            {
                "Notes": [["Bring pens"], ["Room 4"]],
                "Plan": [["time", "what"], ["10:00", "welcome"]],
            },
        ),
        "no sheet has a header row with a couple code column and question columns "
        "(sheets looked at: Notes, Plan)",
    ),
    ("xlsx: not a workbook", "a.xlsx", text(HEAD), "cannot be read as an .xlsx workbook"),
    (
        "xlsx: out of range",
        "a.xlsx",
        lambda codes, path: write_xlsx(
            path,
            {"Answers": [["couple_code", "partner", "phase", "ios"], [codes[0], "A", "before", 8]]},
        ),
        "row 2, column D 'ios': '8' is out of range: allowed a whole number from 1 to 7",
    ),
    (
        "xlsx: a date where an answer should be",
        "a.xlsx",
        lambda codes, path: write_xlsx(
            path,
            {
                "Answers": [
                    ["couple_code", "partner", "phase", "qt1"],
                    [codes[0], "A", "before", datetime(2026, 5, 4)],
                ]
            },
        ),
        "row 2, column D 'qt1': '2026-05-04T00:00:00' looks like a date: a spreadsheet turns "
        "a typed '4-5' or '1/5' into one",
    ),
]


@pytest.mark.parametrize(
    "name, file_name, make, fragment", BAD_FILES, ids=[case[0] for case in BAD_FILES]
)
def test_bad_file_is_refused_whole(session, tmp_path, name, file_name, make, fragment):
    codes = session.couple_codes()
    session.record_answer(codes[0], "A", "before", "checkin", "qt2", 3)
    before = store_state(session)
    path = tmp_path / file_name
    make(codes, path)
    with pytest.raises(ImportRejected) as info:
        import_file(session, path)
    message = str(info.value)
    assert fragment.format(c=codes[0], d=codes[1]) in message
    assert "nothing was changed" in message
    assert store_state(session) == before


def test_many_problems_are_counted_and_the_first_shown(session, tmp_path):
    code = session.couple_codes()[0]
    rows = "".join(f"{code},A,before,{9 + i}\n" for i in range(30))
    path = tmp_path / "many.csv"
    path.write_text(HEAD + rows, encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        import_file(session, path)
    message = str(info.value)
    assert "30 problems found" in message
    assert "row 2, column D 'qt1': '9' is out of range" in message
    assert "... and 22 more" in message


def test_wide_semicolon_file_lands_whole(session, tmp_path):
    a, b = session.couple_codes()[:2]
    path = tmp_path / "paper.csv"
    path.write_text(
        "couple_code;partner;phase;qt1;qt2;ios;csi4_1;consent\n"
        f"{a.lower()};Partner A;Before;4;;6;5;yes\n"
        f"{b};b;after;2;5;;;\n",
        encoding="utf-8",
    )
    report = import_file(session, path)
    assert (report.layout, report.rows, report.answers, report.flags) == ("wide", 2, 5, 1)
    answers = session.answers()
    assert set(answers["source"]) == {"import"}
    got = {(r.couple_code, r.partner, r.phase, r.item_id): r.value for r in answers.itertuples()}
    # blank cells write nothing: A's qt2 is absent (not answered), not recorded as skipped
    assert got == {
        (a, "A", "before", "qt1"): 4.0,
        (a, "A", "before", "ios"): 6.0,
        (a, "A", "before", "csi4_1"): 5.0,
        (b, "B", "after", "qt1"): 2.0,
        (b, "B", "after", "qt2"): 5.0,
    }
    assert session.consents(a, "A") is True


def test_same_file_twice_adds_nothing(session, tmp_path):
    code = session.couple_codes()[0]
    path = tmp_path / "paper.csv"
    path.write_text(HEAD + f"{code},A,before,4\n", encoding="utf-8")
    assert not import_file(session, path).already_imported
    state = store_state(session)
    again = import_file(session, path)
    assert again.already_imported and again.answers == 0
    assert "nothing added" in str(again)
    assert store_state(session) == state
    copy = tmp_path / "renamed copy.csv"
    copy.write_bytes(path.read_bytes())
    assert import_file(session, copy).already_imported


def test_online_form_export_with_bom_windows_and_anchor_words(session, tmp_path):
    a, b = session.couple_codes()[:2]
    curly = EMPATHY.replace("'", "’").upper() + "  "
    header = [
        "Timestamp",
        "Email address",
        "Your couple code",
        "Which partner are you?",
        curly,
        "We make time to be together without screens or chores",
        "Closeness circles",
        "I would like to talk to someone from the team afterwards.",
    ]
    rows = [
        ["21/11/2026 09:58:01", "x@example.org", a, "A", "Often true", "5", "4", "Yes"],
        ["21/11/2026 09:59:44", "", b, "Partner B", "2", "", "7", ""],
    ]
    body = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    for encoding, name in (("utf-8-sig", "bom.csv"), ("cp1252", "windows.csv")):
        path = tmp_path / name
        path.write_bytes(body.encode(encoding))
        other = Session.create(tmp_path / f"{name}.sqlite", "T", couples=0)
        for code in (a, b):
            other.add_couple(code)
        report = import_file(other, path, phase="before")
        assert (report.layout, report.answers, report.flags) == ("online form", 5, 1), encoding
        got = other.answers().set_index(["couple_code", "item_id"])["value"].to_dict()
        assert got == {
            (a, "em1"): 4.0,
            (a, "qt1"): 5.0,
            (a, "ios"): 4.0,
            (b, "em1"): 2.0,
            (b, "ios"): 7.0,
        }
        assert set(other.answers()["phase"]) == {"before"}
        assert other.flag(a, "A", "wants_to_talk") is True
        assert "x@example.org" not in other.store.path.read_bytes().decode("latin-1")
        other.close()


def test_xlsx_picks_the_answers_sheet_of_a_kit_export(demo_session, tmp_path):
    written = export_data(demo_session, tmp_path / "out")
    workbook = next(p for p in written if p.suffix == ".xlsx")
    target = Session.create(tmp_path / "t.sqlite", "T", couples=0)
    for code in demo_session.couple_codes():
        target.add_couple(code)
    report = import_file(target, workbook)
    assert report.layout == "long + wide"  # the answers sheet, and participants' yes/no
    assert report.answers == len(demo_session.answers())
    target.close()


def test_round_trip_export_then_import_gives_the_same_scores(demo_session, tmp_path):
    export_data(demo_session, tmp_path / "out")
    target = Session.create(tmp_path / "empty.sqlite", "Copy", couples=0)
    for code in demo_session.couple_codes():
        target.add_couple(code)
    import_file(target, tmp_path / "out" / "answers.csv")
    import_file(target, tmp_path / "out" / "participants.csv")
    original, copy = checkin_results(demo_session), checkin_results(target)
    pd.testing.assert_frame_equal(original.theme_scores, copy.theme_scores)
    pd.testing.assert_frame_equal(original.ios, copy.ios)
    for inst_id, totals in original.totals.items():
        pd.testing.assert_frame_equal(totals, copy.totals[inst_id])
    # The data export's participants table holds each yes/no answer's latest value without
    # its check-in, so a request to talk comes back as asked at "any" check-in.
    follow_up, copied = follow_up_list(demo_session), follow_up_list(target)
    asked = copied["reason"] == "would like to talk to someone"
    assert set(copied.loc[asked, "phase"]) <= {"any"}
    keys = ["couple_code", "partner", "reason"]
    pd.testing.assert_frame_equal(
        follow_up[~follow_up["reason"].eq("would like to talk to someone")].reset_index(drop=True),
        copied[~asked].reset_index(drop=True),
    )
    assert sorted(
        map(
            tuple,
            follow_up.loc[follow_up["reason"].eq("would like to talk to someone"), keys].values,
        )
    ) == sorted(map(tuple, copied.loc[asked, keys].values))
    skipped = original.answers["value"].isna().sum()
    assert skipped > 0 and copy.answers["value"].isna().sum() == skipped
    target.close()


def test_cli_import_exit_status_and_store_unchanged(session, tmp_path):
    code = session.couple_codes()[0]
    bad = tmp_path / "bad.csv"
    bad.write_text(HEAD + f"{code},A,before,6\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(HEAD + f"{code},A,before,5\n", encoding="utf-8")
    before = store_state(session)
    cli = [sys.executable, "-m", "workshop_kit.cli", "import", str(session.path)]
    result = subprocess.run([*cli, str(bad)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "'6' is out of range" in result.stderr
    assert store_state(session) == before
    result = subprocess.run([*cli, str(good), "--dry-run"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "1 row, 1 person (1 before), 1 answer" in result.stdout
    assert "Nothing was written (--dry-run)." in result.stdout
    assert store_state(session) == before
    result = subprocess.run([*cli, str(good)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "1 answer," in result.stdout
    assert session.answers()["value"].tolist() == [5.0]


@pytest.mark.slow
def test_a_huge_file_is_streamed_and_refused_without_crashing(session, tmp_path):
    code = session.couple_codes()[0]
    path = tmp_path / "huge.csv"
    line = f"{code},A,before,4\n".encode()
    with path.open("wb") as fh:
        fh.write(HEAD.encode())
        fh.write(line * (100_000_000 // len(line)))
    before = store_state(session)
    with pytest.raises(ImportRejected, match=r"checking stopped after 1000 problems"):
        import_file(session, path)
    assert store_state(session) == before


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Our conversations often turn defensive. ", "our conversations often turn defensive"),
        ("We’re a TEAM!", "were a team"),
    ],
)
def test_normalise_text(text, expected):
    assert normalise_text(text) == expected


def test_parse_answer_accepts_words_and_leading_numbers():
    anchors = {"very true for us": 5}
    assert parse_answer("5 - Very true for us", 1, 5, anchors) == 5.0
    assert parse_answer("3,0", 1, 5) == 3.0
