"""Pure logic imports neither matplotlib nor ipywidgets, and the package starts light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workshop_kit"
PURE = [
    "errors",
    "content",
    "store",
    "session",
    "partner_secret",
    "scoring",
    "tally",
    "couple",
    "pack_data",
    "notebook_scrub",
    "results",
    "summary",
    "demo",
    "values",
    "appreciation",
    "exercises",
    "importers",
    "paper",
    "outcomes",
    "programme",
    "live",
    "disclosure",
    "checkin_flow",
    # the phone server starts light: matplotlib only for the circles question
    "phones",
]


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_do_not_import_drawing_or_widgets(module):
    if not (PACKAGE / f"{module}.py").exists() and not (PACKAGE / module / "__init__.py").exists():
        pytest.fail(f"workshop_kit/{module} is listed as pure logic but does not exist")
    code = (
        f"import sys, workshop_kit.{module}; "
        "bad = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"workshop_kit.{module} imports {out.stdout.strip()}"
