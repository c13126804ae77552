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
        help="export a session: take-home packs for every couple, or (--data-only) "
        "tidy CSV and XLSX tables",
        description=(
            "Export a session. By default: a take-home pack per couple "
            "(OUT/<code>/<code>-take-home.pdf and a PNG per chart page) and "
            "OUT/room-summary.pdf for the facilitator (k-suppressed). "
            "With --data-only: answers (long form), scores per participant "
            "and phase, change, yes/no answers, value sorts and a data dictionary, as CSV "
            "files and one XLSX workbook. Text is neutralised against formula injection."
        ),
    )
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument("--out", type=Path, required=True, help="the folder to write into")
    p.add_argument(
        "--data-only",
        action="store_true",
        help="write the data tables only, no take-home packs",
    )
    p.add_argument(
        "--paper",
        default="A4",
        choices=["A4", "Letter"],
        help="page size of the take-home packs (default A4)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes for the packs (default: one per core when that helps)",
    )
    p.add_argument(
        "--large-print",
        action="store_true",
        help="large-print take-home packs: every word at 18 pt or more",
    )
    p.add_argument("--programme", help="your programme's name on every printed page (kept)")
    p.add_argument("--footer", help="a line at the foot of every printed page (kept)")
    p.add_argument("--accent", help="your programme's colour, like #7A3E6B (kept)")
    p.add_argument("--logo", type=Path, help="an SVG logo for the cover (kept)")
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
    p.add_argument(
        "--report",
        type=Path,
        default=None,
        help="also write the before/after outcome report (report.csv or report.xlsx); "
        "see `workshop-kit outcomes`",
    )
    p.set_defaults(func=run_pool)


def run_export(args: argparse.Namespace) -> int:
    from ..export.data import export_data
    from ..session import Session

    if not args.data_only:
        return run_packs(args)
    with Session.open(args.store) as session:
        written = export_data(session, args.out)
    print(f"Wrote {len(written)} files to {args.out}:")
    for path in written:
        print(f"  {path.name}")
    return 0


def run_packs(args: argparse.Namespace) -> int:
    import sys

    from ..errors import InputError
    from ..export.packs import build_all_packs, text_progress
    from ..session import Session

    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers must be at least 1; not {args.workers}")
    with Session.open(args.store) as session:
        _set_look(session, args)
        result = build_all_packs(
            session,
            args.out,
            paper=args.paper,
            workers=args.workers,
            progress=text_progress(sys.stderr),
            large=getattr(args, "large_print", False),
        )
    kind = (
        "large-print take-home packs"
        if getattr(args, "large_print", False)
        else ("take-home packs")
    )
    print(
        f"Wrote {len(result.packs)} {kind} ({args.paper}) to {args.out}, "
        f"and the room summary {result.room_summary.name}"
    )
    for message in result.warnings:  # a note that could not be printed in full
        print(f"Warning: {message}", file=sys.stderr)
    return 0


def _set_look(session, args: argparse.Namespace) -> None:
    """Store the programme's look given on the command line (kept for the next export)."""
    given = {
        "programme": getattr(args, "programme", None),
        "footer": getattr(args, "footer", None),
        "accent": getattr(args, "accent", None),
    }
    logo = getattr(args, "logo", None)
    if not any(given.values()) and logo is None:
        return
    from ..errors import InputError

    look = {**session.print_look, **{k: v for k, v in given.items() if v}}
    if logo is not None:
        try:
            look["logo_svg"] = Path(logo).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"--logo {logo} could not be read as an SVG file: {exc}") from exc
    session.set_print_look(**look)


def run_pool(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ..export.data import write_pool
    from ..session import Session

    if args.report is not None and args.report.suffix.lower() not in (".csv", ".xlsx"):
        from ..errors import InputError

        raise InputError(f"--report must end in .csv or .xlsx; not {args.report.name!r}")
    with ExitStack() as stack:
        sessions = [stack.enter_context(Session.open(path)) for path in args.stores]
        path = write_pool(sessions, args.out, table=args.table)
    print(f"Pooled {len(args.stores)} sessions into {path}")
    if args.report is not None:
        from ..programme import programme_report
        from .outcomes import write_report

        report = write_report(programme_report(args.stores), args.report)
        print(f"Wrote the outcome report to {report}")
    return 0
