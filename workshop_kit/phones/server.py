"""Running the phone server: in the foreground (the command), in a thread (tests), or as
a child process the notebook panel starts and stops (:class:`PhoneServer`).

Why Tornado: Jupyter already ships it, so the kit gains no new server dependency; it is
mature, runs its own event loop on a thread or in a process, and has the pieces a small
forms site needs (cookies, a body-size limit, a catch-all 404). Templates are Jinja2
(autoescaped; also already installed with Jupyter) so Babel can extract their strings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import tornado.httpserver
import tornado.ioloop

from ..errors import InputError, WorkshopKitError
from ..session import Session
from . import devices as dev
from .app import State, make_app
from .limits import Limits
from .network import (
    LOOPBACK,
    allowed_hosts,
    check_bind,
    check_port,
    join_url,
    public_address,
)

# Tornado reads at most this much of a body; the pages refuse more than Limits.max_body_bytes
# with a friendly page, anything bigger than this is cut off without reading it.
HARD_BODY_LIMIT = 64 * 1024


def http_server(state: State) -> tornado.httpserver.HTTPServer:
    """The HTTP server of the phone application, with the body and header limits."""
    return tornado.httpserver.HTTPServer(
        make_app(state),
        max_body_size=HARD_BODY_LIMIT,
        max_header_size=16 * 1024,
        idle_connection_timeout=60,
        body_timeout=30,
        xheaders=False,
    )


def serve(
    store: Path | str,
    bind: str | None = None,
    port: int = 8877,
    limits: Limits | None = None,
    parent_pid: int | None = None,
    ready: threading.Event | None = None,
    stop: threading.Event | None = None,
    on_ready=None,
) -> None:
    """Serve phones on ``bind:port`` until stopped (Ctrl+C, ``stop`` set, or the parent
    process gone). Opens joining when it is not open yet."""
    bind = check_bind(bind)
    port = check_port(port)
    session = Session.open(store)
    try:
        state = State(session, allowed_hosts(bind, port), limits or Limits())
        state_joining = dev.joining(session)
        if not state_joining.open:
            state_joining = dev.open_joining(session)

        async def main() -> None:
            server = http_server(state)
            server.listen(port, address=bind)
            if on_ready is not None:
                on_ready(public_address(bind), port, state_joining.code)
            if ready is not None:
                ready.set()
            try:
                while not (stop is not None and stop.is_set()):
                    if parent_pid is not None and not _alive(parent_pid):
                        break
                    await asyncio.sleep(0.2)
            finally:
                server.stop()
                await server.close_all_connections()

        asyncio.run(main())
    finally:
        session.close()


def _alive(pid: int) -> bool:
    if os.getppid() != pid:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


class BackgroundPhoneServer:
    """The phone server on a thread of this process (tests and benchmarks).

    >>> # with BackgroundPhoneServer(store, port=free_port()) as server: server.url("/")
    """

    def __init__(
        self,
        store: Path | str,
        port: int,
        bind: str = LOOPBACK,
        limits: Limits | None = None,
    ):
        self.store, self.port, self.bind = Path(store), check_port(port), check_bind(bind)
        self.limits = limits
        self._ready, self._stop = threading.Event(), threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self.join_code: str | None = None

    def url(self, path: str = "/") -> str:
        return f"http://{public_address(self.bind)}:{self.port}{path}"

    def _run(self) -> None:
        try:
            serve(
                self.store,
                self.bind,
                self.port,
                self.limits,
                ready=self._ready,
                stop=self._stop,
                on_ready=self._on_ready,
            )
        except BaseException as exc:  # reported by start()
            self._error = exc
            self._ready.set()

    def _on_ready(self, _address, _port, code) -> None:
        self.join_code = code

    def start(self) -> BackgroundPhoneServer:
        self._thread = threading.Thread(target=self._run, name="phones", daemon=True)
        self._thread.start()
        self._ready.wait(30)
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> BackgroundPhoneServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class PhoneServer:
    """``workshop-kit phones`` as a child process, started and stopped by the notebook
    panel; it stops by itself when the process that started it ends.

    Parameters
    ----------
    store
        The session file phones answer into.
    bind
        The address to listen on (None: the laptop's LAN address, else 127.0.0.1).
    port
        The port to listen on.
    log
        A file for the server's one-line-per-request log (None: discarded).
    """

    def __init__(
        self,
        store: Path | str,
        bind: str | None = None,
        port: int = 8877,
        log: Path | str | None = None,
    ):
        self.store = Path(store).resolve()
        if not self.store.is_file():
            raise InputError(f"no session file at {self.store}; create one first")
        self.bind = check_bind(bind)
        self.port = check_port(port)
        self.log = Path(log) if log is not None else None
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def address(self) -> str:
        return public_address(self.bind)

    def url(self, path: str = "/") -> str:
        return f"http://{self.address}:{self.port}{path}"

    def join_url(self) -> str | None:
        """The join address while joining is open, else None."""
        with Session.open(self.store) as session:
            state = dev.joining(session)
        return join_url(self.address, self.port, state.code) if state.open else None

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "workshop_kit.cli",
            "phones",
            str(self.store),
            "--bind",
            self.bind,
            "--port",
            str(self.port),
            "--parent-pid",
            str(os.getpid()),
            "--quiet",
        ]

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> PhoneServer:
        if self.running:
            return self
        env = dict(os.environ)
        checkout = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (checkout, env.get("PYTHONPATH")) if p)
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            self.command(),
            env=env,
            stdout=self._log_file or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self._log_file else subprocess.DEVNULL,
        )
        return self

    def wait_ready(self, timeout: float = 30.0) -> PhoneServer:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise WorkshopKitError(
                    f"the phone server stopped before it was ready (is port {self.port} in "
                    f"use, or {self.bind} not an address of this laptop?)"
                )
            with (
                contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                urllib.request.urlopen(self.url("/ok"), timeout=2) as reply,
            ):
                if reply.status == 200:
                    return self
            time.sleep(0.2)
        raise WorkshopKitError(f"the phone server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.running:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> PhoneServer:
        return self.start().wait_ready()

    def __exit__(self, *exc) -> None:
        self.stop()


def configure_logging(quiet: bool = False) -> None:
    """The request log on stderr: one line per request, no participant data in it."""
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s phones %(message)s",
        datefmt="%H:%M:%S",
    )
    # Tornado's own access log would print paths; the kit's log_function replaces it.
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)
