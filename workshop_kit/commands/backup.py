"""``workshop-kit backup STORE DEST``: a complete, consistent copy of a session, at any time."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="copy a session file safely, even while the workshop is running",
        description=(
            "Copy a session file with SQLite's online backup: the copy holds every answer "
            "saved up to that moment (also those still in the -wal file) and is one "
            "self-contained file, checked before it is kept. Safe while notebooks, the "
            "dashboard or present mode are writing. DEST is a new file, or a folder (the "
            "copy is then named <session>-backup-<time>.sqlite)."
        ),
    )
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument("dest", type=Path, help="the copy to write, or a folder to put it in")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..store import backup, count_file

    copy = backup(args.store, args.dest)
    # read the copy without opening it as a session (that would give it -wal/-shm files)
    held = count_file(copy)
    title, couples, answers = held["title"], held["couples"], held["answers"]
    print(f"Copied {title!r} ({couples} couples, {answers} answer rows) to {copy}")
    print("The copy is checked and complete; keep it on an encrypted stick.")
    return 0
