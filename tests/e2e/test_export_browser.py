"""The take-home packs, exported by pressing the button on the results page."""

from __future__ import annotations

import pytest

from workshop_kit.session import Session

from .conftest import open_notebook, screenshot

pytestmark = pytest.mark.browser


def test_export_button_writes_a_pack_per_couple(page, server, store_path, e2e_dir):
    from playwright.sync_api import expect

    out = e2e_dir / "exports" / store_path.stem / "packs"  # the session's own exports folder
    open_notebook(page, server, "50_results.ipynb", wait_for=".jp-RenderedImage img")
    page.get_by_role("button", name="Export take-home packs").click()
    expect(page.get_by_text("take-home packs (A4)")).to_be_visible(timeout=240_000)
    screenshot(page, "50_results-packs-done")

    with Session.open(store_path) as session:
        codes = session.couple_codes()
    pdfs = sorted(out.rglob("*.pdf"))
    assert pdfs, f"no PDF under {out}"
    folders = {p.name for p in out.iterdir() if p.is_dir()}
    assert set(codes) <= folders, sorted(set(codes) - folders)
    assert all(p.stat().st_size > 1000 for p in pdfs)
    # the PNGs are rendered from each PDF in the worker processes the kernel forked
    for code in codes:
        pngs = sorted((out / code).glob(f"{code}-*.png"))
        assert f"{code}-connection-by-theme.png" in [p.name for p in pngs]
        assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
