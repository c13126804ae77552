"""``workshop-kit demo``: build a realistic seeded session."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="create a realistic seeded demo session")
    p.add_argument("--couples", type=int, default=12, help="number of couples (default 12)")
    p.add_argument(
        "--store",
        type=Path,
        default=Path("sessions/demo.sqlite"),
        help="where to write the session (default sessions/demo.sqlite)",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument(
        "--language",
        default="en",
        help="the room's language: en or es (default en); es builds a Spanish session",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..demo import build_demo
    from ..errors import InputError

    if not 1 <= args.couples <= 200:
        raise InputError(f"--couples must be from 1 to 200; not {args.couples}")
    from ..i18n import check_language

    check_language(args.language)
    session = build_demo(args.store, couples=args.couples, seed=args.seed, language=args.language)
    print(f"Demo session with {args.couples} couples written to {session.path}")
    print(
        f"Rehearse phones with it: workshop-kit phones {session.path} --bind 127.0.0.1 "
        "(see facilitator_notes/phones_on_the_day.md)"
    )
    session.close()
    return 0
