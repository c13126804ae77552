"""Present mode: the notebooks as clean pages (Voilà, no code) for the projector.

The server listens on 127.0.0.1 only and asks for a token that is made fresh for every
start; the token reaches Voilà through a private config file (never the command line,
where other users of the laptop could read it). Pages use the kit's ``projector`` template
(``present_theme/``): large type, large buttons, high contrast, one column that fits
1024×768. JupyterLab (``make workshop``) stays the facilitator's workspace.

The same :class:`PresentServer` runs ``workshop-kit present`` and the browser tests.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from .errors import InputError, WorkshopKitError

THEME_ROOT = Path(__file__).resolve().parent / "present_theme"
TEMPLATE = "projector"
DEFAULT_PORT = 8866
HOST = "127.0.0.1"


def notebooks_dir() -> Path:
    """The kit's ``notebooks/`` folder (in the checkout the kit runs from).

    Raises
    ------
    InputError
        When the kit was installed without its checkout, so there are no notebooks to show.
    """
    folder = Path(__file__).resolve().parents[1] / "notebooks"
    if not folder.is_dir():
        raise InputError(
            f"the notebooks folder was not found at {folder}; run present mode from the kit's "
            "checkout (where `make workshop` works)"
        )
    return folder


def new_token() -> str:
    """A fresh random token for one run of the server (48 hex digits)."""
    return secrets.token_hex(24)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def check_port(port: int) -> int:
    """``port`` when it is a usable port number, else an :class:`InputError`.

    >>> check_port(8866)
    8866
    """
    if not isinstance(port, int) or not 1024 <= port <= 65535:
        raise InputError(f"--port must be a number from 1024 to 65535; not {port!r}")
    return port


def voila_command(notebooks: Path, port: int, python: str | None = None) -> list[str]:
    """The command line that serves ``notebooks`` with the projector template.

    The token is not part of it (see :class:`PresentServer`).

    >>> cmd = voila_command(Path("notebooks"), 8866, python="python3")
    >>> cmd[:3], "--Voila.ip=127.0.0.1" in cmd, "--template=projector" in cmd
    (['python3', '-m', 'voila'], True, True)
    """
    return [
        python or sys.executable,
        "-m",
        "voila",
        str(notebooks),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--port={check_port(port)}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--theme=light",
        "--strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
    ]


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


class PresentServer:
    """A Voilà server for the notebooks, on 127.0.0.1 with a fresh token.

    Parameters
    ----------
    port
        The port to listen on; a free one is picked when None.
    store
        A session file every page works on (``WORKSHOP_KIT_STORE`` of the server); None
        uses the session chosen in ``00_start_here``.
    notebooks
        The folder of notebooks to serve (the kit's ``notebooks/`` by default).
    env
        Extra environment variables for the server and its kernels.
    log
        Where the server's output goes: a file path, or None to share the terminal.
    """

    def __init__(
        self,
        port: int | None = None,
        store: Path | str | None = None,
        notebooks: Path | str | None = None,
        env: dict[str, str] | None = None,
        log: Path | str | None = None,
    ):
        self.port = check_port(port) if port is not None else free_port()
        self.store = Path(store).resolve() if store is not None else None
        if self.store is not None and not self.store.is_file():
            raise InputError(
                f"--store: no session file at {self.store}; create one in "
                "00_start_here or with `workshop-kit demo`"
            )
        self.notebooks = Path(notebooks).resolve() if notebooks is not None else notebooks_dir()
        self.extra_env = dict(env or {})
        self.log = Path(log) if log is not None else None
        self.token = new_token()
        self.process: subprocess.Popen | None = None
        self._config_dir: Path | None = None
        self._log_file = None

    # -- addresses ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def url(self, notebook: str | None = None) -> str:
        """The address of the page list, or of one notebook's page, with the token."""
        path = f"/voila/render/{quote(notebook)}" if notebook else "/"
        return f"{self.base_url}{path}?token={self.token}"

    # -- life cycle --------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        """The server's environment: the theme on JUPYTER_PATH, the session to work on."""
        env = dict(os.environ)
        env.update(self.extra_env)
        env["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (str(THEME_ROOT), env.get("JUPYTER_PATH", "")) if p
        )
        env.pop("JUPYTER_TOKEN", None)
        # Kernels must draw charts inline; a non-interactive MPLBACKEND (Agg, as set by the
        # test run) would show "<Figure ...>" text instead of the chart.
        env.pop("MPLBACKEND", None)
        if self.store is not None:
            env["WORKSHOP_KIT_STORE"] = str(self.store)
        return env

    def start(self) -> PresentServer:
        """Start the server (returns at once; see :meth:`wait_ready`)."""
        if self.process is not None:
            return self
        # Voilà reads voila.json from its working folder first: a private one (mode 0700).
        self._config_dir = Path(tempfile.mkdtemp(prefix="workshop-kit-present-"))
        config = self._config_dir / "voila.json"
        config.write_text(json.dumps({"Voila": {"token": self.token}}), encoding="utf-8")
        config.chmod(0o600)
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            voila_command(self.notebooks, self.port),
            env=self.environment(),
            cwd=self._config_dir,
            stdout=self._log_file,
            stderr=subprocess.STDOUT if self._log_file else None,
        )
        return self

    def wait_ready(self, timeout: float = 60.0) -> PresentServer:
        """Wait until the page list answers; raise a clear error if the server died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise WorkshopKitError(
                    f"the present server stopped before it was ready (port {self.port} may be "
                    f"in use){self._log_hint()}"
                )
            try:
                with _NO_REDIRECTS.open(self.url(), timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except urllib.error.HTTPError as exc:
                # A redirect to the login page: the server runs but refused our token.
                raise WorkshopKitError(
                    f"the present server refused its token (HTTP {exc.code}){self._log_hint()}"
                ) from exc
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise WorkshopKitError(
            f"the present server did not answer on port {self.port} within "
            f"{timeout:.0f} s{self._log_hint()}"
        )

    def _log_hint(self) -> str:
        return f"; see {self.log}" if self.log is not None else ""

    def stop(self) -> None:
        """Stop the server and its kernels; remove the token's config file."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self._config_dir is not None:
            shutil.rmtree(self._config_dir, ignore_errors=True)
            self._config_dir = None

    def __enter__(self) -> PresentServer:
        return self.start().wait_ready()

    def __exit__(self, *exc) -> None:
        self.stop()
