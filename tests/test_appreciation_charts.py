"""Appreciation charts: the room words and the couple's card (artists read, never pixels)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from workshop_kit import appreciation as ap
from workshop_kit.charts import text as ctext
from workshop_kit.charts.appreciation import (
    appreciation_card_figure,
    appreciation_card_pages,
    room_words_bars,
    room_words_cloud,
)
from workshop_kit.charts.style import chart_style
from workshop_kit.errors import InputError

LONG_NOTE = (
    "Thank you for the thousand small things you do without being asked: the tea, the "
    "warm coat by the door, the way you listen. " * 12
)[:999] + "."
EMOJI_NOTE = "You make me laugh every day 😂🥰 and I love you ❤️✨ 👨‍👩‍👧 🎉"
ARABIC_NOTE = "شكرا لأنك دائما معي"
HEBREW_NOTE = "תודה שאתה תמיד שם בשבילי (גם ב-2024)"


def _texts(fig: Figure, gid: str | None = None) -> list:
    return [t for t in fig.texts if gid is None or t.get_gid() == gid]


def _note_words(fig: Figure) -> str:
    return " ".join(t.get_text() for t in _texts(fig, "card-note-line"))


def _render_without_warnings(fig: Figure) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "Glyph ... missing from font"
        FigureCanvasAgg(fig).draw()


# -- room words -----------------------------------------------------------------------
WORDS = pd.DataFrame(
    {"word": ["kind", "funny", "patient", "loyal", "hug"], "participants": [9, 5, 5, 4, 3]}
)


def test_cloud_sizes_words_by_how_many_gave_them():
    with chart_style("projector"):
        fig = Figure()
        ax = room_words_cloud(WORDS, 3, ax=fig.add_subplot())
    drawn = {
        t.get_gid().split(":")[1]: t for t in ax.texts if (t.get_gid() or "").startswith("word:")
    }
    assert set(drawn) == set(WORDS["word"])
    assert (
        drawn["kind"].get_fontsize()
        > drawn["funny"].get_fontsize()
        > drawn["hug"].get_fontsize()
        >= 24
    )
    assert drawn["funny"].get_fontsize() == drawn["patient"].get_fontsize()
    assert any("at least 3 people" in t.get_text() for t in ax.texts)
    _render_without_warnings(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in drawn.values()]
    axes_box = ax.get_window_extent(renderer)
    for i, box in enumerate(boxes):  # every word inside the chart, none overlapping
        assert axes_box.x0 - 1 <= box.x0 and box.x1 <= axes_box.x1 + 1
        assert not any(box.overlaps(other) for other in boxes[i + 1 :])


def test_cloud_many_words_still_fit():
    many = pd.DataFrame(
        {
            "word": [f"word{'x' * (i % 7)}{chr(97 + i % 26)}" for i in range(40)],
            "participants": [3 + i % 6 for i in range(40)],
        }
    )
    with chart_style("projector"):
        fig = Figure()
        ax = room_words_cloud(many, 3, ax=fig.add_subplot())
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    words = [t for t in ax.texts if (t.get_gid() or "").startswith("word:")]
    assert len(words) >= 20, len(words)  # an empty cloud would pass the checks below
    for t in words:
        box = t.get_window_extent(renderer)
        assert axes_box.y0 - 2 <= box.y0 and box.y1 <= axes_box.y1 + 2
        assert axes_box.x0 - 2 <= box.x0 and box.x1 <= axes_box.x1 + 2


def test_cloud_and_bars_say_kindly_when_no_word_reached_k():
    empty = WORDS.iloc[0:0]
    ax = room_words_cloud(empty, 3)
    assert "at least 3 people" in ax.texts[-1].get_text()
    assert "3 or more" in room_words_bars(empty, 3).texts[-1].get_text()


def test_bars_show_each_word_count():
    ax = room_words_bars(WORDS, 3)
    heights = {
        label.get_text(): bar.get_width() for label, bar in zip(ax.get_yticklabels(), ax.patches)
    }
    assert heights == dict(zip(WORDS["word"], WORDS["participants"]))


# -- card -----------------------------------------------------------------------------
@pytest.fixture
def couple(session):
    return session.couple_codes()[0]


def test_card_holds_shared_notes_only_of_this_couple(session, couple):
    other = session.couple_codes()[1]
    ap.save_note(session, couple, "A", "Shared from A", shared=True)
    ap.save_note(session, couple, "A", "Private from A")
    ap.save_note(session, couple, "B", "Shared from B", shared=True)
    ap.save_note(session, other, "A", "Another couple's note", shared=True)
    fig = appreciation_card_figure(session, couple)
    words = _note_words(fig)
    assert "Shared from A" in words and "Shared from B" in words
    assert "Private" not in words and "Another couple" not in words
    headings = [t.get_text() for t in _texts(fig, "card-heading")]
    assert headings == ["From Partner A to Partner B", "From Partner B to Partner A"]
    assert tuple(fig.get_size_inches()) == pytest.approx((210 / 25.4, 297 / 25.4))  # exact A4
    assert _texts(fig, "card-closing")


def test_card_fits_a_1000_character_note_on_one_page(session, couple):
    assert len(LONG_NOTE) == 1000
    ap.save_note(session, couple, "A", LONG_NOTE, shared=True)
    ap.save_note(session, couple, "B", "Thank you for today.", shared=True)
    pages = appreciation_card_pages(session, couple)
    assert len(pages) == 1
    fig = pages[0]
    lines = _texts(fig, "card-note-line")
    assert " ".join(t.get_text() for t in lines[:-1]) == LONG_NOTE  # wrapped, nothing lost
    assert min(t.get_fontsize() for t in lines) >= 9
    _render_without_warnings(fig)
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    closing = min(t.get_window_extent(renderer).y1 for t in _texts(fig, "card-closing"))
    for line in lines:  # inside the page, above the closing sentence
        box = line.get_window_extent(renderer)
        assert page.x0 + 40 < box.x0 and box.x1 < page.x1 - 40
        assert box.y0 > closing


def test_card_renders_emoji_and_right_to_left_text(session, couple):
    for text in (EMOJI_NOTE, ARABIC_NOTE, HEBREW_NOTE, "It cost $5 and $10_{x}"):
        ap.save_note(session, couple, "B", text, shared=True)
    fig = appreciation_card_figure(session, couple)
    _render_without_warnings(fig)
    lines = {t.get_text(): t for t in _texts(fig, "card-note-line")}
    emoji_line = next(text for text in lines if text.startswith("You make me laugh"))
    assert "♥" in emoji_line and "★" in emoji_line  # substitutes for glyphs the font lacks
    assert "🥰" not in emoji_line and "\u200d" not in emoji_line
    rtl = [t for text, t in lines.items() if ctext.has_rtl(text)]
    assert len(rtl) == 2 and all(t.get_horizontalalignment() == "right" for t in rtl)
    assert "It cost $5 and $10_{x}" in lines  # a dollar sign is not maths


def test_card_continues_when_notes_run_past_one_page(session, couple):
    for i in range(9):
        ap.save_note(session, couple, "AB"[i % 2], f"Note {i}. {LONG_NOTE}", shared=True)
    pages = appreciation_card_pages(session, couple)
    assert len(pages) >= 2
    assert _texts(pages[0], "card-continued") and not _texts(pages[-1], "card-continued")
    assert "(continued)" in _texts(pages[1], "card-title")[0].get_text()
    words = " ".join(_note_words(page) for page in pages)
    assert all(f"Note {i}." in words for i in range(9))
    assert min(t.get_fontsize() for t in _texts(pages[0], "card-note-line")) == 9
    assert appreciation_card_figure(session, couple) is not None


def test_card_with_nothing_shared_says_a_kind_sentence(session, couple):
    ap.save_note(session, couple, "A", "A private note")
    fig = appreciation_card_figure(session, couple, paper="Letter")
    assert tuple(fig.get_size_inches()) == pytest.approx((8.5, 11.0))
    kind = " ".join(t.get_text() for t in _texts(fig, "nothing-shared"))
    assert "Nothing was shared" in kind
    assert not _texts(fig, "card-note-line")


def test_card_refuses_unknown_paper_and_couple(session, couple):
    with pytest.raises(InputError, match=r"paper must be one of \['A4', 'Letter'\]; not 'A5'"):
        appreciation_card_figure(session, couple, paper="A5")
    with pytest.raises(InputError, match="is not in this session"):
        appreciation_card_figure(session, "ZZZZ")


# -- text helpers ---------------------------------------------------------------------
def test_displayable_keeps_what_the_font_has_and_drops_the_rest():
    assert ctext.displayable("Hi 😊 ❤️ 🥰 👨‍👩‍👧 end") == "Hi 😊 ❤ ♥ end"
    assert ctext.displayable("line one\n\tline two") == "line one\nline two"


def test_wrap_splits_words_longer_than_a_line():
    lines = ctext.wrap("a " + "x" * 400 + " b", 200, 12)
    assert all(ctext.text_width(line, 12) <= 200 for line in lines)
    assert "".join(lines).replace(" ", "") == "a" + "x" * 400 + "b"


def test_fallback_layout_for_matplotlib_without_libraqm():
    # Arabic letters join (lam-alef ligature here) and lines go in visual order
    shaped = ctext.shape_arabic("لا")
    assert shaped == "\ufefb"
    assert ctext.typeset("שלום (12)", 300, 12, native=False) == [("(12) םולש", "right")]
    assert ctext.typeset("plain text", 300, 12, native=False) == [("plain text", "left")]
