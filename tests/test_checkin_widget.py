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
    widget.start(code, "A")
    widget.skip_button.click()
    row = session.answers().iloc[0]
    assert row.phase == "after" and row.value != row.value  # NaN: skipped


def test_reopening_resumes_at_the_first_unanswered_question(session):
    code = session.couple_codes()[1]
    widget = CheckinWidget(session, "before")
    widget.start(code, "A")
    for value in (4, 3, 5):
        widget.choice.choose(value)
    widget.skip()
    again = CheckinWidget(Session.open(session.path), "before")
    again.start(code, "A")
    assert again.index == 4
    # going back shows the saved answer
    again.back_button.click()
    again.back_button.click()
    assert again.choice.value == 5


def test_the_whole_check_in_including_the_picture_and_flags(session):
    code = session.couple_codes()[2]
    widget = CheckinWidget(session, "before")
    widget.start(code, "A")
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
    widget.start(code, "A")
    widget.answer(9)
    assert "Not saved" in widget.help.value and "from 1 to 5; not 9" in widget.help.value
    assert session.answers().empty
    assert widget.index == 0


def test_clicking_the_answer_already_chosen_saves_it_and_moves_on(session):
    # consent given in the morning is shown as chosen in the afternoon; clicking "Yes"
    # again must confirm it and go on (a toggle button sent nothing on a second click)
    code = session.couple_codes()[3]
    session.set_flag(code, "B", "consent", True)
    widget = CheckinWidget(session, "after")
    widget.start(code, "B")
    consent = next(i for i, s in enumerate(widget.steps) if s.kind == "flag")
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
    widget.start(code, "A")
    widget.choice.show([("1", 1), ("2", 2)], True)
    assert widget.choice.chosen_label is None
    with pytest.raises(InputError, match=r"the answer must be one of \[1, 2\]; not 7"):
        widget.choice.choose(7)
