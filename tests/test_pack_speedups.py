"""The PNGs of a take-home pack are rendered from its PDF (:mod:`workshop_kit.export.raster`).

The right pages, the paper's size in pixels, the same bytes every time; a failure leaves
no half-written file.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from workshop_kit.errors import InputError
from workshop_kit.export import packs
from workshop_kit.export.raster import render_pages


def test_pngs_are_rendered_from_the_pdf(demo_session, tmp_path):
    code = demo_session.couple_codes()[2]
    paths = packs.build_pack(demo_session, code, tmp_path)
    pdf, pngs = paths[0], paths[1:]
    stems = [p.name.removeprefix(f"{code}-").removesuffix(".png") for p in pngs]
    assert stems[:2] == ["connection-by-theme", "closeness"]
    assert "cover" not in stems and "support" not in stems
    for png in pngs:
        with Image.open(png) as image:
            assert image.size == (827, 1170)  # A4 at 100 dpi
            assert image.mode == "RGB"
            assert not image.info  # no metadata: no software name, no date
    again = render_pages(pdf, {1: tmp_path / "again.png"}, packs.PNG_DPI)
    assert again[0].read_bytes() == pngs[0].read_bytes()
    with Image.open(pngs[0]) as image:
        pixels = np.asarray(image.convert("L"))
    assert (pixels < 128).mean() > 0.005  # ink on the page, not a blank render


def test_a_missing_page_is_refused_before_anything_is_written(demo_session, tmp_path):
    code = demo_session.couple_codes()[2]
    pdf = packs.build_pack(demo_session, code, tmp_path / "pack")[0]
    with pytest.raises(InputError, match=r"has 7 pages; there is no page 100 to draw"):
        render_pages(pdf, {0: tmp_path / "first.png", 99: tmp_path / "missing.png"}, 100)
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob(".*.tmp"))


def test_a_png_that_fails_to_write_leaves_nothing_behind(demo_session, tmp_path, monkeypatch):
    code = demo_session.couple_codes()[2]
    pdf = packs.build_pack(demo_session, code, tmp_path / "pack")[0]

    def disk_full(self, fp, *args, **kwargs):
        with open(fp, "wb") as fh:
            fh.write(b"\x89PNG half")
        raise OSError("No space left on device")

    monkeypatch.setattr(Image.Image, "save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        render_pages(pdf, {1: tmp_path / "page.png"}, 100)
    assert list(tmp_path.glob("*.png")) == [] and list(tmp_path.glob(".*")) == []


def _font_cache_size_in_child() -> int:
    from workshop_kit.charts import text

    return text._ft_font.cache_info().currsize


def test_forked_processes_open_their_own_font_files():
    # a FreeType face shared across fork() shares its file position: measuring text in
    # two processes at once then failed with "failed to load glyph" (seen in CI)
    import multiprocessing

    from workshop_kit.charts import text

    text.text_width("warm the cache in this process", 11)
    assert text._ft_font.cache_info().currsize >= 1
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_font_cache_size_in_child) == 0
