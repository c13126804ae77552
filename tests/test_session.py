"""Session: the one write path checks codes, partners, phases, items and ranges."""

from __future__ import annotations

import unicodedata

import pytest

from workshop_kit.errors import InputError
from workshop_kit.session import Session, check_code_format


def test_unknown_couple_code_is_refused_and_nothing_is_written(session):
    with pytest.raises(InputError, match=r"couple code 'ZZZZ' is not in this session"):
        session.record_answer("zzzz", "A", "before", "checkin", "qt1", 4)
    assert session.answers().empty


@pytest.mark.parametrize(
    ("partner", "phase", "instrument", "item", "value", "message"),
    [
        ("C", "before", "checkin", "qt1", 4, r"partner must be one of \['A', 'B'\]; not 'C'"),
        ("A", "during", "checkin", "qt1", 4, r"phase must be one of \['before', 'after'\]"),
        (
            "A",
            "before",
            "quiz",
            "qt1",
            4,
            r"instrument must be one of \['checkin', 'ios', 'csi4'\]",
        ),
        ("A", "before", "checkin", "zz9", 4, r"item of checkin must be one of \['qt1'"),
        ("A", "before", "checkin", "qt1", 6, r"whole number from 1 to 5; not 6"),
        ("A", "before", "checkin", "qt1", 0, r"whole number from 1 to 5; not 0"),
        ("A", "before", "checkin", "qt1", 2.5, r"whole number from 1 to 5; not 2.5"),
        ("A", "before", "checkin", "qt1", "lots", r"whole number from 1 to 5; not 'lots'"),
        ("A", "before", "ios", "ios", 8, r"ios/ios must be a whole number from 1 to 7; not 8"),
        ("A", "before", "csi4", "csi4_1", 7, r"csi4/csi4_1 must be a whole number from 0 to 6"),
        ("A", "before", "csi4", "csi4_2", 6, r"csi4/csi4_2 must be a whole number from 0 to 5"),
    ],
)
def test_bad_answers_get_a_clear_error(session, partner, phase, instrument, item, value, message):
    code = session.couple_codes()[0]
    with pytest.raises(InputError, match=message):
        session.record_answer(code, partner, phase, instrument, item, value)
    assert session.answers().empty


def test_codes_and_partners_are_forgiving_about_case_and_spaces(session):
    code = session.couple_codes()[0]
    session.record_answer(f"  {code.lower()} ", "b", "before", "checkin", "qt1", 3)
    row = session.answers().iloc[0]
    assert (row.couple_code, row.partner) == (code, "B")


def test_couple_codes_cannot_carry_a_path(session):
    with pytest.raises(InputError, match="2-12 letters or digits"):
        session.add_couple("../../etc")
    with pytest.raises(InputError, match="2-12 letters or digits"):
        check_code_format("a/b")


def test_a_seeded_session_has_repeatable_codes(tmp_path):
    one = Session.create(tmp_path / "1.sqlite", "T", couples=5, seed=11)
    two = Session.create(tmp_path / "2.sqlite", "T", couples=5, seed=11)
    assert one.couple_codes() == two.couple_codes()
    assert one.session_id == two.session_id
    assert len(set(one.couple_codes())) == 5


def test_session_facts_are_validated(tmp_path):
    with pytest.raises(InputError, match="title must not be empty"):
        Session.create(tmp_path / "s.sqlite", title="  ")
    with pytest.raises(InputError, match="date must be written YYYY-MM-DD; not '21/11/2026'"):
        Session.create(tmp_path / "s.sqlite", title="T", date="21/11/2026")
    with pytest.raises(InputError, match="k must be a whole number of at least 1"):
        Session.create(tmp_path / "s.sqlite", title="T", k=0)
    assert not (tmp_path / "s.sqlite").exists()


def test_flags_and_consent(session):
    code = session.couple_codes()[0]
    assert session.flag(code, "A", "consent") is None
    assert not session.consents(code, "A")
    session.set_flag(code, "A", "consent", True)
    session.set_flag(code, "A", "consent", False)
    assert session.consents(code, "A") is False
    with pytest.raises(InputError, match=r"flag must be one of \['consent', 'wants_to_talk'\]"):
        session.set_flag(code, "A", "photo", True)


def test_entries_keep_the_latest_value_and_can_be_withdrawn(session):
    code = session.couple_codes()[0]
    session.put_entry("test_kind", "x", {"a": 1}, code, "A")
    session.put_entry("test_kind", "x", {"a": 2}, code, "A")
    session.put_entry("test_kind", "y", "kept", code, "A")
    assert [(e.key, e.value) for e in session.entries("test_kind", code, "A")] == [
        ("x", {"a": 2}),
        ("y", "kept"),
    ]
    session.put_entry("test_kind", "x", None, code, "A")
    assert [e.key for e in session.entries("test_kind")] == ["y"]


def test_two_connections_see_each_others_answers_at_once(tmp_path):
    path = tmp_path / "s.sqlite"
    writer = Session.create(path, "T", couples=1, seed=2)
    reader = Session.open(path)
    code = writer.couple_codes()[0]
    writer.record_answer(code, "A", "before", "checkin", "qt1", 5)
    assert reader.answers()["value"].tolist() == [5.0]


def test_titles_lose_control_characters_at_creation(tmp_path):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from workshop_kit.session import clean_title

    @settings(max_examples=200, deadline=None)
    @given(st.text())
    def check(text):
        cleaned = clean_title(text)
        assert cleaned == cleaned.strip() and "  " not in cleaned
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in cleaned)
        assert clean_title(cleaned) == cleaned

    check()
    with Session.create(tmp_path / "s.sqlite", title="Autumn\x00 day\u200e") as s:
        assert s.title == "Autumn day"
