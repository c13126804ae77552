"""``workshop-kit purge STORE [--yes]``: delete a session and its exports, asking first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "purge",
        help="delete a session file and its exports for good (asks first)",
        description=(
            "Delete a session: its store file (with its -wal and -shm files) and the exports "
            "folders saved from that file (exports/<session file name>/, checked by the "
            "owner file inside). Purging a backup copy leaves the live session's exports. "
            "Refuses while the session is open in a notebook, the present server or the phone "
            "page, unless "
            "--force is given. Asks for y/N first unless --yes is given; with no answer "
            "nothing is deleted. Files exported with --out to another folder must be deleted "
            "by hand."
        ),
    )
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument("--yes", action="store_true", help="do not ask: delete at once")
    p.add_argument(
        "--force",
        action="store_true",
        help="purge even while the session is open elsewhere (what the open notebook saves "
        "afterwards is lost)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..export.purge import purge, purge_plan

    plan = purge_plan(args.store)
    if plan.open_elsewhere and not args.force:
        print(
            f"The session {plan.store} is open right now (a notebook's kernel, the present "
            "server or the phone page is using it), so nothing was deleted: answers saved "
            "there afterwards would be lost without a word. Shut down the notebooks' kernels "
            "or stop `make workshop` / `make present` / `workshop-kit phones` (Ctrl+C), then "
            "purge again. To delete it anyway, add --force.",
            file=sys.stderr,
        )
        return 2
    title = f" ({plan.title})" if plan.title else ""
    if plan.open_elsewhere:
        print(
            "WARNING: this session is open elsewhere right now. Anything saved there after "
            "the purge is lost."
        )
    print(f"Purging the session {plan.store}{title} deletes for good:")
    for path in plan.targets:
        print(f"  {path}{'/' if path.is_dir() else ''}")
    for folder, why in plan.kept:
        print(f"Kept {folder}/ ({why}): delete it by hand if you mean to.")
    print("Exports written with --out to another folder are not deleted: remove them by hand.")
    if not args.yes:
        print("Delete these now? [y/N] ", end="", flush=True)
        answer = sys.stdin.readline() if sys.stdin is not None else ""
        if not answer:
            print("\nNo answer (no input): nothing was deleted. Add --yes to purge without asking.")
            return 1
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return 1
    deleted = purge(plan)
    print(f"Deleted {len(deleted)} {'item' if len(deleted) == 1 else 'items'}.")
    return 0
