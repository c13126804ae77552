"""Present mode without a browser: the command line, the Voilà command, the theme files."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop_kit.cli import build_parser, main
from workshop_kit.errors import InputError
from workshop_kit.present import THEME_ROOT, PresentServer, check_port, voila_command


def test_present_command_is_registered():
    args = build_parser().parse_args(["present", "--port", "9001", "--no-browser"])
    assert (args.port, args.no_browser, args.store) == (9001, True, None)


def test_voila_command_is_localhost_projector_and_has_no_token():
    cmd = voila_command(Path("/kit/notebooks"), 9001, python="python3")
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=9001" in cmd
    assert "--template=projector" in cmd and "--strip_sources=True" in cmd
    assert not any("token" in part for part in cmd)  # the token goes in a private file


@pytest.mark.parametrize("port", [80, 0, 70000])
def test_bad_port_is_refused(port):
    with pytest.raises(InputError, match="--port must be a number from 1024 to 65535"):
        check_port(port)


def test_missing_store_is_refused_by_the_command(tmp_path, capsys):
    assert main(["present", "--no-browser", "--store", str(tmp_path / "nope.sqlite")]) == 2
    assert "no session file" in capsys.readouterr().err


def test_theme_extends_voila_lab_and_sets_projector_sizes():
    folder = THEME_ROOT / "voila" / "templates" / "projector"
    assert '"base_template": "lab"' in (folder / "conf.json").read_text()
    assert "projector.css" in (folder / "index.html.j2").read_text()
    css = (folder / "projector.css").read_text()
    assert "--jp-widgets-font-size: 24px" in css and "min-height: 52px" in css


def test_server_environment_names_the_store_and_theme(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    store = tmp_path / "s.sqlite"
    store.write_bytes(b"")
    env = PresentServer(port=9001, store=store, notebooks=tmp_path).environment()
    assert env["WORKSHOP_KIT_STORE"] == str(store.resolve())
    assert str(THEME_ROOT) in env["JUPYTER_PATH"]
    assert "MPLBACKEND" not in env  # charts must draw inline in the kernels


def test_idle_kernels_with_no_page_are_culled_by_the_command():
    cmd = voila_command(Path("/kit/notebooks"), 9001, cull_idle_timeout=30, cull_interval=5)
    assert "--MappingKernelManager.cull_idle_timeout=30" in cmd
    assert "--MappingKernelManager.cull_interval=5" in cmd
    assert "--MappingKernelManager.cull_connected=False" in cmd  # an open page keeps its kernel


def test_the_prelaunch_hook_sets_the_xsrf_cookie():
    from workshop_kit.present import set_xsrf_cookie

    class Handler:
        touched = False

        @property
        def xsrf_token(self):
            Handler.touched = True
            return b"token"

    assert set_xsrf_cookie(Handler(), notebook=None, cwd="/") is None
    assert Handler.touched


def test_browser_opens_a_private_redirect_file_not_the_address(tmp_path, monkeypatch):
    """The token never goes on the browser's command line (as Jupyter's own server does)."""
    import stat

    opened = []
    monkeypatch.setattr("webbrowser.open", lambda target: opened.append(target))

    class FakeServer:
        token = "t0ken"
        process = type("P", (), {"wait": staticmethod(lambda: None)})()

        def __init__(self, **_kw):
            self.server = PresentServer(port=9001, notebooks=tmp_path)
            self.server._config_dir = tmp_path / "private"
            self.server._config_dir.mkdir(mode=0o700)
            self.stopped = False

        def start(self):
            return self

        def wait_ready(self):
            return self

        def url(self, notebook=None):
            return self.server.url(notebook)

        def browser_file(self, notebook=None):
            return self.server.browser_file(notebook)

        def stop(self):
            self.stopped = True

    monkeypatch.setattr("workshop_kit.present.PresentServer", FakeServer)
    assert main(["present", "--port", "9001"]) == 0
    [target] = opened
    assert target.startswith("file://") and "token" not in target
    page = Path(target.removeprefix("file://"))
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert "http://127.0.0.1:9001/?token=" in page.read_text()


def test_signal_handlers_are_restored_after_present(monkeypatch, tmp_path):
    import signal

    before = signal.getsignal(signal.SIGTERM)

    class Quick:
        def __init__(self, **_kw):
            self.process = type("P", (), {"wait": staticmethod(lambda: None)})()

        def start(self):
            return self

        def wait_ready(self):
            # a SIGTERM arriving now is turned into a clean stop
            signal.raise_signal(signal.SIGTERM)
            return self

        def url(self, notebook=None):
            return "http://127.0.0.1:9001/"

        def stop(self):
            Quick.stopped = True

    monkeypatch.setattr("workshop_kit.present.PresentServer", Quick)
    assert main(["present", "--no-browser", "--port", "9001"]) == 0
    assert Quick.stopped
    assert signal.getsignal(signal.SIGTERM) is before
