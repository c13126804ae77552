"""``workshop-kit outcomes``: the programme's before/after report over many session files."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "outcomes",
        help="before/after outcome report of many sessions (per session and overall)",
        description=(
            "Read many session files and write the programme's before/after report: per "
            "theme and measure, for each session and for all together, the number with "
            "both check-ins, mean before, mean after, mean change with its 95% interval "
            "(Student t, each couple one unit), Hedges' g_z with its interval, and how "
            "many people and couples changed reliably (Jacobson & Truax 1991; 'not "
            "estimable' without a usable reliability and SD). Groups under k are hidden. "
            "Fast for thousands of files: only the answers are read."
        ),
    )
    p.add_argument("stores", type=Path, nargs="+", metavar="STORE", help="session files")
    p.add_argument("--out", type=Path, required=True, help="report.csv or report.xlsx")
    p.add_argument(
        "--k",
        type=int,
        default=None,
        help="smallest group shown (default and least: the largest k the sessions used)",
    )
    p.set_defaults(func=run_outcomes)


def write_report(report, path: Path) -> Path:
    """Write the report as CSV or XLSX (by the file's ending), neutralised."""
    from ..errors import InputError
    from ..export.data import write_csv, write_xlsx

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(f"--out must end in .csv or .xlsx; not {path.name!r}")
    if not path.parent.is_dir():
        raise InputError(f"the folder {str(path.parent)!r} does not exist; create it first")
    if suffix == ".csv":
        return write_csv(report, path)
    return write_xlsx({"outcomes": report}, path)


def run_outcomes(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..programme import programme_report

    if args.k is not None and args.k < 1:
        raise InputError(f"--k must be at least 1; not {args.k}")
    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(f"--out must end in .csv or .xlsx; not {args.out.name!r}")
    report = programme_report(args.stores, k=args.k)
    path = write_report(report, args.out)
    sessions = int((report["scope"] == "session").groupby(report["session_id"]).any().sum())
    print(
        f"Wrote the outcome report of {len(args.stores)} sessions to {path} "
        f"({len(report)} rows; {sessions} sessions with before and after answers)"
    )
    others = report.attrs.get("not_validated_languages", [])
    if others:
        print(
            f"Note: some check-ins were taken in {', '.join(others)}: the kit's own translation, "
            "NOT VALIDATED IN THAT LANGUAGE; scores use the same items and scoring, but "
            "compare across languages with care."
        )
    return 0
