"""The check-in widget, driven headless: clicks are saved at once, reopening resumes."""

from __future__ import annotations

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
    widget.choice.value = 5
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
        widget.choice.value = value
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
            widget.choice.value = 6
        elif step.kind == "flag":
            widget.choice.value = step.flag.id == "consent"
        else:
            widget.choice.value = 4
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
