"""Take-home packs: one couple's data only, consent, missing data, determinism, paper sizes."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pandas as pd
import pytest
from pypdf import PdfReader

from workshop_kit.appreciation import NOTE_KIND, load_appreciation, save_note
from workshop_kit.demo import build_demo
from workshop_kit.errors import InputError
from workshop_kit.export.packs import (
    PACK_SUFFIX,
    ROOM_SUMMARY,
    build_all_packs,
    build_pack,
    couple_document,
    lowest_themes,
)
from workshop_kit.session import Answer, Session

A4_POINTS = (595.28, 841.89)
LETTER_POINTS = (612.0, 792.0)


def pdf_text(path) -> str:
    """Every page's text, whitespace folded, so wrapped lines still match."""
    reader = PdfReader(path)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def folded(text: str) -> str:
    return " ".join(text.split())


# -- a 12-couple demo, every pack built once (across processes) ---------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("packs")
    session = build_demo(folder / "demo.sqlite", couples=12, seed=7)
    codes = session.couple_codes()
    # a unique shared and private note per couple, so a leak cannot hide among the demo's
    # repeated sample sentences
    for index, code in enumerate(codes):
        save_note(session, code, "A", f"Shared words of thanks marigold{index}.", shared=True)
        save_note(session, code, "B", f"Private thought nasturtium{index}.", shared=False)
    calls = []
    result = build_all_packs(
        session,
        folder / "out",
        paper="A4",
        workers=2,
        progress=lambda done, total: calls.append((done, total)),
    )
    yield session, folder / "out", result, calls
    session.close()


def test_every_couple_gets_a_pack_and_the_room_a_summary(built):
    session, out, result, calls = built
    codes = session.couple_codes()
    assert list(result.packs) == codes
    for code in codes:
        paths = result.packs[code]
        assert paths[0] == out / code / f"{code}-{PACK_SUFFIX}"
        assert all(p.exists() and p.parent == out / code for p in paths)
        stems = {p.name for p in paths[1:]}
        assert {f"{code}-connection-by-theme.png", f"{code}-closeness.png"} <= stems
    assert result.room_summary == out / ROOM_SUMMARY and result.room_summary.exists()
    assert calls[0] == (0, 12) and calls[-1] == (12, 12) and len(calls) == 13


def test_each_pack_holds_its_own_couple_only(built):
    session, _out, result, _ = built
    codes = session.couple_codes()
    notes = session.entries(NOTE_KIND)
    for index, code in enumerate(codes):
        text = pdf_text(result.packs[code][0])
        assert re.search(rf"\b{code}\b", text)
        for other in codes:
            if other != code:
                assert not re.search(rf"\b{other}\b", text), (code, other)
        # every unique note token: only this couple's shared one
        assert f"marigold{index}." in text
        assert not re.search(rf"marigold(?!{index}\.)\d+", text)
        assert "nasturtium" not in text
        # the demo's notes repeat sample sentences: any that appears is one of this
        # couple's own shared notes
        own_shared = {
            folded(e.value["text"]) for e in notes if e.couple_code == code and e.value["shared"]
        }
        for entry in notes:
            sentence = folded(entry.value["text"])
            if sentence in text:
                assert sentence in own_shared, (code, sentence)


def test_room_summary_names_no_couple_and_no_note(built):
    session, _out, result, _ = built
    text = pdf_text(result.room_summary)
    assert "Room summary" in text
    for code in session.couple_codes():
        assert not re.search(rf"\b{code}\b", text)
    assert "marigold" not in text and "nasturtium" not in text


def test_same_session_gives_byte_identical_files(built, tmp_path):
    session, _out, result, _ = built
    for code in session.couple_codes()[:2]:
        again = build_pack(session, code, tmp_path)  # serially, in this process
        for first, second in zip(result.packs[code], again):
            assert first.name == second.name
            assert first.read_bytes() == second.read_bytes(), first.name
    reader = PdfReader(result.packs[session.couple_codes()[0]][0])
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata


def test_pages_are_exactly_the_paper(built, tmp_path):
    session, _out, result, _ = built
    for page in PdfReader(result.packs[session.couple_codes()[3]][0]).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4_POINTS, abs=0.05
        )
    letter = build_pack(session, session.couple_codes()[3], tmp_path, paper="Letter")[0]
    for page in PdfReader(letter).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            LETTER_POINTS, abs=0.05
        )
    with pytest.raises(InputError, match="paper must be one of"):
        build_pack(session, session.couple_codes()[3], tmp_path, paper="A5")


def test_fonts_are_embedded(built):
    session, _out, result, _ = built
    reader = PdfReader(result.packs[session.couple_codes()[2]][0])
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            fonts.append(any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts and all(fonts)


# -- consent --------------------------------------------------------------------------------
def _page(doc: dict, stem: str) -> dict:
    return next(page for page in doc["pages"] if page["stem"] == stem)


CHARTS = ("chart", "dumbbell", "pairs")


def _charts(page: dict) -> list[dict]:
    return [b for b in page["blocks"] if b["t"] in CHARTS]


def _partner_marks(session: Session, code: str) -> set[str]:
    """The legend of the connection chart: it names only the marks drawn."""
    page = _page(couple_document(session, code), "connection-by-theme")
    (chart,) = [b for b in page["blocks"] if b["t"] == "dumbbell"]
    labels = {item["label"] for item in chart["legend"]}
    drawn = {f"Partner {p}, after" for p in "AB" if any(r[p.lower()] for r in chart["rows"])}
    assert drawn == {label for label in labels if label.startswith("Partner")}
    return drawn


def test_partner_scores_show_only_when_both_consent(demo_session):
    code = demo_session.couple_codes()[5]
    for partner in "AB":
        demo_session.set_flag(code, partner, "consent", True)
    assert _partner_marks(demo_session, code) == {"Partner A, after", "Partner B, after"}
    demo_session.set_flag(code, "B", "consent", False)
    page = _page(couple_document(demo_session, code), "connection-by-theme")
    text = folded(" ".join(b.get("text", "") for b in page["blocks"]))
    assert "needs a yes from both of you" in text
    assert _charts(page) == []


def _numbers(text: str) -> set[float]:
    return {float(m) for m in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", text)}


def test_a_refusing_partner_cannot_be_recovered_from_the_pack(demo_session, tmp_path):
    """The curious-partner attack: B refused, A knows their own answers; 2 x mean - own
    needs a mean, and the pack holds no figure computed from B's answers."""
    from workshop_kit.pack_data import couple_pack_data
    from workshop_kit.results import checkin_results

    code = demo_session.couple_codes()[4]
    demo_session.set_flag(code, "A", "consent", True)
    demo_session.set_flag(code, "B", "consent", False)
    results = checkin_results(demo_session)
    data = couple_pack_data(demo_session, code, results)
    # what B gave, per figure: none of it, nor any mean with it, is in the pack's data
    scores_b = pd.concat(
        [results.theme_scores.assign(kind="theme")]
        + [results.scores_for(i).assign(kind=i) for i in ("ios", *results.totals)]
    )
    scores_b = scores_b[(scores_b["couple_code"] == code) & (scores_b["partner"] == "B")]
    assert not scores_b.empty  # B answered: there is something to protect
    assert data.withheld and "needs a yes from both of you" in data.withheld_note
    for table in data.tables():
        assert table[["partner_a", "partner_b"]].isna().all().all()
        both = table[table["n_partners"] == 2]
        assert both["couple_mean"].isna().all()  # no mean that B's answers went into
    assert data.shown_values() == []  # B answered both phases: nothing rests on A alone
    # the printed pack: no figure drawn from the check-in, and the kind words instead
    pdf = build_pack(demo_session, code, tmp_path)[0]
    text = pdf_text(pdf)
    assert "needs a yes from both of you" in text
    doc = couple_document(demo_session, code, results=results)  # what the template gets
    for stem in ("connection-by-theme", "closeness"):
        page = _page(doc, stem)
        assert _charts(page) == []
        words = " ".join(b.get("text", "") for b in page["blocks"])
        for inst, _table in data.totals:  # a published cut-off is not a score
            for band in inst.cutoffs:
                if band.below is not None:
                    words = words.replace(f"{band.below:g}", "")
        assert not re.search(r"\d\.\d", words)  # no average, no score on these pages
    # no number on the check-in pages is a couple mean (or its one-decimal label)
    reader = PdfReader(pdf)
    checkin_text = " ".join(
        page.extract_text() for page in reader.pages[1:3]
    )  # connection and closeness pages
    theme = results.theme_scores[results.theme_scores["couple_code"] == code]
    means = theme.groupby(["phase", "subscale"])["score"].mean()
    printed = _numbers(checkin_text)
    for mean in means:
        if mean != int(mean):  # whole numbers also appear as page numbers and scale ends
            assert round(mean, 1) not in printed and round(mean, 2) not in printed
    # the values comparison, shared notes and plans stay: shared by design
    assert "Our shared values" in text


def test_one_partner_alone_shows_only_with_that_partners_consent(sparse):
    from workshop_kit.pack_data import couple_pack_data

    _no_after, one_gone, _lone = sparse.couple_codes()
    # before: both answered, B never agreed -> hidden; after: A alone, A agreed -> shown
    data = couple_pack_data(sparse, one_gone)
    shown = data.themes.dropna(subset=["couple_mean"])
    assert set(shown["phase"]) == {"after"}
    assert (shown["n_partners"] == 1).all()
    assert data.withheld
    sparse.set_flag(one_gone, "A", "consent", False)
    assert couple_pack_data(sparse, one_gone).shown_values() == []
    sparse.set_flag(one_gone, "B", "consent", True)
    sparse.set_flag(one_gone, "A", "consent", True)
    data = couple_pack_data(sparse, one_gone)
    assert not data.withheld and data.show_individual
    assert set(data.themes.dropna(subset=["couple_mean"])["phase"]) == {"before", "after"}


# -- missing data -----------------------------------------------------------------------------
@pytest.fixture
def sparse(tmp_path):
    """Three couples: no "after"; one partner gone at the end; one lone private answer."""
    s = Session.create(
        tmp_path / "sparse.sqlite", title="Small group", date="2026-05-02", couples=3, seed=11
    )
    items = [i.id for sub in s.content.instrument("checkin").subscales for i in sub.items]
    answers = []

    def answer(code, partner, phase, value=3):
        answers.extend(Answer(code, partner, phase, "checkin", i, value) for i in items)
        answers.append(Answer(code, partner, phase, "ios", "ios", 4))

    no_after, one_gone, lone = s.couple_codes()
    for partner in "AB":
        answer(no_after, partner, "before")
        answer(one_gone, partner, "before")
        s.set_flag(no_after, partner, "consent", True)
    answer(one_gone, "A", "after", 4)
    s.set_flag(one_gone, "A", "consent", True)
    answer(lone, "A", "before")
    s.set_flag(lone, "A", "consent", False)
    s.record_answers(answers, source="paper")
    yield s
    s.close()


def test_missing_data_packs_render_with_kind_words(sparse, tmp_path):
    no_after, one_gone, lone = sparse.couple_codes()
    result = build_all_packs(sparse, tmp_path, workers=1)
    nothing_shared = folded(load_appreciation().card["nothing_shared"])
    texts = {code: pdf_text(result.packs[code][0]) for code in sparse.couple_codes()}
    for text in texts.values():
        assert "sort the value cards" in text  # nobody sorted: the values page says so
        assert nothing_shared in text
        assert "did not make a rituals plan today" in text
        assert "Where to find support" in text and "emergency services" in text
        assert "did not list local services" in text  # none set for this session
    assert "at the start of the day only" in texts[no_after]
    assert "Only one of you answered the check-in at the end of the day" in texts[one_gone]
    assert "those answers stay private" in texts[lone]
    assert "nothing to draw here" in texts[lone]
    assert "at the start of the day only" not in texts[lone]  # nothing of it is shown


def test_no_empty_axes_when_nothing_can_be_shown(sparse):
    lone = sparse.couple_codes()[2]
    doc = couple_document(sparse, lone)
    assert _charts(_page(doc, "connection-by-theme")) == []
    assert _charts(_page(doc, "closeness")) == []


def test_lowest_themes_are_couple_level_latest_phase():
    table = pd.DataFrame(
        {
            "phase": ["before", "before", "before", "after", "after", "after"],
            "subscale": ["a", "b", "c", "a", "b", "c"],
            "couple_mean": [1.0, 5.0, 2.0, 4.0, 3.0, float("nan")],
        }
    )
    assert lowest_themes(table, n=2) == ["b", "a"]
    assert lowest_themes(table.iloc[:3], known=["b", "c"]) == ["c", "b"]
    assert lowest_themes(table.iloc[0:0]) == []


# -- codes, CLI, widget --------------------------------------------------------------------
def test_a_code_that_could_escape_the_folder_is_refused(session, tmp_path):
    out = tmp_path / "out"
    for bad in ("../etc", "..", "A/B", "ab c"):
        with pytest.raises(InputError, match="couple code"):
            build_pack(session, bad, out)
    with pytest.raises(InputError, match="not in this session"):
        build_pack(session, "ZZ99", out)
    assert not out.exists()


def test_cli_writes_packs_with_a_progress_line(sparse, tmp_path):
    out = tmp_path / "cli"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "workshop_kit.cli",
            "export",
            str(sparse.path),
            "--out",
            str(out),
            "--paper",
            "Letter",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "3/3" in result.stderr and "Take-home packs [" in result.stderr
    assert "Wrote 3 take-home packs (Letter)" in result.stdout
    for code in sparse.couple_codes():
        assert (out / code / f"{code}-{PACK_SUFFIX}").exists()
    assert (out / ROOM_SUMMARY).exists()


def test_packs_widget_fills_its_bar_and_says_where(sparse, tmp_path):
    from workshop_kit.widgets.packs import PacksWidget

    widget = PacksWidget(sparse, out_dir=tmp_path / "w", workers=1)
    assert widget.export_button.description == "Export take-home packs"
    widget.paper.value = "Letter"
    result = widget.export()
    assert widget.bar.value == widget.bar.max == 3
    assert len(result.packs) == 3 and "Done: 3 take-home packs (Letter)" in widget.message.value
    page = PdfReader(io.BytesIO(result.pdfs[0].read_bytes())).pages[0]
    assert float(page.mediabox.width) == pytest.approx(612.0, abs=0.05)
