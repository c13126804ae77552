"""The two take-home pack speed-ups change nothing a couple sees.

- :mod:`workshop_kit.export.pdf_fonts` embeds one shared font subset per face: the pages
  must render pixel for pixel as with matplotlib's own subsets, with the same text, for
  plain English text and for notes the shared subset does not cover.
- :mod:`workshop_kit.export.raster` renders the PNGs from the PDF: the right pages, the
  paper's size in pixels, the same bytes every time.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pypdfium2 as pdfium
import pytest
from fontTools.ttLib.tables import _h_e_a_d as head_table
from matplotlib.backends import _backend_pdf_ps
from PIL import Image
from pypdf import PdfReader

from workshop_kit.appreciation import save_note
from workshop_kit.errors import InputError
from workshop_kit.export import packs, pdf_fonts
from workshop_kit.export.raster import render_pages
from workshop_kit.results import checkin_results


def _write_both(session, code, folder, monkeypatch):
    results = checkin_results(session)
    cached = folder / "cached.pdf"
    packs._write_pdf(cached, [f for _, f in packs.couple_pages(session, code, "A4", results)], "t")
    with monkeypatch.context() as m:
        m.setattr(packs, "shared_font_subsets", contextlib.nullcontext)
        plain = folder / "plain.pdf"
        figures = [f for _, f in packs.couple_pages(session, code, "A4", results)]
        packs._write_pdf(plain, figures, "t")
    return cached, plain


def _pixels(path):
    document = pdfium.PdfDocument(str(path))
    try:
        return [np.asarray(document[i].render(scale=2).to_pil()) for i in range(len(document))]
    finally:
        document.close()


def _texts(path):
    return [page.extract_text() for page in PdfReader(path).pages]


def _subsets_made(monkeypatch):
    made = []
    original = _backend_pdf_ps.get_glyphs_subset

    def counting(fontfile, glyphs):
        made.append(len(set(glyphs)))
        return original(fontfile, glyphs)

    monkeypatch.setattr(_backend_pdf_ps, "get_glyphs_subset", counting)
    return made


@pytest.mark.parametrize(
    "note",
    [
        "Thank you for the Sunday pancakes, café trips and your patience — always.",
        "Спасибо, моя любовь: Ελπίδα, and a heart ❤ from Zoë",
    ],
    ids=["common-characters", "beyond-the-shared-subset"],
)
def test_shared_font_subsets_draw_the_same_pages(demo_session, tmp_path, monkeypatch, note):
    code = demo_session.couple_codes()[4]
    save_note(demo_session, code, "A", note, shared=True)
    cached, plain = _write_both(demo_session, code, tmp_path, monkeypatch)
    assert _texts(cached) == _texts(plain)
    for page, (a, b) in enumerate(zip(_pixels(cached), _pixels(plain), strict=True)):
        assert a.shape == b.shape
        assert not (a != b).any(), f"page {page + 1} differs"


def test_the_shared_subset_is_made_once_per_face(demo_session, tmp_path, monkeypatch):
    pdf_fonts._CACHE.clear()
    made = _subsets_made(monkeypatch)
    results = checkin_results(demo_session)
    code = demo_session.couple_codes()[1]
    for name in ("first", "second"):
        figures = [f for _, f in packs.couple_pages(demo_session, code, "A4", results)]
        packs._write_pdf(tmp_path / f"{name}.pdf", figures, "t")
        if name == "first":
            first = len(made)
            # a font saved with a fresh timestamp would now differ, even within one second
            monkeypatch.setattr(head_table, "timestampNow", lambda: 3_000_000_000)
    assert first > 0
    assert len(made) == first  # the second PDF made no subset at all
    # each shared subset holds every common character the face has, not just this page's
    assert min(made) > 150
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()


def test_the_block_restores_matplotlib(monkeypatch):
    before = _backend_pdf_ps.get_glyphs_subset
    with pdf_fonts.shared_font_subsets():
        assert _backend_pdf_ps.get_glyphs_subset is not before
    assert _backend_pdf_ps.get_glyphs_subset is before
    with pytest.raises(RuntimeError), pdf_fonts.shared_font_subsets():
        raise RuntimeError("a page failed")
    assert _backend_pdf_ps.get_glyphs_subset is before


def test_an_unfamiliar_matplotlib_is_left_alone(monkeypatch):
    def changed(fontfile, glyphs, options):  # a future release with another shape
        raise AssertionError("not called here")

    monkeypatch.setattr(_backend_pdf_ps, "get_glyphs_subset", changed)
    with pdf_fonts.shared_font_subsets():
        assert _backend_pdf_ps.get_glyphs_subset is changed


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


def test_forked_workers_open_their_own_font_files():
    # a FreeType face shared across fork() shares its file position: measuring text in
    # two processes at once then failed with "failed to load glyph" (seen in CI)
    import multiprocessing

    from workshop_kit.charts import text

    text.text_width("warm the cache in this process", 11)
    assert text._ft_font.cache_info().currsize >= 1
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_font_cache_size_in_child) == 0
