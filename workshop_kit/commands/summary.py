"""``workshop-kit summary``: counts and room aggregates of a session (k-suppressed)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="print counts and room aggregates (k-suppressed)")
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..session import Session
    from ..summary import build_summary

    with Session.open(args.store) as session:
        summary = build_summary(session)
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0
    info = summary["session"]
    print(f"{info['title']} ({info['date']}): {info['couples']} couples, k = {info['k']}")
    for row in summary["checkin"]["received"]:
        print(f"  check-ins {row['phase']}: {row['received']} of {row['participants']}")
    names = summary["checkin"]["subscale_names"]
    for row in summary["checkin"]["change"]:
        label = names.get(row["subscale"], row["subscale"])
        if row["suppressed"]:
            print(f"  {label}: fewer than {info['k']} with before and after")
        else:
            print(
                f"  {label}: {row['mean_before']:.2f} -> {row['mean_after']:.2f} (n = {row['n']})"
            )
    return 0
