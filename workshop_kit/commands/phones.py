"""``workshop-kit phones STORE``: participants answer on their own phones."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    from ..phones.network import DEFAULT_PORT

    p = sub.add_parser(
        "phones",
        help="let participants answer on their own phones (a small page served from this "
        "laptop on the workshop network; never Jupyter)",
    )
    p.add_argument("store", type=Path, help="the session file phones answer into")
    p.add_argument(
        "--bind",
        default=None,
        help="the address to listen on (default: this laptop's address on the local "
        "network, else 127.0.0.1; 0.0.0.0 means every network and is used only when "
        "written out)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"(default {DEFAULT_PORT})")
    p.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--quiet", action="store_true", help="log refused requests only")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..phones.network import join_url
    from ..phones.qr import segno
    from ..phones.server import configure_logging, serve

    if not args.store.is_file():
        raise InputError(f"no session file at {args.store}; create one first")
    configure_logging(args.quiet)

    def ready(address: str, port: int, code: str) -> None:
        url = join_url(address, port, code)
        if not args.quiet:
            segno.make(url, error="m").terminal(compact=True)
        print(f"Phones can join at  {url}", flush=True)
        if address.startswith("127."):
            print(
                "Only this laptop can reach 127.0.0.1. Join the workshop network and start "
                "again (or give --bind with this laptop's address on it).",
                flush=True,
            )
        print("Press Ctrl+C here to stop.", flush=True)

    try:
        serve(args.store, args.bind, args.port, parent_pid=args.parent_pid, on_ready=ready)
    except KeyboardInterrupt:
        print("\nPhone server stopped.")
    except OSError as exc:
        raise InputError(
            f"cannot listen on {args.bind or 'the default address'}:{args.port}: "
            f"{exc.strerror or exc}"
        ) from None
    return 0
