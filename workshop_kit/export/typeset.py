"""Printed pages typeset with Typst: the compiler, the fonts it may use, charts as SVG.

The kit's printed pages (take-home packs, the room summary) are Typst templates in
``workshop_kit/templates/`` holding layout only, filled with one JSON document of words
and numbers (:mod:`workshop_kit.export.pages` builds it). Typst shapes every script
(Arabic joining, right-to-left order, Devanagari, CJK), embeds the fonts it used, writes
a tagged PDF with the document's language, and takes tens of milliseconds a pack.

Fonts
-----
Text is set in DejaVu Sans (shipped with matplotlib, so always there) and falls back, one
character at a time, to the installed fonts of :data:`FALLBACK_FAMILIES` (Noto CJK,
Devanagari, Thai, Arabic, Hebrew, colour emoji, ...) in that order. Typst reads the system
font folders itself; :func:`font_paths` adds matplotlib's own font folder and the folders
fontconfig knows. :func:`uncovered` says which characters of a text no installed font can
draw, so the facilitator can be told instead of a note printing as empty boxes.

Workers
-------
Typst compiles with a pool of threads. A process forked after its parent compiled waits
for that pool forever, so the pack workers are started with ``forkserver`` (or ``spawn``),
never ``fork`` (see :func:`workshop_kit.export.packs._context`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
from functools import lru_cache
from io import StringIO
from pathlib import Path

from ..errors import InputError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TYPST_VERSION = "0.15.0"  # pinned in pyproject.toml; the templates are tested with it

# The families tried for each character, in order. Only installed ones are used.
FALLBACK_FAMILIES = (
    "DejaVu Sans",
    "Noto Sans",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Tamil",
    "Noto Sans Thai",
    "Noto Sans Arabic",
    "Noto Naskh Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Armenian",
    "Noto Sans Georgian",
    "Noto Sans Ethiopic",
    "Noto Sans Khmer",
    "Noto Sans Symbols",
    "Noto Sans Symbols 2",
    "Noto Sans Math",
    "Noto Color Emoji",
)
# Folders Typst searches by itself (its system font search).
SYSTEM_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
)
# Fonts whose glyphs are placeholders (a "last resort" box for every character) or
# private-use variants: a character only they have still prints as a box.
NOT_COVERING = ("Last Resort", "STIXNonUnicode")
# The Debian packages that hold them (named in the facilitator's warning).
FONT_PACKAGES = "fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji"
# Characters that never need a glyph (joiners, variation selectors, skin tones' modifiers
# are drawn by the emoji font that has them, and are harmless where it is missing).
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0xFE0E, 0xFE0F, 0x20E3}


def font_paths() -> list[str]:
    """Folders Typst reads fonts from besides the system's: matplotlib's, fontconfig's.

    matplotlib ships DejaVu Sans, so the kit's own face is there on every machine.
    """
    import matplotlib

    folders = [Path(matplotlib.get_data_path()) / "fonts" / "ttf"]
    # fontconfig's folders that Typst's own search of the system folders would miss
    standard = [Path(p).expanduser() for p in SYSTEM_FONT_DIRS]
    folders += [
        Path(p)
        for p in _fontconfig_dirs()
        if not any(Path(p).is_relative_to(root) for root in standard)
    ]
    seen, out = set(), []
    for folder in folders:
        if folder.is_dir() and str(folder) not in seen:
            seen.add(str(folder))
            out.append(str(folder))
    return out


@lru_cache(maxsize=1)
def _fontconfig_dirs() -> tuple[str, ...]:
    """The font folders fontconfig scans (the user's as well as the system's), if any."""
    if shutil.which("fc-list") is None:
        return ()
    try:
        found = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({str(Path(line).parent) for line in found.splitlines() if line}))


@lru_cache(maxsize=1)
def _fonts():
    import typst

    return typst.Fonts(include_system_fonts=True, font_paths=font_paths())


@lru_cache(maxsize=1)
def installed_families() -> tuple[str, ...]:
    """The families of :data:`FALLBACK_FAMILIES` that Typst finds here, in that order."""
    have = {family.casefold() for family in _fonts().families()}
    return tuple(f for f in FALLBACK_FAMILIES if f.casefold() in have)


def _charmaps(infos) -> frozenset[int]:
    from matplotlib import ft2font

    covered: set[int] = set()
    seen: set[tuple[str, int]] = set()
    for info in infos:
        if info.path is None or (info.path, info.index) in seen:
            continue
        if info.family.startswith(NOT_COVERING):
            continue
        seen.add((info.path, info.index))
        try:
            covered.update(ft2font.FT2Font(info.path, face_index=info.index).get_charmap())
        except (OSError, RuntimeError, ValueError):
            continue
    return frozenset(covered)


@lru_cache(maxsize=1)
def _fallback_coverage() -> frozenset[int]:
    """The characters of the fallback families (a few files: read first, quickly)."""
    wanted = {family.casefold() for family in installed_families()}
    return _charmaps(i for i in _fonts().fonts() if i.family.casefold() in wanted)


@lru_cache(maxsize=1)
def _coverage() -> frozenset[int]:
    """Every character some installed font can draw (Typst falls back to any font).

    Reads every installed font's character map (hundreds of files with Noto): only done
    when a text holds a character the fallback families lack.
    """
    return _charmaps(_fonts().fonts())


def uncovered(text: str) -> list[str]:
    """The characters of ``text`` that no installed font can draw, each once, in order.

    >>> uncovered("Thank you")
    []
    """
    quick = _fallback_coverage()
    if all(ord(ch) in quick for ch in text):
        return []
    have = _coverage()
    missing: list[str] = []
    for ch in text:
        code = ord(ch)
        if code in have or code in _INVISIBLE or ch in missing:
            continue
        category = unicodedata.category(ch)
        if category.startswith("Z") or category in ("Cc", "Cf") or 0x1F3FB <= code <= 0x1F3FF:
            continue  # spaces, controls, format marks, skin-tone modifiers
        missing.append(ch)
    return missing


# -- compiling ---------------------------------------------------------------------
_COMPILERS: dict[tuple[int, str], object] = {}


def _template(template: str) -> Path:
    path = TEMPLATES / template
    if path.parent != TEMPLATES or not path.is_file():
        known = sorted(p.name for p in TEMPLATES.glob("*.typ"))
        raise InputError(f"template must be one of {known}; not {template!r}")
    return path


def _compiler(template: str):
    """One Typst compiler per process and template (it keeps the font book and its caches)."""
    import typst

    key = (os.getpid(), template)
    if key not in _COMPILERS:
        if any(pid != key[0] for pid, _ in _COMPILERS):
            _COMPILERS.clear()  # made in another process: never reuse across a fork
        _COMPILERS[key] = typst.Compiler(
            input=str(_template(template)), root=str(TEMPLATES), font_paths=_fonts()
        )
    return _COMPILERS[key]


def compile_pdf(template: str, data: dict, marks: str | None = None) -> tuple[bytes, list]:
    """The PDF of ``templates/<template>`` filled with ``data`` (JSON-able), as bytes.

    Parameters
    ----------
    template : str
        A file name in ``workshop_kit/templates/``, such as ``"pack.typ"``.
    data : dict
        The document's words and numbers; read by the template as ``sys.inputs.data``.
    marks : str, optional
        A label (such as ``"<pack-page>"``) whose metadata values to return as well: the
        template places one where each page of the document starts.

    Returns
    -------
    pdf : bytes
        A tagged PDF (structure tree, language), fonts embedded, no date in it: the
        same data gives the same bytes.
    found : list
        The values of the ``marks`` metadata in document order (empty without ``marks``).

    Raises
    ------
    InputError
        When the template is not one of the kit's, or Typst cannot typeset the data
        (the message names the template and Typst's own words).
    """
    import typst

    compiler = _compiler(template)
    try:
        pdf = compiler.compile(format="pdf", sys_inputs={"data": json.dumps(data)})
        found = json.loads(compiler.query(marks, field="value")) if marks else []
    except typst.TypstError as exc:
        raise InputError(f"{template} could not be typeset: {exc.message}") from exc
    return bytes(pdf), found


def figure_svg(fig, alt: str = "") -> str:
    """A matplotlib Figure as SVG text with its text kept as text (Typst sets it).

    The SVG is deterministic (fixed ids, no date) so the PDF stays byte-identical.
    """
    import matplotlib as mpl

    out = StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "workshop-kit"}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()
