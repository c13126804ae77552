"""The ``workshop-kit`` command: demo and summary, and clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

from workshop_kit.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workshop_kit.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_demo_then_summary_json(tmp_path, capsys):
    store = tmp_path / "demo.sqlite"
    assert main(["demo", "--couples", "6", "--store", str(store), "--seed", "3"]) == 0
    capsys.readouterr()
    assert main(["summary", str(store), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["session"]["couples"] == 6
    assert summary["session"]["k"] == 3
    received = {row["phase"]: row["received"] for row in summary["checkin"]["received"]}
    assert received["before"] == 12
    assert 0 < received["after"] < 12  # the demo has couples who did not do "after"
    themes = {row["subscale"] for row in summary["checkin"]["theme_means"]}
    assert {"quality_time", "overall_closeness"} <= themes
    measures = {row["measure"] for row in summary["checkin"]["change"]}
    assert measures == {"checkin", "ios", "csi4"}


def test_summary_never_names_a_couple(tmp_path, capsys):
    store = tmp_path / "demo.sqlite"
    assert main(["demo", "--couples", "5", "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["summary", str(store), "--json"]) == 0
    text = capsys.readouterr().out
    assert json.loads(text)["session"]["couples"] == 5  # a real summary, not an empty one
    from workshop_kit.session import Session

    with Session.open(store) as session:
        codes = session.couple_codes()
    assert len(codes) == 5
    for code in codes:
        assert code not in text


def test_summary_of_a_small_room_suppresses_every_group_under_k(tmp_path, capsys):
    store = tmp_path / "demo.sqlite"
    assert main(["demo", "--couples", "1", "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["summary", str(store), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    rows = summary["checkin"]["theme_means"] + summary["checkin"]["change"]
    small = [row for row in rows if row["n"] < 3]
    assert small, "no group under k to check (one couple gives at most 2 people)"
    for row in small:
        assert row["suppressed"] is True
        assert row.get("mean") is None and row.get("mean_change") is None


def test_errors_are_one_clear_line_and_exit_2(tmp_path):
    result = run_cli("summary", str(tmp_path / "missing.sqlite"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("workshop-kit summary: error: no session store at")
    assert "Traceback" not in result.stderr
    result = run_cli("demo", "--store", str(tmp_path / "nowhere" / "d.sqlite"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_reset_secret_forgets_one_partners_secret(tmp_path, capsys):
    from workshop_kit.session import Session

    store = tmp_path / "s.sqlite"
    with Session.create(store, "T", couples=1, seed=1) as session:
        code = session.couple_codes()[0]
        session.set_partner_secret(code, "A", "tulip")
        session.set_partner_secret(code, "B", "rose1")
    assert main(["reset-secret", str(store), code.lower(), "a"]) == 0
    assert f"partner A of couple {code} is reset" in capsys.readouterr().out
    with Session.open(store) as session:
        assert not session.partner_secret_is_set(code, "A")
        assert session.check_partner_secret(code, "B", "rose1")
    assert main(["reset-secret", str(store), "ZZZZ", "A"]) == 2
    assert "not in this session" in capsys.readouterr().err
