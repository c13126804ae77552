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
