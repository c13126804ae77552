"""Appreciation logic: content, word rules, the k rule, note privacy, the countdown."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workshop_kit import appreciation as ap
from workshop_kit.errors import ContentError, InputError
from workshop_kit.summary import build_summary

MARKER = "Zanzibar-marmalade-secret"


# -- content --------------------------------------------------------------------------
def test_content_has_every_kind_with_timed_prompts():
    content = ap.load_appreciation()
    assert [k.id for k in content.kinds] == [
        "thanks",
        "gestures",
        "strengths",
        "growth",
        "affirmations",
    ]
    for kind in content.kinds:
        assert len(kind.prompts) >= 3
        for prompt in kind.prompts:
            assert prompt.text.endswith((".", "?", '"')) and len(prompt.text) > 20
            assert 30 <= prompt.seconds <= 300
    # a prompt may override its kind's length
    assert content.prompt("thanks_hard_day").seconds == 120
    assert content.prompt("thanks_everyday").seconds == 90


def test_content_errors_name_file_entry_and_field(tmp_path):
    text = (ap.CONTENT_DIR / "appreciation.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "appreciation.yaml"
    broken.write_text(text.replace("    seconds: 90\n", "", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"kind 'thanks', prompt 'thanks_everyday'.*seconds"):
        ap.load_appreciation(broken)
    broken.write_text(text.replace("min: 1", "min: 5"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"words: field 'min' must not be above 'max'"):
        ap.load_appreciation(broken)


def test_unknown_prompt_kind_is_refused():
    with pytest.raises(InputError, match=r"prompt kind must be one of \['thanks'"):
        ap.load_appreciation().prompts("gifts")


# -- words ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Patient", "patient"),
        ("  funny  ", "funny"),
        ("Kind!", "kind"),
        ("'loyal.'", "loyal"),
        ("kindnesses", "kindness"),
        ("hugs", "hug"),
        ("smiles", "smile"),
        ("abilities", "ability"),
        ("hard-working", "hard-working"),
        ("Generous", "generous"),
        ("always", "always"),
        ("kindness", "kindness"),
        ("Bliss", "bliss"),
        ("yes", "yes"),
        ("dad’s", "dad's"),
    ],
)
def test_normalise_word(given, expected):
    assert ap.normalise_word(given) == expected


def test_check_words_merges_repeats_and_ignores_blanks():
    assert ap.check_words(["Funny", " ", "FUNNY!", "hugs"]) == ["funny", "hug"]


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ([], r"from 1 to 3 different words; got 0"),
        (["", "  "], r"got 0"),
        (["kind", "calm", "fun", "brave"], r"from 1 to 3 different words; got 4"),
        (["kind", "very patient"], r"word 2 \('very patient'\) must be one single word"),
        (["calm", "r2d2"], r"word 2 \('r2d2'\) must be one single word"),
        (["x" * 31], r"at most 30 letters"),
        (["Stupid!"], r"word 1 \('Stupid!'\) is on the list of words kept off"),
        (["kind", "IDIOTS"], r"word 2 .* kept off"),
        (["lazy-bones"], r"kept off"),
    ],
)
def test_check_words_errors(words, message):
    with pytest.raises(InputError, match=message):
        ap.check_words(words)


def test_block_list_matches_whole_words_only():
    # "hello" holds "hell", "class" holds "ass": whole words are fine
    assert ap.check_words(["hello", "classy", "assured"]) == ["hello", "classy", "assured"]


def test_bad_words_change_nothing(session):
    code = session.couple_codes()[0]
    ap.save_words(session, code, "A", ["kind"])
    with pytest.raises(InputError):
        ap.save_words(session, code, "A", ["kind", "stupid"])
    assert ap.words_of(session, code, "A") == ["kind"]
    with pytest.raises(InputError, match="couple code 'NOPE' is not in this session"):
        ap.save_words(session, "nope", "A", ["kind"])


def _give(session, words_by_participant):
    codes = session.couple_codes()
    for i, words in enumerate(words_by_participant):
        ap.save_words(session, codes[i // 2], "AB"[i % 2], words)


def test_room_words_keep_only_words_k_people_gave(session):
    _give(
        session,
        [["kind", "funny"], ["Kind"], ["kindness", "calm"], ["kinds"], ["funny"], ["brave"]],
    )
    room = ap.room_words(session)  # k = 3
    assert room.to_dict("records") == [{"word": "kind", "participants": 3}]
    assert "Other" not in set(room["word"])  # rare words are dropped, not folded
    assert ap.room_words(session, k=2)["word"].tolist() == ["kind", "funny"]


def test_a_participant_counts_once_and_the_latest_words_win(session):
    code = session.couple_codes()[0]
    for _ in range(3):
        ap.save_words(session, code, "A", ["patient"])
    assert ap.room_words(session, k=1).to_dict("records") == [
        {"word": "patient", "participants": 1}
    ]
    ap.save_words(session, code, "A", ["calm"])
    assert ap.room_words(session, k=1)["word"].tolist() == ["calm"]
    ap.withdraw_words(session, code, "A")
    assert ap.room_words(session, k=1).empty


def test_room_words_empty_session(session):
    room = ap.room_words(session)
    assert room.empty and list(room.columns) == ["word", "participants"]


# -- notes ----------------------------------------------------------------------------
def test_notes_are_private_until_the_writer_shares(session):
    code = session.couple_codes()[0]
    first = ap.save_note(session, code, "A", "  Thank you\n\n\n\nfor the tea. ")
    second = ap.save_note(session, code, "A", "You are brave.", shared=True)
    ap.save_note(session, code, "B", "Thanks for the walk.")
    mine = ap.notes(session, code, "A")
    assert [n.text for n in mine] == ["Thank you\n\nfor the tea.", "You are brave."]
    assert all(n.writer == "A" and n.to == "B" for n in mine)
    assert [n.id for n in ap.notes(session, code, shared_only=True)] == [second]
    ap.set_note_shared(session, code, "A", first, True)
    assert {n.id for n in ap.notes(session, code, shared_only=True)} == {first, second}
    ap.set_note_shared(session, code, "A", second, False)
    assert [n.id for n in ap.notes(session, code, shared_only=True)] == [first]


def test_only_the_writer_can_share_or_remove_a_note(session):
    code = session.couple_codes()[0]
    note = ap.save_note(session, code, "A", "Thank you.")
    with pytest.raises(InputError, match=r"partner B of couple .* has no note with id"):
        ap.set_note_shared(session, code, "B", note, True)
    with pytest.raises(InputError, match="has no note"):
        ap.delete_note(session, session.couple_codes()[1], "A", note)
    assert not ap.notes(session, code, "A")[0].shared
    ap.delete_note(session, code, "A", note)
    assert ap.notes(session, code) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n ", "must not be empty"),
        ("x" * 1201, "at most 1200 characters; this one has 1201"),
        (None, "must be text"),
    ],
)
def test_bad_notes_are_refused_and_change_nothing(session, text, message):
    code = session.couple_codes()[0]
    with pytest.raises(InputError, match=message):
        ap.save_note(session, code, "A", text)
    assert ap.notes(session, code) == []


def test_note_text_is_cleaned():
    assert ap.clean_note_text("a\x00b\r\nc\x07  d") == "ab\nc d"
    assert len(ap.clean_note_text("é" * 1000)) == 1000


def test_counts_per_couple_hold_counts_only(session):
    a, b = session.couple_codes()[:2]
    ap.save_note(session, a, "A", MARKER, shared=True)
    ap.save_note(session, a, "B", MARKER)
    ap.save_note(session, b, "B", MARKER)
    ap.save_words(session, a, "A", ["kind"])
    counts = ap.notes_per_couple(session).set_index("couple_code")
    assert counts.loc[a].tolist() == [2, 1, 1]
    assert counts.loc[b].tolist() == [1, 0, 0]
    assert MARKER not in counts.to_string()


def test_no_note_text_reaches_any_room_output(demo_session):
    codes = demo_session.couple_codes()
    for code in codes:
        for partner in "AB":
            ap.save_note(demo_session, code, partner, f"{MARKER} shared", shared=True)
            ap.save_note(demo_session, code, partner, f"{MARKER} private")
            # even a participant typing their note as a "word" cannot leak it
            ap.save_words(demo_session, code, partner, ["zanzibar"])
    summary = build_summary(demo_session)
    assert MARKER not in json.dumps(summary, ensure_ascii=False)
    section = json.dumps(summary["appreciation"], ensure_ascii=False)
    assert not any(code in section for code in codes)
    assert {"word": "zanzibar", "participants": 24} in summary["appreciation"]["words"]
    for frame in (
        ap.room_words(demo_session),
        ap.rounds_run(demo_session),
        ap.notes_per_couple(demo_session),
    ):
        assert MARKER not in frame.to_string()


def test_summary_section(demo_session):
    section = build_summary(demo_session)["appreciation"]
    assert set(section) == {
        "words",
        "participants_with_words",
        "rounds_run",
        "notes_written",
        "notes_shared",
        "couples_writing_notes",
    }
    assert all(row["participants"] >= demo_session.k for row in section["words"])
    assert section["rounds_run"] == 3
    assert 0 < section["notes_shared"] < section["notes_written"]
    json.dumps(section)


def test_demo_has_shared_and_private_notes_words_and_rounds(demo_session):
    counts = ap.notes_per_couple(demo_session)
    assert counts["notes_written"].sum() > counts["notes_shared"].sum() > 0
    assert (counts["partners_with_words"] > 0).sum() >= 8
    assert len(ap.room_words(demo_session)) >= 3
    rounds = ap.rounds_run(demo_session)
    assert len(rounds) == 3 and (rounds["seconds_run"] >= rounds["seconds_planned"]).all()


# -- countdown ------------------------------------------------------------------------
class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_countdown_start_pause_resume():
    clock = FakeClock()
    timer = ap.Countdown(60, clock=clock)
    assert timer.state == "ready" and timer.remaining() == 60
    clock.now += 100  # nothing runs before start
    assert timer.remaining() == 60
    timer.start()
    clock.now += 15
    assert timer.remaining() == 45 and timer.running and timer.state == "running"
    timer.pause()
    clock.now += 500
    assert timer.remaining() == 45 and timer.state == "paused" and not timer.running
    timer.resume()
    timer.start()  # a second press changes nothing
    clock.now += 44.5
    assert timer.remaining() == pytest.approx(0.5)
    assert ap.format_clock(timer.remaining()) == "0:01"
    clock.now += 1
    assert timer.finished and timer.state == "finished" and timer.remaining() == 0
    assert timer.elapsed() == 60


def test_countdown_add_time_before_and_after_the_end():
    clock = FakeClock()
    timer = ap.Countdown(30, clock=clock)
    timer.start()
    clock.now += 10
    timer.add()
    assert timer.remaining() == 50
    clock.now += 200  # long past the end
    assert timer.finished
    timer.add(30)  # runs on for 30 s from now, not eaten by the overrun
    assert timer.running and timer.remaining() == 30
    clock.now += 30
    assert timer.finished


def test_countdown_start_after_the_end_starts_again():
    clock = FakeClock()
    timer = ap.Countdown(10, clock=clock)
    timer.start()
    clock.now += 11
    timer.start()
    assert timer.remaining() == 10 and timer.running


@pytest.mark.parametrize("bad", [0, -5, 4000, "60", True])
def test_countdown_refuses_bad_lengths(bad):
    with pytest.raises(InputError, match="a round must last from 1 second to an hour"):
        ap.Countdown(bad)


def test_countdown_refuses_bad_additions():
    with pytest.raises(InputError, match="time to add must be a positive number"):
        ap.Countdown(10).add(-30)


def test_round_plan_moves_through_prompts():
    clock = FakeClock()
    prompts = ap.load_appreciation().prompts("thanks")
    plan = ap.RoundPlan(prompts, clock=clock)
    plan.countdown.start()
    clock.now += 20
    plan.next()
    assert plan.current.id == "thanks_unseen" and plan.countdown.state == "ready"
    assert plan.countdown.remaining() == 90
    plan.next()
    assert plan.position == (3, 3) and plan.countdown.total == 120 and not plan.has_next
    with pytest.raises(InputError, match="that was the last of 3 prompts"):
        plan.next()
    with pytest.raises(InputError, match="needs at least one prompt"):
        ap.RoundPlan([])


def test_rounds_are_recorded_and_updated(session):
    prompt = ap.load_appreciation().prompt("strengths_proud")
    round_id = ap.record_round(session, prompt)
    ap.record_round(session, prompt, 95.44, round_id=round_id)
    rounds = ap.rounds_run(session)
    assert rounds[["prompt_id", "kind", "seconds_planned", "seconds_run"]].to_dict("records") == [
        {
            "prompt_id": "strengths_proud",
            "kind": "strengths",
            "seconds_planned": 90,
            "seconds_run": 95.4,
        }
    ]


def test_pure_module_imports_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, workshop_kit.appreciation; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
