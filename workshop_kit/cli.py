"""The ``workshop-kit`` command. Each sub-command lives in ``workshop_kit/commands/``."""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import WorkshopKitError

# One module per sub-command; each defines ``register(subparsers)``.
COMMAND_MODULES = [
    "demo",
    "summary",
    "import_",
    "export",
    "forms",
    "present",
    "purge",
    "backup",
    "couples",
    "outcomes",
    "phones",
    "secret",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workshop-kit",
        description="Couples Workshop Kit: sessions, check-ins, results and take-home packs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(f"workshop_kit.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; errors of the kit print one clear line and exit with 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WorkshopKitError as exc:
        print(f"workshop-kit {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
