"""Appreciation charts: the room's words (projector) and a couple's card (print).

The room chart takes the k-suppressed table of :func:`workshop_kit.appreciation.room_words`;
the card holds one couple's SHARED notes only. Participants' text is drawn with
``parse_math=False`` (a "$" stays a dollar sign) after :mod:`.text` made it safe.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.transforms import Affine2D

from ..appreciation import load_appreciation, notes
from ..session import PARTNERS, Session
from .fonts import families as font_families
from .fonts import missing_characters
from .style import (
    BLUE,
    GREEN,
    GREY,
    INK,
    PARTNER_COLOURS,
    VERMILLION,
    chart_style,
    empty_message,
    get_ax,
    paper_size,
)
from .text import FONT, displayable, typeset

WORD_COLOURS = [BLUE, VERMILLION, GREEN, "#7A3E6B", INK]  # dark enough on white
CARD_ACCENT = "#C8553D"
CARD_FILL = "#FFF9F2"


# -- room words ---------------------------------------------------------------------
def word_width(word: str, size: float) -> float:
    """Width of ``word`` in points at ``size``, in the fallback fonts it is drawn with."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=list(font_families()), size=size)
    return text_to_path.get_text_width_height_descent(word, prop, ismath=False)[0]


def unprintable_words(words: pd.DataFrame) -> list[str]:
    """Sentences naming each shown word that holds a character no installed font has."""
    out = []
    for word in words.get("word", []):
        missing = missing_characters(str(word))
        if missing:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing)
            out.append(
                f"The word {word!r} has characters no font on this computer can show "
                f"({codes}); they appear as empty boxes. Install fonts that have them "
                "(on Debian or Ubuntu: fonts-noto-core, fonts-noto-cjk)."
            )
    return out


def _cloud_rows(words: pd.DataFrame, width: float, big: float, small: float):
    top, least = words["participants"].max(), words["participants"].min()
    placed, row, row_width = [], [], 0.0
    gap = small * 0.9
    for word, count in zip(words["word"], words["participants"]):
        share = (count - least) / (top - least) if top > least else 1.0
        size = small + (big - small) * math.sqrt(share)
        w = word_width(word, size)
        if row and row_width + gap + w > width:
            placed.append(row)
            row, row_width = [], 0.0
        row.append((word, int(count), size, w))
        row_width += (gap if len(row) > 1 else 0) + w
    if row:
        placed.append(row)
    return placed, gap


def room_words_cloud(
    words: pd.DataFrame, k: int, ax=None, title: str = "What we appreciate in each other"
):
    """Words sized by how many people gave them, in centred rows (largest first).

    Parameters
    ----------
    words
        ``word, participants`` from :func:`~workshop_kit.appreciation.room_words`
        (already k-suppressed).
    k
        The session's k, named in the footnote.
    """
    ax = get_ax(ax)
    fig = ax.get_figure()
    # the cloud sizes its words to the axes as they are now: no layout engine may move them
    fig.set_layout_engine("none")
    ax.set_axis_off()
    ax.set_title(title, loc="left")
    if words.empty:
        return empty_message(
            ax,
            f"No word has been given by {k} or more people yet.\n"
            f"Words appear here once at least {k} people give them.",
        )
    box = ax.get_position()
    fw, fh = fig.get_size_inches()
    width_pt, height_pt = box.width * fw * 72, box.height * fh * 72
    words = words.sort_values(["participants", "word"], ascending=[False, True])
    big, small = 110.0, 40.0
    for _ in range(20):  # shrink until every row fits the height
        rows, gap = _cloud_rows(words, width_pt * 0.96, big, small)
        height = sum(max(size for *_, size, _w in row) * 1.35 for row in rows)
        if height <= height_pt * 0.92:
            break
        big, small = big * 0.9, max(14.0, small * 0.92)
    y = 1 - (1 - height / height_pt) / 2
    colour = 0
    for row in rows:
        line = max(size for *_, size, _w in row) * 1.35
        y -= line / height_pt / 2
        row_width = sum(w for *_, w in row) + gap * (len(row) - 1)
        x = (width_pt - row_width) / 2
        for word, count, size, w in row:
            ax.text(
                x / width_pt,
                y,
                word,
                transform=ax.transAxes,
                fontsize=size,
                ha="left",
                va="center",
                color=WORD_COLOURS[colour % len(WORD_COLOURS)],
                parse_math=False,
                family=list(font_families()),  # any script: the installed fonts that have it
                gid=f"word:{word}:{count}",
            )
            colour += 1
            x += w + gap
        y -= line / height_pt / 2
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.text(
        0.0,
        -0.02,
        f"Bigger words were given by more people.\nOnly words given by at "
        f"least {k} people are shown.",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize="small",
        color=GREY,
    )
    return ax


def room_words_bars(
    words: pd.DataFrame, k: int, ax=None, title: str = "What we appreciate in each other"
):
    """The same words as horizontal bars, with how many people gave each."""
    ax = get_ax(ax)
    ax.set_title(title, loc="left")
    if words.empty:
        return empty_message(ax, f"No word has been given by {k} or more people yet.")
    data = words.sort_values(["participants", "word"], ascending=[True, False])
    bars = ax.barh(data["word"], data["participants"], color=BLUE)
    for label in ax.get_yticklabels():
        label.set_fontfamily(list(font_families()))  # any script: the installed fonts
    ax.bar_label(bars, padding=6, fontsize="large")
    ax.set_xlabel("people who gave this word")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.text(
        0.0,
        -0.16,
        f"Only words given by at least {k} people are shown.",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize="small",
        color=GREY,
    )
    return ax


# -- the card -------------------------------------------------------------------------
@dataclass
class _Block:
    kind: str  # "heading", "note" or "gap"
    lines: list[tuple[str, str]]
    colour: str = INK


def _blocks(card_notes, card: dict, size: float, width: float) -> list[_Block]:
    names = card["partner_names"]
    blocks: list[_Block] = []
    for writer in PARTNERS:
        mine = [n for n in card_notes if n.writer == writer]
        if not mine:
            continue
        heading = card["from_to"].format(writer=names[writer], reader=names[mine[0].to])
        blocks.append(_Block("heading", [(heading, "left")], PARTNER_COLOURS[writer]))
        blocks.extend(
            _Block("note", typeset(n.text, width, size), PARTNER_COLOURS[writer]) for n in mine
        )
        blocks.append(_Block("gap", []))
    return blocks


def _height(block: _Block, size: float) -> float:
    if block.kind == "heading":
        return size * 2.3
    if block.kind == "gap":
        return size * 0.8
    return len(block.lines) * size * 1.4 + size * 0.9


def _paginate(blocks: list[_Block], size: float, first: float, later: float):
    """Split blocks into pages; a note too tall for a page is split between its lines."""
    pages: list[list[_Block]] = [[]]
    room = first
    for block in blocks:
        need = _height(block, size)
        if need > room and pages[-1] and block.kind == "note":
            fit = int((room - size * 0.9) // (size * 1.4))
            if fit >= 3:
                pages[-1].append(_Block("note", block.lines[:fit], block.colour))
                block = _Block("note", block.lines[fit:], block.colour)
            pages.append([])
            room = later
            need = _height(block, size)
            while need > room:
                fit = max(1, int((room - size * 0.9) // (size * 1.4)))
                pages[-1].append(_Block("note", block.lines[:fit], block.colour))
                pages.append([])
                block = _Block("note", block.lines[fit:], block.colour)
                need = _height(block, size)
        elif need > room and pages[-1]:
            pages.append([])
            room = later
        if block.kind == "gap" and not pages[-1]:
            continue
        pages[-1].append(block)
        room -= need
    return [p for p in pages if p]


def appreciation_card_pages(session: Session, couple_code: str, paper: str = "A4") -> list[Figure]:
    """The couple's appreciation card: one page, or more when the notes are long.

    Holds the couple's SHARED notes only (private notes never appear), partner A's to B
    then B's to A. The type shrinks (14 pt down to 9 pt) to keep the card on one page;
    past that it continues on further pages. With nothing shared, the card says so kindly.
    """
    paper_inches = paper_size(paper)
    code, _ = session.check_participant(couple_code, "A")
    card = load_appreciation().card
    shared = notes(session, code, shared_only=True)
    paper_w, paper_h = (v * 72 for v in paper_inches)
    margin = 66.0
    text_left = margin + 34
    width = paper_w - text_left - margin - 18
    first_top, later_top, bottom = paper_h - 190, paper_h - 120, 120.0
    size, pages = 9.0, []
    for candidate in (14.0, 13.0, 12.0, 11.0, 10.0, 9.0):
        blocks = _blocks(shared, card, candidate, width)
        pages = _paginate(blocks, candidate, first_top - bottom, later_top - bottom)
        size = candidate
        if len(pages) <= 1:
            break
    pages = pages or [[]]
    figures = []
    with chart_style("print"):
        for number, page in enumerate(pages, start=1):
            fig = Figure(figsize=paper_inches)
            points = Affine2D().scale(1 / 72) + fig.dpi_scale_trans
            _frame(fig, points, paper_w, paper_h)
            top = first_top if number == 1 else later_top
            _header(fig, points, session, card, paper_w, paper_h, continued=number > 1)
            if not shared:
                for i, (line, _a) in enumerate(typeset(card["nothing_shared"], width, 15)):
                    fig.text(
                        paper_w / 2,
                        paper_h / 2 + 20 - i * 24,
                        line,
                        transform=points,
                        ha="center",
                        va="baseline",
                        fontsize=15,
                        color=INK,
                        style="italic",
                        parse_math=False,
                        gid="nothing-shared",
                    )
            _draw_blocks(fig, points, page, size, top, text_left, width)
            more = number < len(pages)
            _footer(fig, points, card, code, paper_w, more=more, page=(number, len(pages)))
            figures.append(fig)
    return figures


def appreciation_card_figure(session: Session, couple_code: str, paper: str = "A4") -> Figure:
    """The first page of the couple's appreciation card (see :func:`appreciation_card_pages`).

    The type shrinks so that a usual card (several notes, a 1,000-character one among
    them) fits on this one page; when the notes run longer still, its foot says it is
    continued and :func:`appreciation_card_pages` gives every page.
    """
    return appreciation_card_pages(session, couple_code, paper)[0]


def _frame(fig: Figure, points, paper_w: float, paper_h: float) -> None:
    inset = 28
    fig.patches.append(
        FancyBboxPatch(
            (inset, inset),
            paper_w - 2 * inset,
            paper_h - 2 * inset,
            boxstyle="round,pad=0,rounding_size=18",
            transform=points,
            facecolor=CARD_FILL,
            edgecolor=CARD_ACCENT,
            linewidth=1.6,
            zorder=0,
        )
    )
    fig.patches.append(
        FancyBboxPatch(
            (inset + 7, inset + 7),
            paper_w - 2 * inset - 14,
            paper_h - 2 * inset - 14,
            boxstyle="round,pad=0,rounding_size=13",
            transform=points,
            facecolor="none",
            edgecolor=CARD_ACCENT,
            linewidth=0.6,
            alpha=0.6,
            zorder=0,
        )
    )


def _header(fig, points, session, card, paper_w, paper_h, continued: bool) -> None:
    title = card["title"] + (" (continued)" if continued else "")
    fig.text(
        paper_w / 2,
        paper_h - 100 + (30 if continued else 0),
        title,
        transform=points,
        ha="center",
        va="baseline",
        fontsize=22 if continued else 34,
        family="DejaVu Serif",
        style="italic",
        color=CARD_ACCENT,
        gid="card-title",
    )
    if continued:
        return
    fig.text(
        paper_w / 2,
        paper_h - 132,
        "♥",
        transform=points,
        ha="center",
        va="baseline",
        fontsize=16,
        color=CARD_ACCENT,
    )
    subtitle = displayable(f"{session.title} · {session.date}")
    fig.text(
        paper_w / 2,
        paper_h - 156,
        subtitle,
        transform=points,
        ha="center",
        va="baseline",
        fontsize=11,
        color=GREY,
        parse_math=False,
    )


def _draw_blocks(fig, points, page, size, top, text_left, width) -> None:
    y = top
    for block in page:
        if block.kind == "heading":
            y -= size * 1.5
            fig.text(
                text_left - 34,
                y,
                block.lines[0][0],
                transform=points,
                ha="left",
                va="baseline",
                fontsize=size + 3,
                fontweight="bold",
                color=block.colour,
                gid="card-heading",
            )
            y -= size * 0.8
        elif block.kind == "gap":
            y -= size * 0.8
        else:
            first_baseline = y - size * 1.1
            for i, (line, align) in enumerate(block.lines):
                x = text_left + width if align == "right" else text_left
                fig.text(
                    x,
                    first_baseline - i * size * 1.4,
                    line,
                    transform=points,
                    ha=align,
                    va="baseline",
                    fontsize=size,
                    family=FONT,
                    color=INK,
                    parse_math=False,
                    gid="card-note-line",
                )
            height = len(block.lines) * size * 1.4
            fig.lines.append(
                _rule(
                    fig,
                    points,
                    text_left - 16,
                    y - size * 0.2,
                    y - height - size * 0.2,
                    block.colour,
                )
            )
            y -= height + size * 0.9


def _rule(fig, points, x, y0, y1, colour):
    from matplotlib.lines import Line2D

    return Line2D(
        [x, x],
        [y0, y1],
        transform=points,
        color=colour,
        linewidth=3,
        solid_capstyle="round",
        figure=fig,
    )


def _footer(fig, points, card, code, paper_w, more: bool, page: tuple[int, int]) -> None:
    if more:
        fig.text(
            paper_w - 100,
            100,
            card["continued"],
            transform=points,
            ha="right",
            va="baseline",
            fontsize=10,
            color=GREY,
            style="italic",
            gid="card-continued",
        )
    else:
        for i, (line, _a) in enumerate(typeset(card["closing"], paper_w - 170, 12)):
            fig.text(
                paper_w / 2,
                84 - i * 17,
                line,
                transform=points,
                ha="center",
                va="baseline",
                fontsize=12,
                color=CARD_ACCENT,
                style="italic",
                gid="card-closing",
            )
    label = f"Couple {code}" + (f" · page {page[0]} of {page[1]}" if page[1] > 1 else "")
    fig.text(
        paper_w / 2, 46, label, transform=points, ha="center", va="baseline", fontsize=8, color=GREY
    )
