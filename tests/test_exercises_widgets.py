"""The exercise widgets, headless: set values, call the handlers, read the store."""

from __future__ import annotations

import asyncio

import ipywidgets as w
import pytest

from workshop_kit import exercises as ex
from workshop_kit.widgets.exercises import (
    CHOOSE,
    CalmDownPlanWidget,
    ListeningRoundWidget,
    PlansMadeView,
    RitualsPlanWidget,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _walk(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


# -- listening round ------------------------------------------------------------------
@pytest.fixture
def listening(session):
    clock = FakeClock()
    return ListeningRoundWidget(session, clock=clock, autotick=False), clock


def test_roles_are_shown_large_and_the_timer_is_visible(listening) -> None:
    view, _clock = listening
    assert "Speaker: Partner A" in view.speaker_label.value
    assert "font-size:56px" in view.speaker_label.value
    assert "Listener: Partner B" in view.listener_label.value
    assert "2:00" in view.timer_label.value and "font-size:120px" in view.timer_label.value
    assert "Step 1 of 3: Speak" in view.step_label.value
    buttons = [c for c in _walk(view.view) if isinstance(c, w.Button)]
    assert len(buttons) == 5
    assert all(b.layout.min_height == "52px" for b in buttons)
    # the speaker's "I" statement starters are on the card, shown large
    assert ex.load_exercises().listening.speaker_starters[0].split()[0] in view.cards.value
    assert "font-size:34px" in view.cards.value


def test_timer_ticks_from_the_injected_clock_and_stops_at_zero(listening) -> None:
    view, clock = listening
    view.start_pause()
    assert view.round.running and "Pause" in view.start_button.description
    clock.now = 45.2
    assert view.tick() == 75
    assert "1:15" in view.timer_label.value
    clock.now = 500
    assert view.tick() == 0
    assert not view.round.running
    assert "0:00" in view.timer_label.value
    assert "reflect back" in view.message.value
    view.start_pause()  # cannot restart a finished step
    assert not view.round.running and "time is up" in view.message.value


def test_switch_waits_for_the_reflection_then_swaps_roles(listening) -> None:
    view, _clock = listening
    assert view.switch_button.disabled
    view.switch_turn()
    assert "reflects back before replying" in view.message.value
    assert view.round.speaker == "A"
    view.next_step()
    assert not view.switch_button.disabled
    assert "Step 2 of 3: Reflect back" in view.step_label.value
    assert "What I hear you saying" in view.cards.value  # listener starters now
    view.switch_turn()
    assert "Speaker: Partner B" in view.speaker_label.value
    assert "Listener: Partner A" in view.listener_label.value
    assert view.switch_button.disabled
    view.next_step()
    view.next_step()
    assert view.next_button.disabled  # after "reply" only a switch moves on


def test_finish_counts_the_round_in_the_store(listening, session) -> None:
    view, _clock = listening
    view.finish()
    assert "nothing to record yet" in view.message.value
    assert session.entries(ex.LISTENING_KIND) == []
    view.next_step()
    view.switch_turn()
    view.next_step()
    view.finish()
    assert ex.listening_totals(session) == {"rounds": 1, "turns": 2}
    assert "rounds run today: 1" in view.rounds_label.value
    assert view.round.turn == 1 and view.round.speaker == "A"  # ready for the next round


def test_length_and_topic_can_change(listening) -> None:
    view, _clock = listening
    view.length_picker.value = 60
    assert view.round.round_length == 60 and "1:00" in view.timer_label.value
    first = view.topic_label.value
    view.new_topic()
    assert view.topic_label.value != first


def test_the_ticker_runs_as_an_asyncio_task_and_ends_when_time_is_up(session) -> None:
    clock = FakeClock()
    view = ListeningRoundWidget(session, clock=clock, interval=0.001)
    seen = []

    async def room() -> None:
        view.start_pause()  # inside a running loop: a ticking task starts
        assert view._task is not None and not view._task.done()
        for _ in range(6):
            clock.now += 25
            await asyncio.sleep(0.01)  # the kernel stays free between ticks
            seen.append(view.timer_label.value)
        await asyncio.wait_for(view._task, timeout=2)

    asyncio.run(room())
    assert not view.round.running
    assert any("1:35" in s for s in seen) and "0:00" in seen[-1]


def test_no_ticker_without_an_event_loop(session) -> None:
    view = ListeningRoundWidget(session, clock=FakeClock())
    view.start_pause()
    assert view._task is None and view.round.running


# -- rituals plan ---------------------------------------------------------------------
def _fill(view: RitualsPlanWidget, rows) -> None:
    for (ritual, own, day, at), values in zip(view.rows, rows, strict=False):
        ritual.value, day.value, at.value = values[0], values[1], values[2]
        if len(values) > 3:
            own.value = values[3]


def test_rituals_plan_is_saved_and_a_new_widget_resumes(session) -> None:
    code = session.couple_codes()[0]
    view = RitualsPlanWidget(session)
    view.save()
    assert "choose your couple code" in view.message.value
    view.code_picker.value = code
    _fill(view, [("walk", "Sunday", "10:00"), ("own", "Friday", "20:00", "Pizza night")])
    assert view.rows[1][1].layout.display == ""  # own words field shown for "own"
    assert view.rows[0][1].layout.display == "none"
    view.save()
    assert "Saved" in view.message.value and "Pizza night" in view.message.value
    saved = ex.rituals_plan(session, code)
    assert [(p.ritual, p.day, p.time, p.text) for p in saved] == [
        ("walk", "Sunday", "10:00", ""),
        ("own", "Friday", "20:00", "Pizza night"),
    ]

    again = RitualsPlanWidget(session, couple_code=code)
    assert [r[0].value for r in again.rows] == ["walk", "own", ""]
    assert again.rows[1][1].value == "Pizza night"
    assert again.rows[0][3].value == "10:00"
    other = RitualsPlanWidget(session, couple_code=session.couple_codes()[1])
    assert [r[0].value for r in other.rows] == ["", "", ""]  # another couple sees nothing


def test_a_bad_plan_shows_why_and_changes_nothing(session) -> None:
    code = session.couple_codes()[0]
    view = RitualsPlanWidget(session, couple_code=code)
    _fill(view, [("walk", "Sunday", "10:00")])
    view.save()
    assert "wk-error" in view.message.value and "2 to 3 rituals" in view.message.value
    _fill(view, [("walk", "Sunday", "10:00"), ("cooking", "Friday", "7pm")])
    view.save()
    assert "ritual 2: time must be written HH:MM" in view.message.value
    assert ex.rituals_plan(session, code) is None


def test_catalogue_and_choices_come_from_the_content(session) -> None:
    view = RitualsPlanWidget(session)
    content = ex.load_exercises().rituals
    for ritual in content.catalogue:
        assert any(ritual.id == value for _label, value in view.rows[0][0].options)
    assert view.code_picker.value == CHOOSE
    assert [d for _l, d in view.rows[0][2].options][1:] == list(content.days)


# -- calm-down plan -------------------------------------------------------------------
def test_calm_down_plan_is_saved_per_partner_and_resumes(session) -> None:
    code = session.couple_codes()[0]
    view = CalmDownPlanWidget(session)
    view.save()
    assert "couple code and which partner" in view.message.value
    view.code_picker.value = code
    view.partner_picker.value = "B"
    assert view.gate.box.layout.display == "" and view.form.layout.display == "none"
    view.save()
    assert "Please type your secret first" in view.message.value
    view.gate.secret.value = view.gate.repeat.value = "tulip"
    view.gate.ok_button.click()
    assert view.form.layout.display == ""
    view.save()
    assert (
        "Please choose a signal, how long your break lasts, how you come back" in view.message.value
    )
    view.signal.value = "own"
    assert view.signal_text.layout.display == ""
    view.signal_text.value = 'I say "penguin"'
    view.break_minutes.value = 30
    view.come_back.value = "message"
    view.save()
    assert "Saved, partner B" in view.message.value
    assert ex.calm_down_plan(session, code, "B") == ex.CalmDownPlan(
        "own", 30, "message", 'I say "penguin"', ""
    )
    assert ex.calm_down_plan(session, code, "A") is None

    again = CalmDownPlanWidget(session, couple_code=code, partner="B", secret="tulip")
    assert (
        again.signal.value,
        again.signal_text.value,
        again.break_minutes.value,
        again.come_back.value,
    ) == ("own", 'I say "penguin"', 30, "message")
    again.partner_picker.value = "A"  # partner A's form is empty
    assert (again.signal.value, again.break_minutes.value) == ("", None)


def test_a_wrong_secret_shows_no_plan_and_saves_nothing(session) -> None:
    code = session.couple_codes()[1]
    session.set_partner_secret(code, "A", "tulip")
    plan = ex.CalmDownPlan("pause_word", 20, "message", "", "")
    ex.save_calm_down_plan(session, code, "A", plan)
    view = CalmDownPlanWidget(session)
    view.code_picker.value = code
    view.partner_picker.value = "A"
    assert view.signal.value == ""  # nothing of the plan before the secret
    view.gate.secret.value = "rose1"
    view.gate.ok_button.click()
    assert "does not match" in view.gate.message.value
    assert view.form.layout.display == "none"
    assert (view.signal.value, view.break_minutes.value, view.come_back.value) == ("", None, "")
    view.signal.value, view.break_minutes.value, view.come_back.value = "time_out", 30, "same_place"
    view.save()
    assert ex.calm_down_plan(session, code, "A") == plan  # unchanged
    view.gate.secret.value = "TULIP"
    view.gate.ok_button.click()
    assert view.signal.value == "pause_word" and view.break_minutes.value == 20


def test_calm_down_own_words_are_required(session) -> None:
    code = session.couple_codes()[0]
    view = CalmDownPlanWidget(session, couple_code=code, partner="A", secret="tulip")
    view.signal.value = "pause_word"
    view.break_minutes.value = 20
    view.come_back.value = "own"
    view.save()
    assert "please write your own words" in view.message.value
    assert ex.calm_down_plan(session, code, "A") is None


def test_plans_made_view_counts_in_words_and_follows_saves(session) -> None:
    plans = CalmDownPlanWidget(session)
    view = PlansMadeView(session, follow=plans)
    assert "Calm-down plans: fewer than 3 partners so far." in view.text.value
    codes = session.couple_codes()
    for code, partner in ((codes[0], "A"), (codes[0], "B"), (codes[1], "A")):
        plans.code_picker.value = code
        plans.partner_picker.value = partner
        plans.gate.secret.value = plans.gate.repeat.value = "tulip"
        plans.gate.submit()
        plans.signal.value = "pause_word"
        plans.break_minutes.value = 20
        plans.come_back.value = "message"
        plans.save()
    # updated by the saves themselves, no refresh pressed; no code or partner on show
    assert "Calm-down plans: 3 partners." in view.text.value
    assert not any(code in view.text.value for code in codes)
    assert "Rituals plans: fewer than 3 couples so far." in view.text.value
