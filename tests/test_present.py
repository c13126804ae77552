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
