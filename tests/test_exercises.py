"""The practice exercises' logic: content, the listening round, the plans, the room counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from workshop_kit import exercises as ex
from workshop_kit import summary
from workshop_kit.content import CONTENT_DIR
from workshop_kit.errors import ContentError, InputError

CONTENT = ex.load_exercises()


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def plan(*rituals):
    days = ["Friday", "Sunday", "Every day"]
    return [{"ritual": r, "day": days[i], "time": "19:30"} for i, r in enumerate(rituals)]


# -- content ----------------------------------------------------------------------
def test_content_loads_with_every_part() -> None:
    assert [s.id for s in CONTENT.listening.steps] == ["speak", "reflect", "reply"]
    assert len(CONTENT.listening.speaker_starters) >= 4
    assert len(CONTENT.listening.listener_starters) >= 4
    assert CONTENT.listening.topics
    ids = {r.id for r in CONTENT.rituals.catalogue}
    assert {"weekly_date", "gratitude_journal", "walk", "cooking", "mindfulness"} <= ids
    assert all(r.description.strip() for r in CONTENT.rituals.catalogue)
    assert CONTENT.rituals.own.id == "own"
    assert (CONTENT.rituals.min_chosen, CONTENT.rituals.max_chosen) == (2, 3)
    assert CONTENT.calm_down.signals and CONTENT.calm_down.come_back
    assert CONTENT.calm_down.recommended_minimum in CONTENT.calm_down.break_minutes


def test_every_checkin_theme_has_suggestions(session) -> None:
    themes = {sub.id for sub in session.content.instrument("checkin").subscales}
    assert set(CONTENT.suggestions) - {ex.GENERAL} == themes


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((CONTENT_DIR / "exercises.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "exercises.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["listening"]["steps"].reverse(),
            "steps must be ['speak', 'reflect', 'reply']",
        ),
        (lambda d: d["listening"].update(default_round_length=7), "default_round_length"),
        (lambda d: d["rituals"]["catalogue"][0].pop("description"), "'description' is missing"),
        (lambda d: d["rituals"]["own"].update(id="mine"), "'own' must have id"),
        (
            lambda d: d["suggestions"]["conflict"].update(rituals=["juggling"]),
            "unknown ['juggling']",
        ),
        (lambda d: d["suggestions"].pop("general"), "needs a 'general' entry"),
        (lambda d: d["calm_down"].update(signals=[{"id": "x", "text": "X"}]), "include 'own'"),
        (lambda d: d["calm_down"].update(break_minutes=[0, 20]), "whole numbers above 0"),
    ],
)
def test_broken_content_names_file_and_field(tmp_path, change, message) -> None:
    with pytest.raises(ContentError, match=r"exercises\.yaml") as info:
        ex.load_exercises(_broken(tmp_path, change))
    assert message in str(info.value)


# -- the listening round ----------------------------------------------------------------
def test_timer_counts_down_with_the_injected_clock_and_pauses() -> None:
    clock = FakeClock()
    rnd = ex.ListeningRound(CONTENT.listening, round_length=90, clock=clock)
    assert (rnd.remaining(), rnd.running) == (90, False)
    clock.now += 50  # not started: nothing passes
    assert rnd.remaining() == 90
    rnd.start()
    clock.now += 10.5
    assert rnd.remaining() == 80  # rounded up
    rnd.pause()
    clock.now += 100
    assert rnd.remaining() == 80
    rnd.start()
    clock.now += 200
    assert rnd.remaining() == 0 and rnd.time_up()


def test_steps_go_speak_reflect_reply_with_their_own_lengths() -> None:
    clock = FakeClock()
    rnd = ex.ListeningRound(CONTENT.listening, round_length=60, clock=clock)
    rnd.start()
    clock.now += 20
    rnd.next_step()
    assert rnd.step == "reflect"
    assert rnd.running and rnd.remaining() == CONTENT.listening.step("reflect").seconds
    rnd.next_step()
    assert rnd.step == "reply"
    with pytest.raises(InputError, match="switch turns"):
        rnd.next_step()


def test_the_listener_reflects_back_before_the_turn_switches() -> None:
    rnd = ex.ListeningRound(CONTENT.listening, first_speaker="B", clock=FakeClock())
    assert (rnd.speaker, rnd.listener) == ("B", "A")
    assert not rnd.can_switch
    with pytest.raises(InputError, match="reflects back before replying"):
        rnd.switch_turn()
    assert (rnd.speaker, rnd.turns_completed) == ("B", 0)  # nothing changed
    rnd.next_step()
    rnd.start()
    rnd.switch_turn()  # switching straight after reflecting is allowed
    assert (rnd.speaker, rnd.listener, rnd.step, rnd.turn) == ("A", "B", "speak", 2)
    assert not rnd.running and rnd.remaining() == rnd.round_length


def test_record_counts_a_turn_once_its_listener_has_reflected() -> None:
    rnd = ex.ListeningRound(CONTENT.listening, clock=FakeClock())
    assert rnd.record()["turns"] == 0
    rnd.next_step()
    assert rnd.record()["turns"] == 1
    rnd.switch_turn()
    assert rnd.record() == {"turns": 1, "round_length": CONTENT.listening.default_round_length}
    rnd.next_step()
    rnd.next_step()
    assert rnd.record()["turns"] == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"round_length": 75}, "round length"),
        ({"first_speaker": "C"}, "first speaker"),
    ],
)
def test_round_refuses_bad_settings(kwargs, message) -> None:
    with pytest.raises(InputError, match=message):
        ex.ListeningRound(CONTENT.listening, **kwargs)


def test_rounds_are_stored_at_session_level(session) -> None:
    rnd = ex.ListeningRound(CONTENT.listening, clock=FakeClock())
    with pytest.raises(InputError, match="nothing to record yet"):
        ex.record_listening_round(session, rnd)
    assert session.entries(ex.LISTENING_KIND) == []
    rnd.next_step()
    rnd.switch_turn()
    rnd.next_step()
    ex.record_listening_round(session, rnd)
    ex.record_listening_round(session, rnd)
    stored = session.entries(ex.LISTENING_KIND)
    assert len(stored) == 2 and all(e.couple_code is None for e in stored)
    assert ex.listening_totals(session) == {"rounds": 2, "turns": 4}


# -- rituals plan ---------------------------------------------------------------------
def test_plan_is_saved_and_read_back(session) -> None:
    code = session.couple_codes()[0]
    assert ex.rituals_plan(session, code) is None
    choices = [
        {"ritual": "weekly_date", "day": "Friday", "time": "7:30"},
        {
            "ritual": "own",
            "day": "Sunday",
            "time": "09.00",
            "text": "  Pancakes   with the radio on ",
        },
    ]
    ex.save_rituals_plan(session, code, choices)
    got = ex.rituals_plan(session, code)
    assert [(p.ritual, p.day, p.time, p.text) for p in got] == [
        ("weekly_date", "Friday", "07:30", ""),
        ("own", "Sunday", "09:00", "Pancakes with the radio on"),
    ]
    assert ex.ritual_label(got[1], CONTENT.rituals) == "Pancakes with the radio on"
    assert ex.ritual_label(got[0], CONTENT.rituals) == "A weekly date"


@pytest.mark.parametrize(
    "choices, message",
    [
        (plan("walk"), "2 to 3 rituals; not 1"),
        (plan("walk", "cooking", "weekly_date") + plan("goodnight"), "not 4"),
        (plan("walk", "juggling"), "ritual 2: ritual must be one of"),
        (
            [{"ritual": "walk", "day": "Funday", "time": "10:00"}, *plan("cooking")],
            "ritual 1: day must be one of",
        ),
        (
            [{"ritual": "walk", "day": "Monday", "time": "25:00"}, *plan("cooking")],
            "ritual 1: time must be written HH:MM",
        ),
        ([{"ritual": "walk", "day": "Monday", "time": ""}, *plan("cooking")], "HH:MM"),
        (plan("walk", "own"), "ritual 2: please write your own words"),
        (
            [*plan("walk"), {"ritual": "own", "day": "Monday", "time": "10:00", "text": "x" * 121}],
            "at most 120 characters",
        ),
        (
            [
                {"ritual": "walk", "day": "Monday", "time": "10:00", "text": "hello"},
                *plan("cooking"),
            ],
            "own words go with 'Our own ritual' only",
        ),
        (plan("walk", "walk"), "ritual 2: 'A walk together' is already in the plan"),
        ([None, *plan("walk")], "ritual 1 must be a mapping"),
    ],
)
def test_bad_plans_are_refused_and_nothing_changes(session, choices, message) -> None:
    code = session.couple_codes()[1]
    ex.save_rituals_plan(session, code, plan("walk", "cooking"))
    with pytest.raises(InputError) as info:
        ex.save_rituals_plan(session, code, choices)
    assert message in str(info.value)
    assert [p.ritual for p in ex.rituals_plan(session, code)] == ["walk", "cooking"]


def test_two_own_rituals_with_different_words_are_fine() -> None:
    choices = [
        {"ritual": "own", "day": "Monday", "time": "10:00", "text": "Chess"},
        {"ritual": "own", "day": "Monday", "time": "11:00", "text": "Piano"},
    ]
    assert len(ex.check_rituals_plan(choices)) == 2
    choices[1]["text"] = "chess"
    with pytest.raises(InputError, match="already in the plan"):
        ex.check_rituals_plan(choices)


def test_plan_for_an_unknown_couple_is_refused(session) -> None:
    with pytest.raises(InputError, match="not in this session"):
        ex.save_rituals_plan(session, "ZZZZ", plan("walk", "cooking"))


# -- calm-down plan -------------------------------------------------------------------
def test_calm_down_plans_are_per_partner(session) -> None:
    code = session.couple_codes()[0]
    plan_a = ex.check_calm_down_plan("own", 30, "same_place", signal_text='I say "penguin"')
    ex.save_calm_down_plan(session, code, "a", plan_a)
    assert ex.calm_down_plan(session, code, "A") == plan_a
    assert ex.calm_down_plan(session, code, "B") is None
    assert (
        ex.choice_words(CONTENT.calm_down.signals, plan_a.signal, plan_a.signal_text)
        == 'I say "penguin"'
    )
    assert ex.choice_words(CONTENT.calm_down.come_back, "same_place", "").startswith("We meet")


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("shout", 20, "i_come_back"), {}, "signal must be one of"),
        (("pause_word", 25, "i_come_back"), {}, "break length (minutes) must be one of"),
        (("pause_word", True, "i_come_back"), {}, "break length"),
        (("pause_word", 20, "never"), {}, "way to come back must be one of"),
        (("own", 20, "i_come_back"), {}, "signal: please write your own words"),
        (("pause_word", 20, "own"), {"come_back_text": " "}, "please write your own words"),
        (("pause_word", 20, "i_come_back"), {"signal_text": "mine"}, "own words go with 'own'"),
    ],
)
def test_bad_calm_down_plans_are_refused(args, kwargs, message) -> None:
    with pytest.raises(InputError) as info:
        ex.check_calm_down_plan(*args, **kwargs)
    assert message in str(info.value)


# -- room counts and the next steps -------------------------------------------------------
def test_room_counts_fold_small_rituals_and_never_show_own_words(session) -> None:
    codes = session.couple_codes()  # four couples, k = 3
    secret = "Our secret picnic spot"
    own = {"ritual": "own", "day": "Monday", "time": "10:00", "text": secret}
    ex.save_rituals_plan(session, codes[0], [*plan("walk", "cooking"), own])
    ex.save_rituals_plan(session, codes[1], plan("walk", "goodnight"))
    ex.save_rituals_plan(session, codes[2], plan("walk", "weekly_date"))
    counts = ex.room_ritual_counts(session)
    assert counts.to_dict("records") == [
        {"ritual": "walk", "name": "A walk together", "couples": 3},
        {"ritual": "Other", "name": "Other rituals", "couples": 3},
    ]
    assert secret not in counts.to_string()
    # with k = 4, nothing is left to show
    assert ex.room_ritual_counts(session, k=4).empty
    assert ex.plans_made(session) == {"rituals_plans": 3, "calm_down_plans": None}


def test_next_steps_with_a_plan_gives_no_ideas(session) -> None:
    code = session.couple_codes()[0]
    ex.save_rituals_plan(session, code, plan("walk", "cooking"))
    steps = ex.next_steps(session, code, ["conflict"])
    assert [p.ritual for p in steps.plan] == ["walk", "cooking"]
    assert steps.ideas == ()
    assert steps.calm_down == {"A": None, "B": None}


def test_next_steps_without_a_plan_draw_on_the_lowest_themes(session) -> None:
    code = session.couple_codes()[0]
    steps = ex.next_steps(session, code, ["conflict", "gratitude", "empathy", "hard_times"])
    assert steps.plan is None
    assert [i.theme for i in steps.ideas] == ["conflict", "gratitude", "empathy"]
    assert steps.ideas[0].theme_name == "Resolving conflict"
    assert steps.ideas[0].rituals[0].id == CONTENT.suggestions["conflict"].rituals[0]
    general = ex.next_steps(session, code)
    assert [i.theme for i in general.ideas] == [ex.GENERAL]
    with pytest.raises(InputError, match="theme must be one of"):
        ex.next_steps(session, code, ["astrology"])


# -- demo, summary, layers ---------------------------------------------------------------
def test_demo_holds_plans_for_most_couples_and_a_few_rounds(demo_session) -> None:
    codes = demo_session.couple_codes()
    with_plan = [c for c in codes if ex.rituals_plan(demo_session, c)]
    assert 8 <= len(with_plan) < len(codes)
    assert ex.rituals_plan(demo_session, codes[2]) is None
    partners = len(demo_session.entries(ex.CALM_DOWN_KIND))
    assert 16 <= partners < 2 * len(codes)
    assert ex.listening_totals(demo_session)["rounds"] == 3


def test_summary_section_is_json_and_anonymous(demo_session) -> None:
    assert summary.SUMMARY_SECTIONS["exercises"] is ex.summary_section
    section = summary.build_summary(demo_session)["exercises"]
    text = json.dumps(section)
    for code in demo_session.couple_codes():
        assert code not in text
    for entry in demo_session.entries(ex.RITUALS_KIND):
        for ritual in entry.value["rituals"]:
            if ritual["text"]:
                assert ritual["text"] not in text
    assert all(row["couples"] >= demo_session.k for row in section["rituals_chosen"])
    assert section["listening"] == ex.listening_totals(demo_session)
    assert section["rituals_plans"] == len(demo_session.entries(ex.RITUALS_KIND))


def test_pure_logic_imports_no_drawing_or_widgets() -> None:
    code = (
        "import sys, workshop_kit.exercises; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
