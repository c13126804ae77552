"""Font fallback for charts drawn by matplotlib (the projector's word cloud and bars).

The kit's charts use DejaVu Sans. Words participants give may be in any script, so the
room's word charts set matplotlib's ``font.family`` to a list: DejaVu Sans, then the
installed fonts of :data:`FALLBACK_FAMILIES` (Noto CJK, Devanagari, Thai, Arabic, Hebrew,
symbols...). matplotlib draws each character with the first font of the list that has it.

Fonts installed after matplotlib built its font cache are found through fontconfig
(``fc-list``) and added to matplotlib's font manager once per process. A character that
no font of the list has is reported by :func:`missing_characters`, so the facilitator
can be told which word could not be shown instead of seeing an empty box.

Colour emoji fonts are left out: matplotlib cannot draw their colour bitmaps.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache

BASE = "DejaVu Sans"
FALLBACK_FAMILIES = (
    BASE,
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Tamil",
    "Noto Sans Thai",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Armenian",
    "Noto Sans Georgian",
    "Noto Sans Ethiopic",
    "Noto Sans Khmer",
    "Noto Sans Symbols",
    "Noto Sans Symbols 2",
)


def _fontconfig_files(family: str) -> list[str]:
    if shutil.which("fc-list") is None:
        return []
    try:
        found = subprocess.run(
            ["fc-list", f"{family}:style=Regular", "file"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in found.splitlines() if line.strip()})


@lru_cache(maxsize=1)
def families() -> tuple[str, ...]:
    """The families of :data:`FALLBACK_FAMILIES` matplotlib can use here, in that order.

    >>> families()[0]
    'DejaVu Sans'
    """
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    out = []
    for family in FALLBACK_FAMILIES:
        if family not in known:
            for path in _fontconfig_files(family):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
            known = {f.name for f in font_manager.fontManager.ttflist}
        if family in known:
            out.append(family)
    return tuple(out)


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    from matplotlib import font_manager, ft2font

    covered: set[int] = set()
    for family in families():
        path = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
        try:
            covered.update(ft2font.FT2Font(path).get_charmap())
        except (OSError, RuntimeError, ValueError):
            continue
    return frozenset(covered)


def missing_characters(text: str) -> list[str]:
    """The characters of ``text`` no font of :func:`families` has, each once, in order.

    >>> missing_characters("thank you")
    []
    """
    have = _covered()
    missing: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if (
            ord(ch) in have
            or ch in missing
            or category.startswith("Z")
            or category
            in (
                "Cc",
                "Cf",
                "Mn",
            )
        ):
            continue
        missing.append(ch)
    return missing


def rc() -> dict:
    """matplotlib settings that draw text with the fallback list."""
    return {"font.family": list(families())}
