"""The laptop check-in in the partner's language: same ids and scores, no English left."""

from __future__ import annotations

import html
import re

import ipywidgets as w
import pytest

from workshop_kit.i18n import gettext_for, languages
from workshop_kit.scoring import subscale_scores
from workshop_kit.session import Session
from workshop_kit.widgets.checkin import CheckinWidget

# Words that are English and never Spanish: a visible text holding one is an English string
# that escaped the catalogue (or content) in a Spanish screen.
ENGLISH = re.compile(
    r"\b(the|your|you|and|please|with|what|which|partner|couple|question|answer|next|back|"
    r"skip|saved|thank|start|secret|choose|true|often|rarely|feel|my|our|we|time)\b",
    re.IGNORECASE,
)


def visible_texts(widget: w.Widget) -> list[str]:
    """Every text a participant can see in a widget tree: HTML, labels, options, tooltips."""
    found: list[str] = []
    stack = [widget]
    while stack:
        item = stack.pop()
        if isinstance(item, w.HTML):
            text = re.sub(r"<style>.*?</style>", " ", item.value, flags=re.S)
            found.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
        if isinstance(item, w.Button):
            found += [item.description, item.tooltip or ""]
        if isinstance(item, (w.Dropdown, w.ToggleButtons)):
            found += [str(label) for label, _value in item._options_full]
        if isinstance(item, (w.Password, w.Text)):
            found.append(item.placeholder)
        if getattr(item, "layout", None) is not None and item.layout.display == "none":
            continue
        stack.extend(getattr(item, "children", ()))
    return [t.strip() for t in found if t and t.strip()]


def english_in(texts: list[str]) -> list[str]:
    # language names are each in their own language on purpose ("English")
    return [t for t in texts if ENGLISH.search(t) and t != "English"]


@pytest.fixture
def spanish_session(tmp_path):
    return Session.create(tmp_path / "es.sqlite", "Taller", couples=2, seed=3, language="es")


def test_spanish_has_a_catalogue():
    assert "es" in languages()
    assert gettext_for("es")("Skip this one") == "Saltar esta"


def test_every_spanish_screen_is_free_of_english(spanish_session):
    """Walk a whole check-in in Spanish: who, secret, every question, the thank-you."""
    session = spanish_session
    widget = CheckinWidget(session, "before")
    assert widget.language == "es"
    screens = [visible_texts(widget.view)]
    widget.start_button.click()  # nothing chosen: the kind message
    screens.append(visible_texts(widget.view))
    widget.code_picker.value = session.couple_codes()[0]
    widget.partner_picker.value = "A"
    widget.start_button.click()
    screens.append(visible_texts(widget.view))
    widget.gate.secret.value, widget.gate.repeat.value = "tulip", "tilup"
    widget.gate.ok_button.click()  # the two differ: a message
    screens.append(visible_texts(widget.view))
    widget.gate.secret.value = widget.gate.repeat.value = "tulip"
    widget.gate.ok_button.click()
    for _ in range(len(widget.steps)):
        screens.append(visible_texts(widget.view))
        step = widget.steps[widget.index]
        widget.choice.choose(True if step.kind == "flag" else 3)
    screens.append(visible_texts(widget.view))  # thank you
    for texts in screens:
        assert english_in(texts) == [], texts
    assert "Gracias, persona A" in widget.done_text.value


def test_the_scanner_finds_english(session):
    widget = CheckinWidget(session, "before")
    assert english_in(visible_texts(widget.view))


def test_a_partner_picks_spanish_and_scores_the_same(session):
    """English room, one partner in Spanish: same ids, same scores, language kept."""
    code = session.couple_codes()[0]
    answers = {}
    for partner, language in (("A", "en"), ("B", "es")):
        widget = CheckinWidget(session, "before")
        widget.language_picker.value = language
        assert widget.start_button.description == ("Start" if language == "en" else "Empezar")
        widget.start(code, partner, secret="tulip")
        first = widget.steps[0].item
        assert first.text in html.unescape(widget.question.value)
        for i in range(len(widget.steps)):
            step = widget.steps[widget.index]
            widget.choice.choose(True if step.kind == "flag" else 1 + i % 5)
        answers[partner] = session.answers().query("partner == @partner")
    assert session.partner_language(code, "A") == "en"
    assert session.partner_language(code, "B") == "es"
    a, b = (answers[p][["instrument", "item_id", "value"]].reset_index(drop=True) for p in "AB")
    assert a.equals(b)
    for language in ("en", "es"):
        scores = subscale_scores(
            session.answers(), session.content_in(language).instrument("checkin")
        )
        by_partner = scores.pivot_table(index="subscale", columns="partner", values="score")
        assert (by_partner["A"] == by_partner["B"]).all()
    # the next person starts in the room's language again
    widget = CheckinWidget(session, "before")
    assert widget.language == "en"
