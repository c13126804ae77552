"""Present mode: the notebooks as clean pages (Voilà, no code) for the projector.

The server listens on 127.0.0.1 only and asks for a token that is made fresh for every
start; the token reaches Voilà through a private config file (never the command line,
where other users of the laptop could read it). Pages use the kit's ``projector`` template
(``present_theme/``): large type, large buttons, high contrast, one column that fits
1024×768. JupyterLab (``make workshop``) stays the facilitator's workspace.

The same :class:`PresentServer` runs ``workshop-kit present`` and the browser tests.

Cleaning up after pages (each page has a kernel of its own):

- A page that is closed or reloaded asks Voilà to shut its kernel down (a ``beforeunload``
  beacon to ``/voila/api/shutdown/<kernel>``, carrying the ``_xsrf`` cookie). Voilà's
  notebook pages never set that cookie, so the request was refused and every reload left
  a kernel running; :func:`set_xsrf_cookie`, Voilà's prelaunch hook here, sets it.
- Kernels with no page connected are culled after :data:`CULL_IDLE_TIMEOUT` seconds idle
  (``MappingKernelManager.cull_idle_timeout``; a connected page's kernel is never culled).
- Voilà runs in a session of its own and dies with its parent (Linux): the ``present``
  command stops it on Ctrl+C, SIGTERM and SIGHUP (a closed terminal), so Voilà shuts its
  kernels down and the token's private folder is removed.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import secrets
import shutil
import signal
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
CULL_IDLE_TIMEOUT = 600  # seconds a kernel with no page connected may sit idle
CULL_INTERVAL = 60  # seconds between checks for such kernels

# Voilà reads voila.py and voila.json from the private config folder it is given.
VOILA_PY = """\
# Written by `workshop-kit present` for this run only; removed when it stops.
from workshop_kit.present import set_xsrf_cookie

c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie
"""


def set_xsrf_cookie(request_handler, notebook=None, cwd=None):
    """Voilà prelaunch hook: make sure the page gets its ``_xsrf`` cookie.

    A Voilà page shuts its kernel down when it is closed or reloaded by posting the
    ``_xsrf`` cookie's value back; Voilà's notebook handler never reads
    ``xsrf_token``, so tornado never set the cookie and the shutdown was refused (403).
    Reading the property sets the cookie on this response. Returns None (the notebook
    is not changed).

    References
    ----------
    Voilà issue 1458, "403 POST: '_xsrf' argument missing from POST when closing kernel"
    (open upstream); the page's beacon is in Voilà's ``widgets_manager8`` (``index.ts``).
    """
    request_handler.xsrf_token  # noqa: B018 - reading it sets the cookie
    return None


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """In the Voilà child (Linux): get SIGTERM when the process that started it dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


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


def _private_file(path: Path, text: str) -> None:
    """Write ``text`` to a new file only its owner can read (0600 from the start)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


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


def voila_command(
    notebooks: Path,
    port: int,
    python: str | None = None,
    cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
    cull_interval: int = CULL_INTERVAL,
) -> list[str]:
    """The command line that serves ``notebooks`` with the projector template.

    The token is not part of it (see :class:`PresentServer`). Kernels with no page
    connected are shut down after ``cull_idle_timeout`` seconds idle, checked every
    ``cull_interval`` seconds.

    >>> cmd = voila_command(Path("notebooks"), 8866, python="python3")
    >>> cmd[:3], "--Voila.ip=127.0.0.1" in cmd, "--template=projector" in cmd
    (['python3', '-m', 'voila'], True, True)
    >>> "--MappingKernelManager.cull_idle_timeout=600" in cmd
    True
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
        f"--MappingKernelManager.cull_idle_timeout={int(cull_idle_timeout)}",
        f"--MappingKernelManager.cull_interval={int(cull_interval)}",
        "--MappingKernelManager.cull_connected=False",
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
    cull_idle_timeout, cull_interval
        Seconds: a kernel with no page connected is shut down once idle this long,
        checked this often.
    """

    def __init__(
        self,
        port: int | None = None,
        store: Path | str | None = None,
        notebooks: Path | str | None = None,
        env: dict[str, str] | None = None,
        log: Path | str | None = None,
        cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
        cull_interval: int = CULL_INTERVAL,
    ):
        self.port = check_port(port) if port is not None else free_port()
        self.cull_idle_timeout = cull_idle_timeout
        self.cull_interval = cull_interval
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
        # A private folder (mode 0700) for the token and Voilà's config; also Voilà's cwd.
        self._config_dir = Path(tempfile.mkdtemp(prefix="workshop-kit-present-"))
        # The config goes in a subfolder named on the command line: a voila.py in the
        # working folder itself would shadow the voila package for `python -m voila`.
        config_dir = self._config_dir / "config"
        config_dir.mkdir(mode=0o700)
        _private_file(config_dir / "voila.json", json.dumps({"Voila": {"token": self.token}}))
        _private_file(config_dir / "voila.py", VOILA_PY)
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                *voila_command(
                    self.notebooks,
                    self.port,
                    cull_idle_timeout=self.cull_idle_timeout,
                    cull_interval=self.cull_interval,
                ),
                f"--Voila.config_file_paths={config_dir}",
            ],
            env=self.environment(),
            cwd=self._config_dir,
            stdout=self._log_file,
            stderr=subprocess.STDOUT if self._log_file else None,
            # its own session: a closed terminal's SIGHUP reaches only the `present`
            # command, which stops Voilà properly (kernels shut down, token removed)
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        return self

    @property
    def token_folder(self) -> Path | None:
        """The private folder holding the token (and the browser's redirect file)."""
        return self._config_dir

    def browser_file(self, notebook: str | None = None) -> Path:
        """A private (0600) HTML file that sends the browser on to the page with its token.

        Opening this file instead of the address keeps the token off the browser's
        command line, where any user of the laptop could read it (Jupyter's server opens
        its browser the same way). The file is removed when the server stops.
        """
        if self._config_dir is None:
            raise WorkshopKitError("start the present server before opening a browser")
        target = html.escape(self.url(notebook), quote=True)
        page = self._config_dir / "open.html"
        _private_file(
            page,
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<meta http-equiv='refresh' content='0;url={target}'>"
            "<title>Workshop kit</title></head><body>"
            f"<p><a href='{target}'>Open the workshop pages</a></p></body></html>",
        )
        return page

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
        """Stop the server and its kernels; remove the token's private folder.

        Voilà is asked to stop with SIGTERM (it then shuts its kernels down); after 15 s
        its whole process group, kernels included, is killed.
        """
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(OSError):
                    os.killpg(self.process.pid, signal.SIGKILL)
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
