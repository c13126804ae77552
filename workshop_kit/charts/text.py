"""Free text made safe to typeset with matplotlib: glyphs, right-to-left lines, wrapping.

Matplotlib draws a string left to right with one font and no shaping. Notes written by
participants may hold emoji the font lacks, Hebrew or Arabic, or a word longer than a
line. This module turns such text into lines that draw correctly, or degrade gently:

- characters the font lacks become a close symbol it has (a heart, a star) or are dropped,
  so nothing draws as an empty box and nothing warns or crashes;
- paragraphs wrap to a width measured with the font itself; over-long words are split;
  a paragraph that starts in a right-to-left script is aligned right;
- matplotlib 3.11 and later lay text out with libraqm (bidi and Arabic joining built in),
  so text goes to it in logical order. Older matplotlib draws characters left to right as
  given: there, Arabic letters are put in their joined forms (initial, medial, final,
  lam-alef) and lines are put in visual order by a simplified Unicode bidi (runs of
  right-to-left characters reversed, numbers and Latin words keep their order).
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache

from matplotlib import font_manager, ft2font

FONT = "DejaVu Sans"
# matplotlib >= 3.11 shapes and reorders text itself (libraqm).
NATIVE_LAYOUT = hasattr(ft2font, "__libraqm_version__")

# Common emoji the font lacks, drawn as a simple symbol it has; anything else unknown is
# dropped. Keys are single code points.
SUBSTITUTES = {
    **dict.fromkeys("💖💕💗💓💞💘💝💜💙💚💛🧡🤍🖤🤎💟🥰😘😻", "♥"),
    **dict.fromkeys("✨🌟⭐💫", "★"),
    **dict.fromkeys("🌹🌸🌺🌼🌻💐🌷", "✿"),
    **dict.fromkeys("🙂🤗😇🥹😌", "☺"),
    **dict.fromkeys("👍👌✅", "✓"),
    **dict.fromkeys("☀🌞", "☼"),
}
_INVISIBLE = {0x200D, 0xFE0E, 0xFE0F, 0x20E3} | set(range(0x1F3FB, 0x1F400))
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


@lru_cache(maxsize=8)
def _font_path(family: str, weight: str = "normal") -> str:
    return font_manager.findfont(font_manager.FontProperties(family=family, weight=weight))


@lru_cache(maxsize=4)
def _charmap(family: str) -> frozenset[int]:
    return frozenset(ft2font.FT2Font(_font_path(family)).get_charmap())


@lru_cache(maxsize=8)
def _ft_font(family: str, weight: str = "normal") -> ft2font.FT2Font:
    return ft2font.FT2Font(_font_path(family, weight))


# A FreeType face reads its font file through one open file. A worker process forked
# from here would share that file, and its position, with this process: two processes
# measuring text at once then read the wrong bytes ("failed to load glyph"). A forked
# child opens its own (matplotlib does the same for its font cache).
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ft_font.cache_clear)


def displayable(text: str, family: str = FONT) -> str:
    """``text`` with every character the font lacks replaced by a close symbol or dropped.

    >>> displayable("Thank you 🥰 for everything ✨🎉!")
    'Thank you ♥ for everything ★!'
    """
    have = _charmap(family)
    out = []
    for ch in text:
        code = ord(ch)
        if code in _INVISIBLE:
            continue
        if ch in "\n\t" or code in have:
            out.append(ch)
        elif ch in SUBSTITUTES and ord(SUBSTITUTES[ch]) in have:
            out.append(SUBSTITUTES[ch])
        elif unicodedata.category(ch).startswith("Z"):
            out.append(" ")
    return "\n".join(" ".join(line.split()) for line in "".join(out).split("\n"))


# -- Arabic joining -------------------------------------------------------------------
# base letter -> (first presentation form, number of forms); forms run isolated, final,
# initial, medial. Two forms: the letter joins only to the letter before it.
_ARABIC_FORMS = {
    0x0621: (0xFE80, 1),
    0x0622: (0xFE81, 2),
    0x0623: (0xFE83, 2),
    0x0624: (0xFE85, 2),
    0x0625: (0xFE87, 2),
    0x0626: (0xFE89, 4),
    0x0627: (0xFE8D, 2),
    0x0628: (0xFE8F, 4),
    0x0629: (0xFE93, 2),
    0x062A: (0xFE95, 4),
    0x062B: (0xFE99, 4),
    0x062C: (0xFE9D, 4),
    0x062D: (0xFEA1, 4),
    0x062E: (0xFEA5, 4),
    0x062F: (0xFEA9, 2),
    0x0630: (0xFEAB, 2),
    0x0631: (0xFEAD, 2),
    0x0632: (0xFEAF, 2),
    0x0633: (0xFEB1, 4),
    0x0634: (0xFEB5, 4),
    0x0635: (0xFEB9, 4),
    0x0636: (0xFEBD, 4),
    0x0637: (0xFEC1, 4),
    0x0638: (0xFEC5, 4),
    0x0639: (0xFEC9, 4),
    0x063A: (0xFECD, 4),
    0x0641: (0xFED1, 4),
    0x0642: (0xFED5, 4),
    0x0643: (0xFED9, 4),
    0x0644: (0xFEDD, 4),
    0x0645: (0xFEE1, 4),
    0x0646: (0xFEE5, 4),
    0x0647: (0xFEE9, 4),
    0x0648: (0xFEED, 2),
    0x0649: (0xFEEF, 2),
    0x064A: (0xFEF1, 4),
}
_LAM_ALEF = {0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB}
_TATWEEL = 0x0640


def _joins_both(code: int) -> bool:
    return code == _TATWEEL or _ARABIC_FORMS.get(code, (0, 0))[1] == 4


def _joins_before(code: int) -> bool:
    return code == _TATWEEL or _ARABIC_FORMS.get(code, (0, 0))[1] >= 2


def shape_arabic(text: str) -> str:
    """Arabic letters in their joined presentation forms (logical order kept).

    >>> shape_arabic("سلام") == "\\ufeb3\\ufefc\\ufee1"
    True
    """
    codes = [ord(ch) for ch in text]
    n = len(codes)

    def neighbour(i: int, step: int) -> int | None:
        j = i + step
        while 0 <= j < n and unicodedata.category(chr(codes[j])) == "Mn":
            j += step
        return codes[j] if 0 <= j < n else None

    out, i = [], 0
    while i < n:
        code = codes[i]
        if code not in _ARABIC_FORMS:
            out.append(chr(code))
            i += 1
            continue
        before = neighbour(i, -1)
        joins_prev = before is not None and _joins_both(before)
        after = neighbour(i, +1)
        if code == 0x0644 and i + 1 < n and codes[i + 1] in _LAM_ALEF:
            out.append(chr(_LAM_ALEF[codes[i + 1]] + (1 if joins_prev else 0)))
            i += 2
            continue
        first, count = _ARABIC_FORMS[code]
        joins_prev = joins_prev and count >= 2
        joins_next = count == 4 and after is not None and _joins_before(after)
        form = (3 if joins_prev else 2) if joins_next else (1 if joins_prev else 0)
        out.append(chr(first + form))
        i += 1
    return "".join(out)


# -- right-to-left lines --------------------------------------------------------------
def _class(ch: str) -> str | None:
    """ "R" (right-to-left letter), "L" (left-to-right letter), "N" (number) or None."""
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    if kind in ("EN", "AN"):
        return "N"
    return None


def base_direction(text: str) -> str:
    """ "R" when the first letter with a direction is right-to-left, else "L"."""
    for ch in text:
        kind = _class(ch)
        if kind in ("R", "L"):
            return kind
    return "L"


def has_rtl(text: str) -> bool:
    return any(_class(ch) == "R" for ch in text)


def visual_line(line: str, base: str | None = None) -> str:
    """One line in the order it must be drawn left to right (a simplified bidi).

    Numbers keep their digits in order and, after right-to-left letters, count as
    right-to-left for the spaces and signs around them, as the Unicode rules say.

    >>> visual_line("אבג 12 דה")
    'הד 12 גבא'
    >>> visual_line("I said שלום today")
    'I said םולש today'
    >>> visual_line("I said שלום 12 times")
    'I said 12 םולש times'
    >>> visual_line("תודה (גם ב-2024) thanks")
    'thanks (2024-ב םג) הדות'
    """
    if not has_rtl(line):
        return line
    base = base or base_direction(line)
    clusters: list[str] = []
    for ch in line:  # keep combining marks with their letter
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    kinds = [_class(c[0]) for c in clusters]
    strong, previous = [], base
    for kind in kinds:  # a number is as strong as the letters before it
        if kind in ("R", "L"):
            previous = kind
        strong.append(previous if kind == "N" else kind)
    for i, kind in enumerate(strong):  # neutrals between two equal directions take it
        if kind is None:
            before = next((x for x in reversed(strong[:i]) if x), base)
            after = next((x for x in strong[i + 1 :] if x), base)
            strong[i] = before if before == after else base
    paragraph = 1 if base == "R" else 0
    levels = []
    for kind, resolved in zip(kinds, strong):
        if kind == "N" and resolved == "R":
            level = 2  # digits keep their order inside right-to-left text
        elif kind == "N" or resolved == "L":
            level = 2 if paragraph == 1 else 0
        else:
            level = 1
        levels.append(level)
    order = list(range(len(clusters)))
    for level in range(max(levels), 0, -1):  # reverse every run at this level or above
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return "".join(clusters[i].translate(_MIRROR) if levels[i] % 2 else clusters[i] for i in order)


# -- measuring and wrapping -----------------------------------------------------------
@lru_cache(maxsize=8192)
def text_width(text: str, size: float, family: str = FONT, weight: str = "normal") -> float:
    """Width of ``text`` in points at font ``size`` (points), in ``weight`` ("bold")."""
    if not text:
        return 0.0
    font = _ft_font(family, weight)
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64.0


def wrap(
    paragraph: str, width: float, size: float, family: str = FONT, weight: str = "normal"
) -> list[str]:
    """Greedy wrap of one paragraph to ``width`` points; words too long are split.

    Words are measured one at a time (and remembered): a line is as wide as its words
    and the spaces between them.
    """
    lines: list[str] = []
    current, current_width = "", 0.0
    space = text_width(" ", size, family, weight)
    for word in paragraph.split(" "):
        if not word:
            continue
        word_width = text_width(word, size, family, weight)
        if current and current_width + space + word_width <= width:
            current, current_width = f"{current} {word}", current_width + space + word_width
            continue
        if not current and word_width <= width:
            current, current_width = word, word_width
            continue
        if current:
            lines.append(current)
        current = ""
        while len(word) > 1 and text_width(word, size, family, weight) > width:
            lo, hi = 1, len(word) - 1  # the longest head that fits (at least one letter)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                lo, hi = (
                    (mid, hi)
                    if text_width(word[:mid], size, family, weight) <= width
                    else (lo, mid - 1)
                )
            lines.append(word[:lo])
            word = word[lo:]
        current, current_width = word, text_width(word, size, family, weight)
    if current:
        lines.append(current)
    return lines


def typeset(
    text: str, width: float, size: float, family: str = FONT, native: bool | None = None
) -> list[tuple[str, str]]:
    """Free text as drawable lines: ``[(line, "left"|"right"), ...]``.

    Paragraphs (line breaks) are kept; an empty string is a blank line between them.
    ``native`` (default: whether this matplotlib lays text out itself) leaves lines in
    logical order; otherwise they are shaped and put in visual order here.

    >>> typeset("שלום לך", 300, 12, native=False)
    [('ךל םולש', 'right')]
    >>> typeset("שלום לך", 300, 12, native=True)
    [('שלום לך', 'right')]
    """
    native = NATIVE_LAYOUT if native is None else native
    lines: list[tuple[str, str]] = []
    for paragraph in displayable(text, family).split("\n"):
        if not paragraph:
            lines.append(("", "left"))
            continue
        base = base_direction(paragraph)
        align = "right" if base == "R" else "left"
        if native:
            lines.extend((line, align) for line in wrap(paragraph, width, size, family))
        else:
            lines.extend(
                (visual_line(line, base), align)
                for line in wrap(shape_arabic(paragraph), width, size, family)
            )
    return lines
