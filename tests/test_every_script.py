"""Every script prints: notes in Chinese, Hindi, Arabic, Hebrew and emoji on the card.

The fonts are installed by ``.ci/run`` (fonts-noto-core, fonts-noto-cjk,
fonts-noto-color-emoji). Each note must be in the PDF's text layer and every one of its
characters drawn with a font that has it (no empty "tofu" boxes). A character no
installed font has is named to the facilitator instead.
"""

from __future__ import annotations

import ctypes
import os
import unicodedata
import warnings
from functools import cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from pypdf import PdfReader

from workshop_kit.appreciation import save_note
from workshop_kit.export import packs, typeset

NOTES = {
    "Chinese": "谢谢你每天的陪伴，我很爱你。",
    "Hindi": "आपका बहुत धन्यवाद, मेरे साथ रहने के लिए।",
    "Arabic": "شكرا لك على كل شيء يا حبيبي.",
    "Hebrew": "תודה רבה לך על הכול.",
    "emoji": "Thank you for today 💖🎉🌻",
}
NO_FONT_HAS = "\ue000"  # a private-use character: no font draws it


def _fonts_missing() -> list[str]:
    return [script for script, text in NOTES.items() if typeset.uncovered(text)]


@pytest.fixture(scope="module")
def fonts_installed():
    missing = _fonts_missing()
    if missing:
        message = f"fonts for {missing} are not installed (.ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@cache
def _charmap_of(postscript: str) -> frozenset[int]:
    """The characters of the installed font with this PostScript name."""
    from matplotlib import ft2font

    for info in typeset._fonts().fonts():
        if info.path is None:
            continue
        try:
            font = ft2font.FT2Font(info.path, face_index=info.index)
        except (OSError, RuntimeError, ValueError):
            continue
        if font.postscript_name == postscript:
            if info.family.startswith(typeset.NOT_COVERING):
                return frozenset()  # its glyphs are the placeholder boxes themselves
            return frozenset(font.get_charmap())
    return frozenset()


def drawn_without_a_glyph(pdf, pages=None) -> list[tuple[str, str]]:
    """Each (character, font) on the pages whose font has no glyph for it (tofu)."""
    bad = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for index in pages if pages is not None else range(len(document)):
            textpage = document[index].get_textpage()
            for i in range(textpage.count_chars()):
                code = pdfium_raw.FPDFText_GetUnicode(textpage, i)
                ch = chr(code) if code < 0xD800 or code > 0xDFFF else ""
                if not ch or unicodedata.category(ch).startswith(("Z", "C")):
                    continue
                name = ctypes.create_string_buffer(256)
                flags = ctypes.c_int()
                pdfium_raw.FPDFText_GetFontInfo(textpage, i, name, 256, ctypes.byref(flags))
                postscript = name.value.decode("latin-1").split("+", 1)[-1]
                if code not in _charmap_of(postscript):
                    bad.append((ch, postscript))
    finally:
        document.close()
    return bad


def _folded(text: str) -> str:
    return "".join(text.split())


def _text_layers(pdf) -> tuple[str, str]:
    """The PDF's text as pypdf and as PDFium read it, whitespace removed."""
    layer = _folded(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = [document[i].get_textpage().get_text_bounded() for i in range(len(document))]
    finally:
        document.close()
    return layer, _folded(" ".join(pages))


def test_notes_in_every_script_print_in_full(fonts_installed, session, tmp_path):
    codes = session.couple_codes()
    writers = [(code, partner) for code in codes for partner in "AB"]
    placed = dict(zip(NOTES, writers, strict=False))
    for script, (code, partner) in placed.items():
        save_note(session, code, partner, NOTES[script], shared=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", packs.NoteCannotPrint)  # none may be raised
        pdfs = {code: packs.build_pack(session, code, tmp_path)[0] for code, _ in placed.values()}
    for script, (code, _partner) in placed.items():
        pypdf_text, pdfium_text = _text_layers(pdfs[code])
        wanted = _folded(NOTES[script])
        # right-to-left text may come out in drawing order from one reader
        found = [wanted in t or wanted[::-1] in t for t in (pypdf_text, pdfium_text)]
        assert any(found), (script, pypdf_text[-300:])
    for code, pdf in pdfs.items():
        assert drawn_without_a_glyph(pdf) == [], code


def test_a_character_no_font_has_is_named_to_the_facilitator(session, tmp_path):
    code = session.couple_codes()[0]
    save_note(session, code, "B", f"For you {NO_FONT_HAS} always", shared=True)
    with pytest.warns(packs.NoteCannotPrint, match=rf"Couple {code}: partner B's note"):
        packs.build_pack(session, code, tmp_path)
    with pytest.warns(packs.NoteCannotPrint):
        result = packs.build_all_packs(session, tmp_path / "all", workers=1)
    assert len(result.warnings) == 1
    assert "U+E000" in result.warnings[0] and "fonts-noto" in result.warnings[0]


def test_without_the_font_the_facilitator_is_told(session, tmp_path, monkeypatch):
    # as on a laptop without the CJK fonts: only DejaVu's characters are covered
    from matplotlib import font_manager, ft2font

    dejavu = ft2font.FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap()
    monkeypatch.setattr(typeset, "_coverage", lambda: frozenset(dejavu))
    monkeypatch.setattr(typeset, "_fallback_coverage", lambda: frozenset(dejavu))
    code = session.couple_codes()[1]
    save_note(session, code, "A", NOTES["Chinese"], shared=True)
    problems = []
    with pytest.warns(packs.NoteCannotPrint, match="谢"):
        packs.build_pack(session, code, tmp_path, problems=problems)
    assert [p.couple_code for p in problems] == [code]


def test_an_emoji_no_font_has_becomes_a_close_symbol(monkeypatch):
    from matplotlib import font_manager, ft2font

    from workshop_kit.export.pages import printable_note

    dejavu = ft2font.FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap()
    monkeypatch.setattr(typeset, "_coverage", lambda: frozenset(dejavu))
    monkeypatch.setattr(typeset, "_fallback_coverage", lambda: frozenset(dejavu))
    assert printable_note("Thank you 💖") == ("Thank you ♥", [])
    assert printable_note("谢谢")[1] == ["谢"]


# -- the projector's word cloud (matplotlib) ---------------------------------------------
def test_the_word_cloud_draws_every_script_with_a_font_that_has_it(fonts_installed, tmp_path):
    import pandas as pd
    from matplotlib.figure import Figure

    from workshop_kit.charts.appreciation import room_words_cloud, unprintable_words
    from workshop_kit.charts.fonts import families
    from workshop_kit.charts.style import chart_style

    words = pd.DataFrame(
        {"word": ["谢谢", "धन्यवाद", "شكرا", "תודה", "kind"], "participants": [5, 4, 4, 3, 3]}
    )
    assert unprintable_words(words) == []
    with chart_style("projector"):
        fig = Figure()
        ax = room_words_cloud(words, 3, ax=fig.add_subplot())
        fig.canvas.draw()
    drawn = {
        t.get_gid().split(":")[1]: t for t in ax.texts if (t.get_gid() or "").startswith("word:")
    }
    assert set(drawn) == set(words["word"])
    for artist in drawn.values():
        prop = artist.get_fontproperties()
        assert list(prop.get_family())[: len(families())] == list(families())
    # every character drawn with a font that has it: read back from the figure as a PDF
    pdf = tmp_path / "cloud.pdf"
    with chart_style("projector"):
        fig.savefig(pdf)
    assert drawn_without_a_glyph(pdf) == []
    # words do not run into each other: each is measured in the font it is drawn with
    boxes = [t.get_window_extent() for t in drawn.values()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert overlap_x <= 1 or overlap_y <= 1


def test_a_word_no_font_can_show_is_named():
    import pandas as pd

    from workshop_kit.charts.appreciation import unprintable_words

    found = unprintable_words(pd.DataFrame({"word": [f"love{NO_FONT_HAS}", "kind"]}))
    assert len(found) == 1 and "U+E000" in found[0] and "love" in found[0]
