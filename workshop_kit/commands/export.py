"""``workshop-kit export`` (session data) and ``workshop-kit pool`` (several sessions)."""

from __future__ import annotations

import argparse
from pathlib import Path

# The table names, kept here so building the parser does not import pandas.
TABLES = (
    "sessions",
    "answers",
    "scores",
    "changes",
    "participants",
    "values_sorts",
    "appreciation_words",
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="export a session: --data-only writes tidy CSV and XLSX tables",
        description=(
            "Export a session. With --data-only: answers (long form), scores per participant "
            "and phase, change, yes/no answers, value sorts and a data dictionary, as CSV "
            "files and one XLSX workbook. Text is neutralised against formula injection."
        ),
    )
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument("--out", type=Path, required=True, help="the folder to write into")
    p.add_argument(
        "--data-only",
        action="store_true",
        help="write the data tables only (required for now: take-home packs are not "
        "exported by this command yet)",
    )
    p.set_defaults(func=run_export)

    p = sub.add_parser(
        "pool",
        help="merge several sessions into one XLSX or CSV file, keeping session ids",
    )
    p.add_argument("stores", type=Path, nargs="+", metavar="STORE", help="session files")
    p.add_argument(
        "--out", type=Path, required=True, help="pooled.xlsx (every table) or pooled.csv"
    )
    p.add_argument(
        "--table",
        default="scores",
        choices=TABLES,
        help="the table written when --out is a .csv file (default scores)",
    )
    p.set_defaults(func=run_pool)


def run_export(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..export.data import export_data
    from ..session import Session

    if not args.data_only:
        # The take-home pack export will be a second branch of this command.
        raise InputError(
            "add --data-only: this command exports the session's data tables; "
            "take-home packs are not exported by it yet"
        )
    with Session.open(args.store) as session:
        written = export_data(session, args.out)
    print(f"Wrote {len(written)} files to {args.out}:")
    for path in written:
        print(f"  {path.name}")
    return 0


def run_pool(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ..export.data import write_pool
    from ..session import Session

    with ExitStack() as stack:
        sessions = [stack.enter_context(Session.open(path)) for path in args.stores]
        path = write_pool(sessions, args.out, table=args.table)
    print(f"Pooled {len(args.stores)} sessions into {path}")
    return 0
