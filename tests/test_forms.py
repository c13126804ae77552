"""Paper forms: a real PDF, made from the content, with no published wording printed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from workshop_kit.content import load_checkin
from workshop_kit.errors import InputError
from workshop_kit.export.forms import write_forms
from workshop_kit.session import Session
from workshop_kit.values import values_form_rows


def pdf_text(path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def blank_forms(tmp_path_factory):
    path = tmp_path_factory.mktemp("forms") / "forms.pdf"
    pages = write_forms(path)
    return path, pages


def test_blank_forms_hold_every_shown_item_and_no_csi4(blank_forms):
    path, pages = blank_forms
    reader = PdfReader(path)
    assert len(reader.pages) == pages >= 6
    text = pdf_text(path)
    content = load_checkin()
    for inst in content.shown_instruments:
        for item in inst.items:
            assert " ".join(item.text.split()) in text, item.id
    for flag in content.flags:
        assert flag.text in text
    assert "CSI" not in text
    csi4 = content.instrument("csi4")
    assert not csi4.ready  # its wording is not shipped, so nothing of it can be printed
    assert "at the start" in text and "at the end" in text
    assert "Couple code" in text and "Partner" in text


def test_values_sheet_numbers_every_card(blank_forms):
    text = pdf_text(blank_forms[0])
    for row in values_form_rows():
        assert f"{row['number']}. {row['name']}" in text or row["name"] in text
    assert "My top 5" in text
    assert "what do you appreciate about your partner" in text


def test_fonts_are_embedded(blank_forms):
    reader = PdfReader(blank_forms[0])
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        if font["/Subtype"] == "/Type0":  # TrueType embedded as a CID font (fonttype 42)
            font = font["/DescendantFonts"][0].get_object()
            assert font["/Subtype"] == "/CIDFontType2"
        else:
            assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


@pytest.mark.slow
def test_one_prefilled_set_per_couple_and_partner(tmp_path):
    session = Session.create(tmp_path / "s.sqlite", "T", couples=2, seed=4)
    blank = write_forms(tmp_path / "blank.pdf", paper="Letter")
    path = tmp_path / "couples.pdf"
    pages = write_forms(path, session, paper="Letter")
    assert pages == blank * 2 * 2
    reader = PdfReader(path)
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)
    code = session.couple_codes()[0]
    first = "".join(reader.pages[0].extract_text().split())
    assert code in first
    later = "".join(reader.pages[blank * 2].extract_text().split())
    assert session.couple_codes()[1] in later
    session.close()


@pytest.mark.slow
def test_large_print_uses_more_pages(tmp_path):
    normal = write_forms(tmp_path / "n.pdf")
    large = write_forms(tmp_path / "l.pdf", large_print=True)
    assert large > normal


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(InputError, match=r"must end in \.pdf"):
        write_forms(tmp_path / "forms.png")
    with pytest.raises(InputError, match="paper must be one of"):
        write_forms(tmp_path / "forms.pdf", paper="A5")
    assert not list(tmp_path.iterdir())


def test_cli_forms(tmp_path):
    out = tmp_path / "forms.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "workshop_kit.cli", "forms", "--out", str(out), "--large-print"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"Wrote \d+ pages", result.stdout)
    assert out.read_bytes().startswith(b"%PDF")
