"""Packs typeset with Typst: workers that cannot hang, every script, accessible PDFs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from pypdf import PdfReader

from workshop_kit.errors import InputError
from workshop_kit.export import packs, typeset

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pdf_text(path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


# -- workers ---------------------------------------------------------------------------
def test_a_batch_after_an_in_process_compile_finishes(tmp_path):
    # A process forked after its parent compiled with Typst waited forever for Typst's
    # thread pool. The pack workers start with forkserver: run a whole batch on two
    # workers right after a compile here, in a fresh interpreter, with a time limit.
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from workshop_kit.demo import build_demo
        from workshop_kit.export.packs import build_all_packs, build_pack
        out = Path({str(tmp_path)!r})
        session = build_demo(out / "s.sqlite", couples=8, seed=3)
        build_pack(session, session.couple_codes()[0], out / "first")  # compiles here
        result = build_all_packs(session, out / "all", workers=2)
        assert result.workers == 2 and len(result.packs) == 8
        print("finished", len(result.packs))
        """
    )
    env = {**os.environ, "PYTHONPATH": ROOT}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=240, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "finished 8" in done.stdout


def test_workers_never_fork():
    assert packs._context().get_start_method() in ("forkserver", "spawn")


# -- the template ----------------------------------------------------------------------
def test_an_unknown_template_is_refused():
    with pytest.raises(InputError, match="template must be one of"):
        typeset.compile_pdf("../pack.typ", {})


def test_bad_data_names_the_template():
    with pytest.raises(InputError, match=r"pack\.typ could not be typeset"):
        typeset.compile_pdf("pack.typ", {"pages": "not a list"})


# -- accessible ------------------------------------------------------------------------
def test_the_pdf_is_tagged_with_its_language_and_charts_have_alt_text(demo_session, tmp_path):
    code = demo_session.couple_codes()[1]
    pdf = packs.build_pack(demo_session, code, tmp_path)[0]
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("en")
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == f"Take-home pack, couple {code}"
    doc = packs.couple_document(demo_session, code)
    charts = [
        b
        for p in doc["pages"]
        for b in p.get("blocks", [])
        if b["t"] in ("chart", "dumbbell", "pairs")
    ]
    assert len(charts) >= 3
    for chart in charts:
        assert len(chart["alt"]) > 40  # says what the chart shows, in words
    # the alt text is in the structure tree, with the figures
    raw = pdf.read_bytes()
    assert raw.count(b"/Alt") >= len(charts) and b"/Figure" in raw


def _sizes(pdf) -> set[float]:
    """Every type size used for words on every page (from the text layer)."""
    sizes: set[float] = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(abs(size * tm[0] * cm[0]), 1))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_sets_every_word_at_18_points_or_more(demo_session, tmp_path):
    code = demo_session.couple_codes()[2]
    pdf = packs.build_pack(demo_session, code, tmp_path, large=True)[0]
    assert pdf.name == f"{code}-{packs.LARGE_SUFFIX}"
    sizes = _sizes(pdf)
    assert sizes and min(sizes) >= 18.0, sorted(sizes)
    normal = packs.build_pack(demo_session, code, tmp_path / "normal")[0]
    assert min(_sizes(normal)) < 18.0  # the usual pack is not large print by accident
    assert len(PdfReader(pdf).pages) > len(PdfReader(normal).pages)


def _lightness(hex_colour: str) -> float:
    """CIE L* (0 black to 100 white) of an sRGB colour: what a greyscale printer keeps."""
    rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def test_chart_marks_can_be_told_apart_in_greyscale(demo_session):
    # colour-blind-safe (Okabe-Ito) and, printed in grey, every two marks of a legend
    # still differ: in shape, or clearly in lightness
    code = demo_session.couple_codes()[4]
    for partner in "AB":
        demo_session.set_flag(code, partner, "consent", True)
    doc = packs.couple_document(demo_session, code)
    (chart,) = [b for p in doc["pages"] for b in p.get("blocks", []) if b["t"] == "dumbbell"]
    legend = chart["legend"]
    assert len(legend) == 4
    for i, one in enumerate(legend):
        for other in legend[i + 1 :]:
            apart = abs(_lightness(one["colour"]) - _lightness(other["colour"]))
            assert one["shape"] != other["shape"] or apart >= 20, (one, other)


# -- a programme's own look ------------------------------------------------------------
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    '<rect width="120" height="40" rx="8" fill="#7A3E6B"/></svg>'
)


def test_a_programme_look_is_on_every_printed_page(session, tmp_path):
    session.set_print_look(
        programme="Hearth Couples Programme",
        footer="Hearth Family Centre · 01234 567890",
        accent="#7A3E6B",
        logo_svg=LOGO,
    )
    code = session.couple_codes()[0]
    pdf = packs.build_pack(session, code, tmp_path)[0]
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]
    assert "Hearth Couples Programme" in pages[0]
    assert all("Hearth Family Centre · 01234 567890" in page for page in pages)
    doc = packs.couple_document(session, code)
    assert doc["colours"]["accent"] == "#7A3E6B" and "logo" in doc["programme"]
    room = packs.build_room_summary(session, tmp_path)
    assert all("Hearth Family Centre" in (p.extract_text() or "") for p in PdfReader(room).pages)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"accent": "#FFFF00"}, "too light to read"),
        ({"accent": "blue"}, "accent must be a colour like"),
        ({"footer": "x" * 121}, "footer must be at most 120"),
        ({"logo_svg": "<html></html>"}, "logo must be the text of an SVG"),
    ],
)
def test_a_bad_look_is_refused_and_nothing_changes(session, kwargs, message):
    session.set_print_look(programme="Kept")
    with pytest.raises(InputError, match=message):
        session.set_print_look(**kwargs)
    assert session.print_look == {"programme": "Kept"}


def test_the_export_command_keeps_the_look_it_is_given(session, tmp_path):
    import subprocess
    import sys

    logo = tmp_path / "logo.svg"
    logo.write_text(LOGO)
    path = session.path
    session.close()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "workshop_kit.cli",
            "export",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--workers",
            "1",
            "--footer",
            "Hearth · 0123",
            "--accent",
            "#7A3E6B",
            "--logo",
            str(logo),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ROOT},
    )
    assert done.returncode == 0, done.stderr
    from workshop_kit.session import Session

    with Session.open(path) as again:
        assert again.print_look["footer"] == "Hearth · 0123"
        assert again.print_look["accent"] == "#7A3E6B" and "<svg" in again.print_look["logo_svg"]
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "workshop_kit.cli",
            "export",
            str(path),
            "--out",
            str(tmp_path / "out2"),
            "--accent",
            "#FFFFFF",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ROOT},
    )
    assert bad.returncode == 2 and "too light" in bad.stderr
