"""``workshop-kit present``: the notebooks as clean pages for the projector (Voilà)."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    from ..present import DEFAULT_PORT

    p = sub.add_parser(
        "present",
        help="show the notebooks as pages for the projector "
        "(no code, large type; localhost only, with a token)",
    )
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})"
    )
    p.add_argument(
        "--no-browser", action="store_true", help="only print the address; do not open a browser"
    )
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help="the session file to show (default: the one chosen in 00_start_here)",
    )
    p.set_defaults(func=run)


class _Stop(Exception):
    """Raised by the SIGTERM/SIGHUP handler, so the server is stopped in ``finally``."""


def _raise_stop(signum, _frame):
    raise _Stop(signal.Signals(signum).name)


def run(args: argparse.Namespace) -> int:
    import webbrowser

    from ..present import PresentServer

    server = PresentServer(port=args.port, store=args.store)
    # A closed terminal (SIGHUP) or `kill` (SIGTERM) must stop Voilà and its kernels and
    # remove the token's private folder, as Ctrl+C does.
    previous = {
        sig: signal.signal(sig, _raise_stop)
        for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None))
        if sig is not None
    }
    try:
        server.start().wait_ready()
        print("Present mode is running (only this laptop can open it). Open:")
        print(f"  {server.url()}")
        print(f"Start page: {server.url('00_start_here.ipynb')}")
        print("Press Ctrl+C here to stop.", flush=True)
        if not args.no_browser:
            # a private redirect file, so the token is never on the browser's command line
            webbrowser.open(server.browser_file().as_uri())
        server.process.wait()
    except KeyboardInterrupt:
        print("\nStopping present mode.")
    except _Stop as stop:
        print(f"\nStopping present mode ({stop}).", flush=True)
    finally:
        for sig in previous:  # a second signal must not cut the clean-up short
            signal.signal(sig, signal.SIG_IGN)
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
