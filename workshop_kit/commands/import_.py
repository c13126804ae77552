"""``workshop-kit import STORE FILE``: add a CSV or XLSX file of answers, all or nothing."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import answers from a CSV or XLSX file (all of it, or nothing)",
        description=(
            "Import check-in answers from a CSV (comma or semicolon) or XLSX file: a wide "
            "layout (couple_code, partner, phase, then one column per item id), an online-form "
            "export (Timestamp and the question wording as headers) or the kit's own data "
            "export. On any problem nothing is written and every problem is listed. Importing "
            "the same file twice adds nothing."
        ),
    )
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument("file", type=Path, help="the CSV or XLSX file to import")
    p.add_argument(
        "--phase",
        choices=["before", "after"],
        help="which check-in every row is, when the file has no phase column",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..importers import import_file
    from ..session import Session

    with Session.open(args.store) as session:
        report = import_file(session, args.file, phase=args.phase)
    print(report)
    return 0
