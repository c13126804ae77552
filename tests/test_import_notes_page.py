"""facilitator_notes/importing_an_online_form.md: every tool's example imports as the page says."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from workshop_kit.importers import IDENTITY_WORDINGS, import_file
from workshop_kit.session import Session

PAGE = Path(__file__).resolve().parents[1] / "facilitator_notes" / "importing_an_online_form.md"
EXAMPLE = re.compile(
    r"\*\*Example\*\* \(`(?P<name>[^`]+)`[^)]*\): imports (?P<rows>\d+) rows?, "
    r"(?P<answers>\d+) answers?, (?P<flags>\d+) yes/no answers?\.\n\n```text\n(?P<body>.*?)\n```",
    re.DOTALL,
)
TOOLS = [
    "Google Forms",
    "Microsoft Forms",
    "Qualtrics",
    "SurveyMonkey",
    "REDCap",
    "KoboToolbox",
    "Typeform",
    "Excel and LibreOffice",
]


def examples() -> list[dict]:
    return [m.groupdict() for m in EXAMPLE.finditer(PAGE.read_text(encoding="utf-8"))]


def test_one_example_per_tool():
    text = PAGE.read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    titles = [s.splitlines()[0] for s in sections]
    assert len(titles) == len(TOOLS)
    assert all(title.startswith(tool) for title, tool in zip(titles, TOOLS, strict=True)), titles
    for section in sections:
        assert len(EXAMPLE.findall(section)) == 1, section.splitlines()[0]


def test_the_identity_wordings_on_the_page_are_the_kits():
    text = PAGE.read_text(encoding="utf-8")
    for wordings in IDENTITY_WORDINGS.values():
        for wording in wordings[1:]:
            assert f'"{wording}"' in text, wording


@pytest.mark.parametrize("example", examples(), ids=[e["name"] for e in examples()])
def test_each_example_imports_as_the_page_says(tmp_path, example):
    session = Session.create(tmp_path / "s.sqlite", "Notes", date="2026-11-21", couples=0)
    for code in ("K7P3", "M4RT"):
        session.add_couple(code)
    path = tmp_path / example["name"]
    if path.suffix == ".xlsx":  # shown on the page as its cells
        book = Workbook()
        for row in csv.reader(io.StringIO(example["body"])):
            book.active.append([int(c) if c.isdigit() else (c or None) for c in row])
        book.save(path)
    else:
        path.write_text(example["body"] + "\n", encoding="utf-8")
    report = import_file(session, path)
    got = (report.rows, report.answers, report.flags)
    assert got == (int(example["rows"]), int(example["answers"]), int(example["flags"])), report
    assert len(session.answers()) == report.answers
    session.close()
