"""The start widget: create or open a session, codes, and the support list for the packs."""

from __future__ import annotations

import html

from workshop_kit import locations
from workshop_kit.session import Session
from workshop_kit.widgets.start import StartWidget, parse_resources


def test_create_makes_the_session_current_and_lists_its_codes(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_KIT_STORE", raising=False)
    widget = StartWidget()
    widget.create_button.click()
    assert "Please give the session a title" in widget.message.value
    widget.title.value = "Spring workshop"
    widget.couples.value = 5
    widget.create_button.click()
    session = widget.session
    assert len(session.couple_codes()) == 5
    assert locations.current_store_path() == session.path.resolve()
    assert all(code in widget.codes.value for code in session.couple_codes())
    assert widget.resources_box.layout.display == ""


def test_support_list_is_saved_and_bad_lines_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    session = Session.create(tmp_path / "s.sqlite", title="T", couples=1, seed=1)
    session.close()
    widget = StartWidget()
    widget.open(tmp_path / "s.sqlite")
    widget.resources.value = "Family doctor | ask at your surgery\n | 0800 | no name"
    widget.save_resources()
    assert "support line 2 must be 'name | contact | note'" in html.unescape(
        widget.resources_message.value
    )
    assert widget.session.support_resources == []
    widget.resources.value = "Family doctor | ask at your surgery\nHelpline | 0800 000 000 | 24 h"
    widget.save_resources()
    assert "Saved 2 places" in widget.resources_message.value
    with Session.open(tmp_path / "s.sqlite") as again:
        assert [r["name"] for r in again.support_resources] == ["Family doctor", "Helpline"]


def test_parse_resources_allows_name_only():
    assert parse_resources("GP") == [{"name": "GP", "contact": "", "note": ""}]


def test_a_long_japanese_title_makes_a_short_enough_file_name(tmp_path, monkeypatch):
    """90 Japanese characters are 270 bytes: more than a file name may hold (255)."""
    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_KIT_STORE", raising=False)
    widget = StartWidget()
    title = "春の夫婦ワークショップ聖マリア教会ホール" * 5  # 95 characters
    widget.title.value = title[:90]
    widget.create_button.click()
    assert widget.session is not None, widget.message.value
    assert widget.session.title == title[:90]
    name = widget.session.path.name
    assert len((name + "-wal").encode("utf-8")) <= 255
    assert len(name.encode("utf-8")) <= locations.MAX_NAME_BYTES + len(".sqlite")
    name.encode("utf-8").decode("utf-8")  # cut on a character boundary


def test_control_characters_pasted_into_the_title_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_KIT_STORE", raising=False)
    widget = StartWidget()
    widget.title.value = "Spring\tworkshop\r\n\u200b\u202eSt Mary\x07\x00 hall\x0b"
    widget.create_button.click()
    assert widget.session.title == "Spring workshop St Mary hall"
    assert all(ch.isprintable() for ch in widget.session.path.name)


def test_a_title_of_control_characters_only_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    widget = StartWidget()
    widget.title.value = "\x07\u200b\t"
    widget.create_button.click()
    assert widget.session is None
    assert "Please give the session a title" in widget.message.value
    assert list(tmp_path.glob("*.sqlite")) == []


def test_the_facilitator_resets_a_forgotten_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    session = Session.create(tmp_path / "s.sqlite", title="T", couples=2, seed=1)
    code = session.couple_codes()[1]
    session.set_partner_secret(code, "B", "tulip")
    session.close()
    widget = StartWidget()
    widget.open(tmp_path / "s.sqlite")
    assert widget.secret_box.layout.display == ""
    widget.reset_secret_button.click()
    assert "Please choose your couple code" in widget.secret_message.value
    widget.secret_code.value = code
    widget.secret_partner.value = "B"
    widget.reset_secret_button.click()
    assert "can choose a new secret now" in widget.secret_message.value
    with Session.open(tmp_path / "s.sqlite") as again:
        assert not again.partner_secret_is_set(code, "B")


def test_the_room_language_is_chosen_when_creating(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_KIT_STORE", raising=False)
    widget = StartWidget()
    assert widget.language.value == "en"
    assert [value for _label, value in widget.language._options_full] == ["en", "es"]
    widget.title.value = "Taller de primavera"
    widget.language.value = "es"
    session = widget.create()
    assert session.language == "es"
    assert session.content.instrument("checkin").subscales[0].name == "Tiempo juntos"
    assert "room language: Español" in widget.message.value
    session.close()
