"""The check-in widget, driven headless: clicks are saved at once, reopening resumes."""

from __future__ import annotations

import pytest

from workshop_kit.errors import InputError
from workshop_kit.session import Session
from workshop_kit.widgets.checkin import CheckinWidget, checkin_steps
from workshop_kit.widgets.common import CHOOSE


def test_steps_leave_out_instruments_without_wording(session):
    steps = checkin_steps(session)
    instruments = {s.instrument.id for s in steps if s.instrument}
    assert instruments == {"checkin", "ios"}  # the CSI-4 has no wording shipped
    assert [s.flag.id for s in steps if s.kind == "flag"] == ["consent", "wants_to_talk"]


def test_start_requires_a_code_and_a_partner(session):
    widget = CheckinWidget(session, "before")
    widget.start_button.click()
    assert "Please choose your couple code" in widget.message.value
    assert widget.code_picker.value == CHOOSE


def test_each_click_is_saved_at_once_and_moves_on(session):
    code = session.couple_codes()[0]
    widget = CheckinWidget(session, "before")
    widget.code_picker.value = code
    widget.partner_picker.value = "B"
    widget.start_button.click()
    assert widget.view.children[1] is widget.gate.box  # first use: choose a secret
    widget.gate.secret.value = widget.gate.repeat.value = "tulip"
    widget.gate.ok_button.click()
    first = widget.steps[0].item
    assert first.text in widget.question.value
    widget.choice.choose(5)
    saved = session.answers()
    assert saved[["partner", "item_id", "value", "source"]].values.tolist() == [
        ["B", first.id, 5.0, "widget"]
    ]
    assert widget.index == 1
    assert "question 2 of" in widget.progress.value


def test_skip_is_recorded_as_skipped_not_zero(session):
    code = session.couple_codes()[0]
    widget = CheckinWidget(session, "after")
    widget.start(code, "A", secret="tulip")
    widget.skip_button.click()
    row = session.answers().iloc[0]
    assert row.phase == "after" and row.value != row.value  # NaN: skipped


def test_reopening_resumes_at_the_first_unanswered_question(session):
    code = session.couple_codes()[1]
    widget = CheckinWidget(session, "before")
    widget.start(code, "A", secret="tulip")
    for value in (4, 3, 5):
        widget.choice.choose(value)
    widget.back_button.click()
    assert widget.choice.value == 5  # this sitting's answer shows again
    widget.choice.choose(5)
    widget.skip()
    again = CheckinWidget(Session.open(session.path), "before")
    again.start(code, "A", secret="tulip")
    assert again.index == 4
    # a new sitting shows none of the earlier answers, even going back
    again.back_button.click()
    again.back_button.click()
    assert again.index == 2
    assert again.choice.value is None and again.choice.chosen_label is None
    again.choice.choose(2)  # answering again in this sitting shows it from now on
    again.back_button.click()
    assert again.choice.value == 2


def test_resuming_needs_the_partners_secret(session):
    code = session.couple_codes()[1]
    widget = CheckinWidget(session, "before")
    widget.start(code, "A", secret="tulip")
    widget.choice.choose(4)
    widget.reset()
    consent_before = session.flag(code, "A", "consent")
    stranger = CheckinWidget(Session.open(session.path), "before")
    stranger.code_picker.value = code
    stranger.partner_picker.value = "A"
    stranger.start_button.click()
    assert stranger.gate.mode == "enter"
    assert stranger.gate.repeat_row.layout.display == "none"
    stranger.gate.secret.value = "guess"
    stranger.gate.ok_button.click()
    assert "does not match" in stranger.gate.message.value
    assert "ask the facilitator" in stranger.gate.message.value
    assert stranger.view.children[1] is stranger.gate.box  # no question shown
    assert stranger.couple_code is None
    assert stranger.gate.secret.value == ""  # the guess is not left on the screen
    assert session.flag(code, "A", "consent") == consent_before
    assert len(session.answers()) == 1
    stranger.gate.secret.value = " TULIP "
    stranger.gate.ok_button.click()
    assert stranger.view.children[1] is stranger.question_screen
    assert stranger.index == 1


def test_the_secret_is_set_with_two_matching_entries(session):
    code = session.couple_codes()[0]
    widget = CheckinWidget(session, "before")
    widget.code_picker.value = code
    widget.partner_picker.value = "B"
    widget.start_button.click()
    gate = widget.gate
    assert gate.mode == "set"
    gate.secret.value, gate.repeat.value = "tulip", "tulips"
    gate.ok_button.click()
    assert "not the same" in gate.message.value
    assert not session.partner_secret_is_set(code, "B")
    gate.secret.value = gate.repeat.value = "ab"
    gate.ok_button.click()
    assert "4 to 40 letters or numbers" in gate.message.value
    assert not session.partner_secret_is_set(code, "B")
    assert widget.view.children[1] is gate.box
    gate.back_button.click()
    assert widget.view.children[1] is widget.who_screen
    assert widget.partner_picker.value is None


def test_the_whole_check_in_including_the_picture_and_flags(session):
    code = session.couple_codes()[2]
    widget = CheckinWidget(session, "before")
    widget.start(code, "A", secret="tulip")
    while widget.index < len(widget.steps):
        step = widget.steps[widget.index]
        if step.kind == "picture":
            assert bytes(widget.picture.value[:4]) == b"\x89PNG"
            assert [v for _label, v in widget.choice.options] == list(range(1, 8))
            widget.choice.choose(6)
        elif step.kind == "flag":
            widget.choice.choose(step.flag.id == "consent")
        else:
            widget.choice.choose(4)
    assert "Thank you, partner A" in widget.done_text.value
    assert session.consents(code, "A") is True
    assert session.flag(code, "A", "wants_to_talk") is False
    ios = session.answers(instrument="ios")
    assert ios["value"].tolist() == [6.0]
    widget.again_button.click()
    assert widget.partner_picker.value is None


def test_a_refused_answer_is_shown_and_not_saved(session):
    code = session.couple_codes()[0]
    widget = CheckinWidget(session, "before")
    widget.start(code, "A", secret="tulip")
    widget.answer(9)
    assert "Not saved" in widget.help.value and "from 1 to 5; not 9" in widget.help.value
    assert session.answers().empty
    assert widget.index == 0


def test_clicking_the_answer_already_chosen_saves_it_and_moves_on(session):
    # consent given in the morning is not shown in the afternoon's sitting (a new sitting
    # shows no earlier answer); chosen in this sitting, it is marked and a second click on
    # it confirms it and goes on (a toggle button sent nothing on a second click)
    code = session.couple_codes()[3]
    session.set_flag(code, "B", "consent", True)
    widget = CheckinWidget(session, "after")
    widget.start(code, "B", secret="tulip")
    consent = next(i for i, s in enumerate(widget.steps) if s.kind == "flag")
    widget.go(consent)
    assert widget.choice.chosen_label is None
    widget.choice.choose(True)
    widget.go(consent)
    assert widget.choice.chosen_label == "Yes"
    chosen = [b for b in widget.choice.buttons if "wk-chosen" in b._dom_classes]
    assert [b.description for b in chosen] == ["Yes"]
    chosen[0].click()
    assert widget.index == consent + 1
    assert session.consents(code, "B") is True
    # and back on a question: the saved answer is marked, and clicking it again moves on
    widget.go(0)
    widget.choice.choose(3)
    widget.back_button.click()
    assert widget.choice.chosen_label.startswith("3")
    widget.choice.buttons[2].click()
    assert widget.index == 1
    assert session.answers(phase="after")["value"].tolist() == [3.0]  # the latest answer


def test_yes_is_not_taken_for_the_answer_1(session):
    code = session.couple_codes()[3]
    widget = CheckinWidget(session, "before")
    widget.start(code, "A", secret="tulip")
    widget.choice.show([("1", 1), ("2", 2)], True)
    assert widget.choice.chosen_label is None
    with pytest.raises(InputError, match=r"the answer must be one of \[1, 2\]; not 7"):
        widget.choice.choose(7)
