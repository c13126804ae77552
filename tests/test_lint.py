"""The code base is ruff clean (lint and format), as `make lint` checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ruff() -> str:
    found = Path(sys.executable).with_name("ruff")
    return str(found) if found.exists() else shutil.which("ruff") or "ruff"


def test_ruff_lint_is_clean():
    result = subprocess.run([ruff(), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = subprocess.run(
        [ruff(), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
