"""``workshop-kit import STORE FILE``: add a CSV or XLSX file of answers, all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import answers from a CSV or XLSX file (all of it, or nothing)",
        description=(
            "Import check-in answers from a text file (.csv, .txt, .tsv: comma, semicolon or "
            "tab separated; UTF-8, UTF-16, Windows-1252 or Mac Roman) or a workbook (.xlsx: "
            "every sheet): a wide layout (couple_code, partner, phase, then one column per item "
            "id), a survey tool's export (Google Forms, Microsoft Forms, Qualtrics, "
            "SurveyMonkey, REDCap, KoboToolbox, Typeform: the tool's own columns are skipped "
            "and listed) or the kit's own data export. On any problem nothing is written and "
            "every problem is listed. Rows imported before are recognised by their content and "
            "skipped; an answer given since a form was filled in is kept. --dry-run shows what "
            "would be imported and writes nothing."
        ),
    )
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument("file", type=Path, help="the CSV or XLSX file to import")
    p.add_argument(
        "--phase",
        choices=["before", "after"],
        help="which check-in every row is, when the file has no phase column",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show per sheet the rows, people, phases and answers found, and what would be "
        "skipped and why; write nothing",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..importers import import_file, preview_file
    from ..session import Session

    with Session.open(args.store) as session:
        if args.dry_run:
            print(preview_file(session, args.file, phase=args.phase))
            print("Nothing was written (--dry-run).")
            return 0
        report = import_file(session, args.file, phase=args.phase)
    print(report)
    return 0
