"""The room's language and each partner's: demo, summary, data export, outcome report."""

from __future__ import annotations

import pytest

from workshop_kit.cli import main
from workshop_kit.content import load_checkin
from workshop_kit.demo import build_demo
from workshop_kit.errors import InputError
from workshop_kit.export.data import data_dictionary, participants_table, sessions_table
from workshop_kit.i18n import long_date, number
from workshop_kit.programme import programme_report
from workshop_kit.session import Session
from workshop_kit.summary import build_summary


@pytest.fixture(scope="module")
def spanish_demo(tmp_path_factory):
    session = build_demo(tmp_path_factory.mktemp("es") / "es.sqlite", couples=6, language="es")
    yield session
    session.close()


def test_a_spanish_demo_is_a_spanish_session(spanish_demo):
    session = spanish_demo
    assert session.language == "es"
    assert session.title.startswith("Taller")
    assert session.content.instrument("checkin").subscales[0].name == "Tiempo juntos"
    codes = session.couple_codes()
    assert session.partner_language(codes[0], "A") == "es"
    assert session.partner_language(codes[1], "B") == "en"  # the mixed couple
    assert session.support_resources[0]["name"] == "Su médico de familia"


def test_language_survives_reopening(tmp_path):
    path = tmp_path / "s.sqlite"
    Session.create(path, "T", couples=1, language="es").close()
    with Session.open(path) as session:
        assert session.language == "es"
        assert session.content.language == "es"
        session.set_language("en")
        assert session.content.instrument("checkin").subscales[0].name == "Quality time"


def test_unknown_languages_are_refused_and_change_nothing(session):
    code = session.couple_codes()[0]
    with pytest.raises(InputError, match="language must be one of"):
        Session.create(session.path.with_name("x.sqlite"), "T", language="fr")
    with pytest.raises(InputError, match="language must be one of"):
        session.set_language("fr")
    with pytest.raises(InputError, match="language must be one of"):
        session.set_partner_language(code, "A", "xx")
    assert session.language == "en"
    assert session.partner_language(code, "A") == "en"
    assert not session.path.with_name("x.sqlite").exists()


def test_summary_counts_languages_with_the_k_rule(spanish_demo):
    section = build_summary(spanish_demo)["languages"]
    assert section["room_language"] == "es"
    assert section["not_validated"] == ["es"]
    rows = {row["language"]: row for row in section["partners_by_language"]}
    assert rows["es"]["n"] == 11
    assert rows["en"]["suppressed"] and rows["en"]["n"] is None  # one person: hidden


def test_data_export_marks_translated_checkins_not_validated(spanish_demo):
    table = participants_table(spanish_demo)
    assert set(table["language"]) == {"es", "en"}
    assert (table["validated_language"] == table["language"].map({"en": "yes", "es": "no"})).all()
    assert sessions_table(spanish_demo)["language"].tolist() == ["es"]
    described = data_dictionary().set_index(["table", "column"])["description"]
    assert "NOT VALIDATED IN THIS LANGUAGE" in described["participants", "validated_language"]


def test_outcome_report_names_languages_not_validated(spanish_demo, tmp_path, capsys):
    report = programme_report([spanish_demo.path], workers=1)
    assert report.attrs["not_validated_languages"] == ["es"]
    assert main(["outcomes", str(spanish_demo.path), "--out", str(tmp_path / "o.csv")]) == 0
    assert "NOT VALIDATED IN THAT LANGUAGE" in capsys.readouterr().out


def test_demo_command_takes_a_language(tmp_path, capsys):
    assert (
        main(["demo", "--language", "es", "--couples", "2", "--store", str(tmp_path / "d.sqlite")])
        == 0
    )
    with Session.open(tmp_path / "d.sqlite") as session:
        assert session.language == "es"
    assert main(["demo", "--language", "xx", "--store", str(tmp_path / "x.sqlite")]) == 2
    assert "language must be one of" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite").exists()


def test_numbers_and_dates_follow_the_language():
    assert number(3.5, "es") == "3,5" and number(3.5, "en") == "3.5"
    assert long_date("2026-11-21", "es") == "21 de noviembre de 2026"


def test_a_spanish_paper_checkin_typed_in_scores_the_same(tmp_path):
    """The same digits typed from a Spanish form and an English one: the same answers."""
    from workshop_kit.paper import form_fields, form_records
    from workshop_kit.scoring import subscale_scores

    en, es = load_checkin(), load_checkin(language="es")
    fields_en, fields_es = form_fields(en), form_fields(es)
    assert [(f.number, f.kind, f.instrument, f.key, f.lo, f.hi) for f in fields_en] == [
        (f.number, f.kind, f.instrument, f.key, f.lo, f.hi) for f in fields_es
    ]
    assert fields_es[0].text != fields_en[0].text  # the words differ, the numbers do not
    typed = ("524315324153241" * 4)[: len(fields_en) - 3] + "4yn"
    with Session.create(tmp_path / "p.sqlite", "T", couples=1, seed=2) as session:
        code = session.couple_codes()[0]
        for partner, fields in (("A", fields_en), ("B", fields_es)):
            values = [f.check(ch) for f, ch in zip(fields, typed, strict=True)]
            answers, entries = form_records(fields, values, code, partner, "before")
            session.record_answers(answers, source="paper")
            session.put_entries(entries, source="paper")
        scores = subscale_scores(session.answers(), session.content.instrument("checkin"))
        table = scores.pivot_table(index="subscale", columns="partner", values="score")
        assert len(table) == 13 and (table["A"] == table["B"]).all()
        assert session.flag(code, "A", "consent") is session.flag(code, "B", "consent") is True


def test_the_spanish_paper_form_is_in_spanish(tmp_path):
    from pypdf import PdfReader

    from workshop_kit.export.forms import write_forms

    path = tmp_path / "forms.pdf"
    write_forms(path, language="es")
    first = " ".join(" ".join(PdfReader(path).pages[0].extract_text().split()).split())
    assert "Chequeo de la relación: al empezar" in first
    assert "Código de pareja" in first and "Persona (marca una)" in first
    assert "Hacemos tiempo para estar juntos" in first
    assert "Connection check-in" not in first and "Couple code" not in first
    last = " ".join(PdfReader(path).pages[-1].extract_text().split())
    assert "Palabras de aprecio" in last and "¿qué aprecias de tu pareja?" in last
    assert main(["forms", "--out", str(tmp_path / "x.pdf"), "--language", "xx"]) == 2
