"""Faster font embedding for the kit's PDFs: one shared subset of each font per process.

matplotlib embeds only the glyphs a PDF uses (a font subset, made with fontTools). Making a
subset reads and decodes the whole font file, about 0.1–0.2 s for each of the four to six
DejaVu faces a take-home pack uses, which was almost half the time of a pack. Nearly every
page of a pack is written with the same few hundred characters (English letters, digits,
Western European accents and punctuation), so :func:`shared_font_subsets` makes, once per
process and font, a subset holding all of :data:`COMMON_CHARACTERS`, and embeds that subset
in every PDF whose text it covers. Text it does not cover (an emoji, Arabic or Greek in an
appreciation note) falls back to matplotlib's own subset for that PDF, as before.

The shared subset depends only on the font file and :data:`COMMON_CHARACTERS`, never on the
order in which packs are written, so the output stays byte-identical between runs and
between one process and several. It is a superset of what a page needs, which matplotlib
allows (it only looks glyphs up in the subset's glyph map), at the cost of a somewhat
larger PDF.

This replaces ``matplotlib.backends._backend_pdf_ps.get_glyphs_subset`` (a private function)
for the duration of the ``with`` block only; if a matplotlib release changes that function's
shape, :func:`shared_font_subsets` leaves it alone and PDFs are written the usual, slower way.
"""

from __future__ import annotations

import inspect
import os
import string
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from threading import Lock

# What the kit's own text and most English/Western European names and notes use.
COMMON_CHARACTERS = (
    string.printable.strip()
    + " "
    + "".join(chr(c) for c in range(0xA0, 0x100))  # Latin-1: accents, £, ©, °, ·, ×, ÷
    + "‘’‚“”„–—…•‹›€™−≈√→←↑↓"
    # the symbols the kit's cards draw (an emoji the font lacks is shown as one of these)
    + "✓★♥❤☀☼☺✿"
)

_CACHE: dict[tuple[str, int], tuple[frozenset[int], bytes, dict[int, int]] | None] = {}
_LOCK = Lock()


def _new_lock_in_child() -> None:
    global _LOCK
    _LOCK = Lock()  # a lock held by another thread at the fork would never be released


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock_in_child)


def _compatible(function) -> bool:
    try:
        from matplotlib.backends._backend_pdf_ps import SubsetResults, font_as_file  # noqa: F401
    except ImportError:
        return False
    return list(inspect.signature(function).parameters) == ["fontfile", "glyphs"]


def _shared_subset(original, fontfile) -> tuple[frozenset[int], bytes, dict[int, int]] | None:
    """The cached subset of ``fontfile`` holding COMMON_CHARACTERS (made on first use)."""
    from fontTools.ttLib import TTFont
    from matplotlib.backends._backend_pdf_ps import font_as_file
    from matplotlib.ft2font import FT2Font

    try:
        key = (str(fontfile.path), int(fontfile.face_index))
    except (AttributeError, TypeError, ValueError):
        return None
    with _LOCK:
        if key not in _CACHE:
            try:
                font = FT2Font(fontfile.path, face_index=fontfile.face_index)
                charmap = font.get_charmap()
            except (OSError, RuntimeError, ValueError, TypeError):
                _CACHE[key] = None
                return None
            wanted = {charmap[ord(ch)] for ch in COMMON_CHARACTERS if ord(ch) in charmap}
            with original(fontfile, wanted) as subset:
                data = font_as_file(subset.font).getvalue()
                kept = subset.font.getGlyphOrder()
            # Every glyph kept, by its name: the characters' own glyphs and those the font's
            # substitutions reach from them (ligatures such as "fi", alternates).
            with TTFont(fontfile.path, fontNumber=fontfile.face_index, lazy=True) as ids:
                original_ids = ids.getReverseGlyphMap()
            index_map = {original_ids[name]: new for new, name in enumerate(kept)}
            _CACHE[key] = (frozenset(index_map), data, index_map)
        return _CACHE[key]


def _subset_with_cache(original):
    from fontTools.ttLib import TTFont
    from matplotlib.backends._backend_pdf_ps import SubsetResults

    def get_glyphs_subset(fontfile, glyphs):
        glyphs = set(glyphs)
        shared = _shared_subset(original, fontfile)
        if shared is None or not glyphs <= shared[0]:
            return original(fontfile, glyphs)
        _covered, data, index_map = shared
        # as the subsetter loads fonts: no new timestamp or bounds, so the bytes stay the same
        font = TTFont(BytesIO(data), recalcBBoxes=False, recalcTimestamp=False, lazy=True)
        return SubsetResults(font, dict(index_map))._as_cm()

    return get_glyphs_subset


@contextmanager
def shared_font_subsets() -> Iterator[None]:
    """Within the block, PDFs written by matplotlib embed the shared font subsets.

    >>> with shared_font_subsets():
    ...     pass
    """
    from matplotlib.backends import _backend_pdf_ps

    original = _backend_pdf_ps.get_glyphs_subset
    if not _compatible(original):
        yield
        return
    _backend_pdf_ps.get_glyphs_subset = _subset_with_cache(original)
    try:
        yield
    finally:
        _backend_pdf_ps.get_glyphs_subset = original
