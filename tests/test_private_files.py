"""Everything the kit writes with a couple's data is 0600 in 0700 folders, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from workshop_kit.export.charts import save_couple_charts
from workshop_kit.export.data import export_data
from workshop_kit.export.forms import write_forms
from workshop_kit.export.packs import build_all_packs
from workshop_kit.export.private_files import private_file, private_folder


@pytest.fixture
def open_umask():
    old = os.umask(0)  # the loosest umask: every file would be 0666 and folder 0777
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_private_tree(root: Path) -> int:
    """Every file under ``root`` is 0600 and every folder 0700; returns the file count."""
    files = 0
    for folder, _dirs, names in os.walk(root):
        assert mode(Path(folder)) == 0o700, folder
        for name in names:
            assert mode(Path(folder) / name) == 0o600, Path(folder) / name
            files += 1
    return files


def test_packs_pngs_and_room_summary_are_owner_only(demo_session, tmp_path, open_umask):
    out = tmp_path / "packs"
    result = build_all_packs(demo_session, out, workers=1)
    assert result.room_summary is None or result.room_summary.exists()
    count = assert_private_tree(out)
    assert count >= len(demo_session.couple_codes()) * 2
    assert {p.suffix for p in out.rglob("*") if p.is_file()} >= {".pdf", ".png"}


def test_charts_exports_and_forms_are_owner_only(session, tmp_path, open_umask):
    code = session.couple_codes()[0]
    session.record_answer(code, "A", "before", "checkin", "qt1", 4)
    save_couple_charts(session, code, tmp_path / "charts")
    export_data(session, tmp_path / "data")
    (tmp_path / "forms").mkdir(mode=0o700)
    write_forms(tmp_path / "forms" / "forms.pdf", session)
    for folder in ("charts", "data", "forms"):
        assert assert_private_tree(tmp_path / folder) >= 1


def test_a_chosen_existing_folder_is_left_alone_but_its_files_are_private(tmp_path, open_umask):
    chosen = tmp_path / "desktop"
    chosen.mkdir()
    os.chmod(chosen, 0o755)
    private_folder(chosen, own=False)
    assert mode(chosen) == 0o755  # the facilitator's own folder keeps its mode
    new = private_folder(chosen / "a" / "b", own=False)
    assert mode(chosen / "a") == 0o700 and mode(new) == 0o700  # folders made here are
    with private_file(chosen / "x.txt") as tmp:
        tmp.write_text("data")
    assert mode(chosen / "x.txt") == 0o600
    os.chmod(new, 0o755)
    private_folder(new)  # a folder the kit names itself is made owner-only again
    assert mode(new) == 0o700


def test_a_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "pack.pdf"
    with pytest.raises(RuntimeError), private_file(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_the_folder_should_be_is_refused_in_plain_words(tmp_path, capsys):
    from workshop_kit.cli import main
    from workshop_kit.errors import InputError

    (tmp_path / "afile").write_text("x")
    for where in (tmp_path / "afile", tmp_path / "afile" / "sub"):
        with pytest.raises(InputError, match="is a file; choose a folder"):
            private_folder(where, own=False)
    assert (tmp_path / "afile").read_text() == "x"
    main(["demo", "--couples", "3", "--store", str(tmp_path / "s.sqlite")])
    out = str(tmp_path / "afile")
    assert main(["export", str(tmp_path / "s.sqlite"), "--out", out]) == 2  # packs
    assert "is a file; choose a folder" in capsys.readouterr().err
    assert not list(tmp_path.glob(".*"))  # no half-written file beside it
