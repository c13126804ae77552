"""``workshop-kit add-couple STORE [--count N] [--code CODE]``: walk-in couples, after creation."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "add-couple",
        help="add a walk-in couple to a session (a fresh code, made like the others)",
        description=(
            "Add couples who arrive after the session was created. Each gets a fresh "
            "four-character code made the same way as the session's first codes, and the "
            "code is printed. Notebooks already open list it after their next person."
        ),
    )
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument(
        "--count", type=int, default=1, help="how many couples to add (1 to 50; default 1)"
    )
    p.add_argument(
        "--code", help="use this code instead of a fresh one (letters and digits, 2 to 12)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..session import Session

    if not 1 <= args.count <= 50:
        raise InputError(f"--count must be a whole number from 1 to 50; not {args.count}")
    if args.code is not None and args.count != 1:
        raise InputError("--code adds one couple; leave out --count or use --count 1")
    with Session.open(args.store) as session:
        if args.code is not None:
            codes = [session.add_couple(args.code)]
        else:
            codes = session.add_couples(args.count)
        total = len(session.couple_codes())
    word = "couple" if len(codes) == 1 else "couples"
    print(f"Added {len(codes)} {word} to {args.store} (now {total} couples):")
    for code in codes:
        print(f"  {code}")
    return 0
