"""Privacy: no room output under k, one couple per pack, neutralised exports, owner-only
files, local servers with a token."""

from __future__ import annotations

import math
import os
import re
import stat
import uuid
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit.results import checkin_results, room_change, room_theme_means
from workshop_kit.session import Answer, Session
from workshop_kit.summary import build_summary

from .helpers import REPO
from .test_properties import ITEMS, PROPS

IOS = "ios"


@st.composite
def random_sessions(draw):
    """A random room: couples, who answered before/after, their answers, and k."""
    couples = draw(st.integers(2, 8))
    k = draw(st.integers(1, 5))
    items = draw(st.lists(st.sampled_from(ITEMS), unique_by=lambda i: i.id, min_size=1, max_size=8))
    answers = []
    for couple in range(couples):
        for partner in "AB":
            for phase in ("before", "after"):
                if draw(st.booleans()):
                    for item in items:
                        answers.append(
                            (
                                couple,
                                partner,
                                phase,
                                "checkin",
                                item.id,
                                draw(st.integers(item.min, item.max)),
                            )
                        )
                    if draw(st.booleans()):
                        answers.append((couple, partner, phase, IOS, IOS, draw(st.integers(1, 7))))
    return couples, k, answers


def _check_means(rows, k, what):
    for row in rows:
        if row["suppressed"]:
            assert all(row[c] is None for c in ("mean", "sd", "ci_low", "ci_high")), (what, row)
        else:
            assert row["n"] >= k, (what, row)


def _check_change(rows, k):
    for row in rows:
        counts = {c: row[c] for c in ("improved", "no_change", "worsened")}
        if row["suppressed"]:
            assert row["n"] < k
            assert all(v is None for v in counts.values())
            assert row["mean_before"] is None and row["mean_change"] is None
            continue
        assert row["n"] >= k
        for name, value in counts.items():
            assert value is None or value == 0 or value >= k, row
            others = [v for c, v in counts.items() if c != name]
            if value is None and all(v is not None for v in others):
                derived = row["n"] - sum(others)
                assert derived == 0 or derived >= k, ("derivable from n", row)


def _walk(node, k, path="summary"):
    """Any aggregate dict with a contributor count that is shown must have at least k."""
    if isinstance(node, dict):
        for key in ("contributors", "n_contributors"):
            if key in node and node[key] is not None and not node.get("suppressed"):
                assert node[key] >= k, (path, node)
        for key, value in node.items():
            _walk(value, k, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, k, f"{path}[{i}]")


@settings(PROPS, max_examples=12)
@given(random_sessions())
def test_no_room_output_ever_shows_a_group_under_k(ledger, tmp_path_factory, room):
    couples, k, answers = room
    path = tmp_path_factory.mktemp("room") / f"{uuid.uuid4().hex}.sqlite"
    with Session.create(path, "Privacy", couples=couples, k=k, seed=1) as session:
        codes = session.couple_codes()
        session.record_answers(
            [Answer(codes[c], p, ph, inst, item, v) for c, p, ph, inst, item, v in answers]
        )
        summary = build_summary(session)
        results = checkin_results(session)
        direct_means = room_theme_means(results, k)
        direct_change = room_change(results, k)
    from workshop_kit.summary import records

    _check_means(summary["checkin"]["theme_means"], k, "summary theme means")
    _check_means(records(direct_means), k, "room_theme_means")
    _check_change(summary["checkin"]["change"], k)
    _check_change(records(direct_change), k)
    _walk(summary, k)
    text = str(summary)
    assert not any(code in text for code in codes), "a couple code reached a room output"
    ledger.add("Privacy", "random sessions checked for groups under k (examples)")


def test_a_lone_hidden_count_cannot_be_derived_from_n():
    """4 improved, 1 no change, 0 worsened (k = 3): showing 4 and 0 with n = 5 reveals the 1."""
    from workshop_kit.results import CheckinResults

    changes = pd.DataFrame(
        {
            "measure": "checkin",
            "couple_code": list("ABCDE"),
            "partner": "A",
            "subscale": "trust",
            "before": 3.0,
            "after": [4.0, 4, 4, 4, 3],
            "change": [1.0, 1, 1, 1, 0],
            "category": ["improved"] * 4 + ["no reliable change"],
        }
    )
    results = CheckinResults(*([None] * 5), changes, None, {})
    row = room_change(results, 3).iloc[0]
    assert math.isnan(row["no_change"]) and math.isnan(row["improved"])
    assert row["worsened"] == 0 and row["n"] == 5


# -- take-home packs ---------------------------------------------------------------------
@pytest.mark.slow
def test_each_take_home_pack_holds_one_couple_only(demo_session, tmp_path, ledger):
    from pypdf import PdfReader

    from workshop_kit.appreciation import save_note
    from workshop_kit.export.packs import build_pack

    codes = demo_session.couple_codes()
    secrets = {}
    for code in codes:
        secrets[code] = f"Secret{code}Marker"
        save_note(demo_session, code, "A", f"Dear one, {secrets[code]} always.", shared=True)
    checked = codes[:2]
    for code in checked:
        written = build_pack(demo_session, code, tmp_path / "packs")
        pdf = written[0]
        assert pdf.parent == tmp_path / "packs" / code
        text = " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        squashed = re.sub(r"\s+", "", text)
        assert code in squashed, "the pack should name its own couple"
        for other in codes:
            if other == code:
                continue
            assert other not in squashed, f"pack of {code} mentions couple {other}"
            assert secrets[other] not in squashed, f"pack of {code} holds a note of {other}"
        ledger.add("Privacy", "take-home packs scanned (PDF text) for other couples' data")
        ledger.add(
            "Privacy",
            "other couples' codes and notes looked for in each pack",
            2 * (len(codes) - 1),
        )


# -- exports ------------------------------------------------------------------------------
DANGEROUS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "hi\r=1"]


@pytest.mark.parametrize(
    "start", DANGEROUS, ids=["eq", "plus", "minus", "at", "tab", "cr", "inner-cr"]
)
def test_free_text_in_csv_and_xlsx_exports_is_neutralised(tmp_path, start, ledger):
    from openpyxl import load_workbook

    from workshop_kit.appreciation import save_words
    from workshop_kit.export.data import export_data, neutralise

    with Session.create(tmp_path / "s.sqlite", f"Title {start}", couples=3, seed=1) as s:
        # free text a person typed lands in the session facts and its resources
        s.store.set_meta("title", start + " workshop")
        s.set_support_resources([{"name": start + " helpline", "contact": start, "note": start}])
        for code in s.couple_codes():
            for partner in "AB":
                s.record_answer(code, partner, "before", "checkin", ITEMS[0].id, 3)
                save_words(s, code, partner, ["kind"])
        written = export_data(s, tmp_path / "out")
    cells = 0
    for path in written:
        if path.suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            for value in frame.to_numpy().ravel():
                cells += 1
                assert not str(value).startswith(("=", "+", "@", "\t", "\r")) or False, value
                assert not (str(value).startswith("-") and not _is_number(value)), value
        else:
            for sheet in load_workbook(path).worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        cells += 1
                        assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                        if isinstance(cell.value, str):
                            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    raw = "".join(p.read_bytes().decode("utf-8-sig") for p in written if p.suffix == ".csv")
    assert f'"{neutralise(start + " workshop")}"' in raw or neutralise(start + " workshop") in raw
    ledger.case("Privacy", f"export neutralises text starting with {start!r}")
    ledger.add("Privacy", "exported cells checked for formula starts", cells)


def _is_number(value) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


# -- files and servers --------------------------------------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_store_and_its_wal_and_shm_files_are_owner_only(tmp_path, ledger):
    old = os.umask(0o022)  # a permissive umask, as on many laptops
    try:
        path = tmp_path / "s.sqlite"
        with Session.create(path, "Modes", couples=2, seed=1) as s:
            s.record_answer(s.couple_codes()[0], "A", "before", "checkin", ITEMS[0].id, 4)
            with Session.open(path) as again:  # a second reader, as the dashboard
                again.answers()
                files = [Path(str(path) + suffix) for suffix in ("", "-wal", "-shm")]
                assert all(f.exists() for f in files)
                for f in files:
                    assert _mode(f) == 0o600, (f.name, oct(_mode(f)))
    finally:
        os.umask(old)
    ledger.add("Privacy", "store files checked for mode 0600 (file, -wal, -shm)", 3)


def test_jupyterlab_listens_on_localhost_with_a_token(ledger):
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nworkshop:", 1)[1].split("\n\n", 1)[0]
    assert "--ServerApp.ip=127.0.0.1" in recipe
    assert not re.search(r"token\s*=\s*(''|\"\"|\s|$)", recipe, re.I), recipe
    assert "password" not in recipe.lower() and "0.0.0.0" not in recipe
    assert "disable_check_xsrf" not in recipe
    ledger.case("Privacy", "make workshop: JupyterLab on 127.0.0.1 with its token")


def test_present_mode_listens_on_localhost_with_a_fresh_private_token(tmp_path, ledger):
    import json

    from workshop_kit.present import HOST, PresentServer, voila_command

    command = voila_command(tmp_path, 8866, python="python3")
    assert HOST == "127.0.0.1" and "--Voila.ip=127.0.0.1" in command
    assert not any("token" in part.lower() for part in command), command
    assert not any("0.0.0.0" in part for part in command)
    first, second = (
        PresentServer(port=8866, notebooks=tmp_path),
        PresentServer(port=8866, notebooks=tmp_path),
    )
    assert first.token != second.token and len(first.token) >= 32
    assert f"token={first.token}" in first.url() and first.url().startswith("http://127.0.0.1:")
    env = first.environment()
    assert "JUPYTER_TOKEN" not in env
    # the token travels in a private config file, not on the command line
    first._config_dir = tmp_path / "config"
    first._config_dir.mkdir()
    config = first._config_dir / "voila.json"
    config.write_text(json.dumps({"Voila": {"token": first.token}}))
    import inspect

    from workshop_kit.present import _private_file

    source = inspect.getsource(PresentServer.start)
    assert "mkdtemp" in source and '_private_file(config_dir / "voila.json"' in source
    old_umask = os.umask(0)  # even with a permissive umask the token file is the owner's only
    try:
        _private_file(tmp_path / "token.json", first.token)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "token.json").stat().st_mode) == 0o600
    ledger.case("Privacy", "present mode: Voilà on 127.0.0.1 with a fresh token in a 0600 file")
