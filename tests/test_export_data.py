"""Data export and pooling: tidy tables, a complete data dictionary, no formula can run."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import load_workbook

from workshop_kit.appreciation import WORDS_KEY, WORDS_KIND
from workshop_kit.demo import build_demo
from workshop_kit.errors import InputError
from workshop_kit.export.data import (
    DICTIONARY,
    TABLES,
    data_dictionary,
    data_tables,
    export_data,
    neutralise,
    neutralise_frame,
    pool_tables,
    write_pool,
)
from workshop_kit.session import Session


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("kindness", "kindness"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (4.0, 4.0),
        (-3, -3),
    ],
)
def test_neutralise(raw, safe):
    assert neutralise(raw) == safe


def test_neutralise_frame_touches_text_only():
    frame = pd.DataFrame({"word": ["=1+1", "calm"], "value": [-1.0, 2.0]})
    out = neutralise_frame(frame)
    assert out["word"].tolist() == ["'=1+1", "calm"]
    assert out["value"].tolist() == [-1.0, 2.0]
    assert frame["word"].tolist() == ["=1+1", "calm"]  # the input is left alone


def test_every_table_column_is_in_the_data_dictionary(demo_session):
    tables = data_tables(demo_session)
    assert list(tables) == list(TABLES)
    dictionary = data_dictionary()
    described = set(zip(dictionary["table"], dictionary["column"]))
    for name, frame in tables.items():
        assert not frame.empty, name
        assert set(frame.columns) == set(DICTIONARY[name]), name
        assert {(name, c) for c in frame.columns} <= described
    assert dictionary["description"].str.len().min() > 10


def test_export_writes_csv_and_xlsx_with_neutralised_text(tmp_path):
    session = build_demo(tmp_path / "demo.sqlite", couples=6, seed=3)
    session.store.set_meta("title", '=HYPERLINK("http://example.org","click")')
    code = session.couple_codes()[0]
    session.put_entry(WORDS_KIND, WORDS_KEY, ["@risky", "kind"], code, "A")
    written = export_data(session, tmp_path / "out")
    names = {p.name for p in written}
    assert {f"{t}.csv" for t in TABLES} | {"data_dictionary.csv"} <= names
    workbook = next(p for p in written if p.suffix == ".xlsx")

    sessions = pd.read_csv(tmp_path / "out" / "sessions.csv", encoding="utf-8-sig")
    assert sessions.loc[0, "title"].startswith("'=HYPERLINK")
    words = pd.read_csv(tmp_path / "out" / "appreciation_words.csv", encoding="utf-8-sig")
    assert "'@risky" in set(words["word"])

    book = load_workbook(workbook)
    assert set(book.sheetnames) == {*TABLES, "data_dictionary"}
    title = book["sessions"]["B2"]
    assert title.data_type == "s" and title.value.startswith("'=")
    sheet = book["data_dictionary"]
    assert sheet.max_row == len(data_dictionary()) + 1
    answers = pd.read_excel(workbook, sheet_name="answers")
    assert len(answers) == len(session.answers())
    scores = pd.read_csv(tmp_path / "out" / "scores.csv", encoding="utf-8-sig")
    assert set(scores["measure"]) >= {"checkin", "ios"}
    assert scores["score"].between(0, 21).all() or scores["score"].isna().any()
    session.close()


def test_export_into_a_file_path_is_refused(session, tmp_path):
    target = tmp_path / "taken"
    target.write_text("x")
    with pytest.raises(InputError, match="--out must be a folder"):
        export_data(session, target)


def test_pool_keeps_session_ids_and_refuses_a_session_twice(tmp_path):
    one = build_demo(tmp_path / "one.sqlite", couples=4, seed=1)
    two = build_demo(tmp_path / "two.sqlite", couples=5, seed=2)
    tables = pool_tables([one, two])
    counts = tables["answers"]["session_id"].value_counts().to_dict()
    assert counts == {one.session_id: len(one.answers()), two.session_id: len(two.answers())}
    assert len(tables["sessions"]) == 2

    xlsx = write_pool([one, two], tmp_path / "pooled.xlsx")
    assert set(load_workbook(xlsx, read_only=True).sheetnames) == {*TABLES, "data_dictionary"}
    csv = write_pool([one, two], tmp_path / "pooled.csv", table="changes")
    pooled = pd.read_csv(csv, encoding="utf-8-sig")
    assert set(pooled["session_id"]) == {one.session_id, two.session_id}
    assert list(pooled.columns) == list(DICTIONARY["changes"])

    again = Session.open(one.path)
    with pytest.raises(InputError, match="is given twice"):
        pool_tables([one, again])
    with pytest.raises(InputError, match=r"must end in \.xlsx or \.csv"):
        write_pool([one], tmp_path / "pooled.ods")
    for s in (one, two, again):
        s.close()


def test_cli_export_refuses_bad_input_and_writes_files(demo_session, tmp_path):
    cli = [sys.executable, "-m", "workshop_kit.cli"]
    out = tmp_path / "out"
    # without --data-only the command writes take-home packs (tests/test_packs.py)
    result = subprocess.run(
        [*cli, "export", str(demo_session.path), "--out", str(out), "--workers", "0"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "--workers must be at least 1" in result.stderr
    assert not out.exists()
    result = subprocess.run(
        [*cli, "export", str(demo_session.path), "--data-only", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "answers.csv").exists() and (out / "data_dictionary.csv").exists()
    result = subprocess.run(
        [*cli, "pool", str(demo_session.path), "--out", str(tmp_path / "p.csv")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Pooled 1 sessions" in result.stdout
