"""Appreciation widgets, headless: set values, call handlers, read the store and the view."""

from __future__ import annotations

import asyncio
import html
import re

import ipywidgets as w
import pytest

from workshop_kit import appreciation as ap
from workshop_kit.widgets.appreciation import (
    CHOOSE,
    NoteWriter,
    RoomWordsView,
    RoundRunner,
    WordsEntry,
)


class FakeClock:
    def __init__(self):
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def _px(html: str) -> int:
    return int(re.search(r"font-size:(\d+)px", html).group(1))


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


# -- round runner ---------------------------------------------------------------------
def test_round_runner_shows_the_prompt_and_clock_large_and_waits(session):
    runner = RoundRunner(session, kind="gestures", clock=FakeClock(), autotick=False)
    prompt = ap.load_appreciation().prompts("gestures")[0]
    assert prompt.text in runner.prompt_html.value
    assert _px(runner.prompt_html.value) >= 48
    assert _px(runner.clock_html.value) >= 100
    assert ">1:00<" in runner.clock_html.value
    assert runner.countdown.state == "ready" and runner._task is None  # never starts alone
    assert ap.rounds_run(session).empty
    assert runner.pause_button.disabled and not runner.start_button.disabled
    buttons = [b for b in _walk(runner.view) if isinstance(b, w.Button)]
    assert {b.description for b in buttons} >= {"▶ Start", "❚❚ Pause", "+30 s", "Next prompt ▶"}
    assert all(b.layout.min_height == "52px" for b in buttons)


def test_round_runner_counts_down_pauses_adds_and_signals_the_end(session):
    clock = FakeClock()
    runner = RoundRunner(session, kind="gestures", clock=clock, autotick=False)
    runner.start_button.click()
    assert len(ap.rounds_run(session)) == 1  # recorded when started
    clock.now += 20
    assert runner.tick() is True
    assert ">0:40<" in runner.clock_html.value and runner.start_button.disabled
    runner.pause_button.click()
    clock.now += 300
    assert runner.tick() is False and ">0:40<" in runner.clock_html.value
    assert runner.start_button.description == "▶ Resume"
    runner.add_button.click()
    assert ">1:10<" in runner.clock_html.value
    runner.start()
    clock.now += 65
    runner.tick()
    assert "#b35900" in runner.clock_html.value  # the last seconds warn in orange
    clock.now += 10
    assert runner.tick() is False
    shown = html.unescape(runner.clock_html.value)
    assert "Time's up" in shown and "background:#0072B2" in shown
    assert runner.audio.value == b""  # sound is off by default
    rounds = ap.rounds_run(session)
    assert len(rounds) == 1 and rounds["seconds_run"].iloc[0] == 90.0


def test_round_runner_chimes_only_when_asked(session):
    clock = FakeClock()
    runner = RoundRunner(session, kind="gestures", clock=clock, autotick=False)
    runner.sound.value = True
    runner.start()
    clock.now += 61
    runner.tick()
    assert runner.audio.value[:4] == b"RIFF" and runner.audio.layout.display == "none"


def test_add_time_after_the_end_runs_on(session):
    clock = FakeClock()
    runner = RoundRunner(session, kind="gestures", clock=clock, autotick=False)
    runner.start()
    clock.now += 100
    runner.tick()
    runner.add_time()
    assert runner.countdown.running and ">0:30<" in runner.clock_html.value
    assert len(ap.rounds_run(session)) == 1  # still the same round


def test_next_prompt_resets_and_records(session):
    clock = FakeClock()
    runner = RoundRunner(session, kind="strengths", clock=clock, autotick=False)
    runner.start()
    clock.now += 30
    runner.next_button.click()
    prompts = ap.load_appreciation().prompts("strengths")
    assert prompts[1].text in runner.prompt_html.value
    assert runner.countdown.state == "ready" and ">1:30<" in runner.clock_html.value
    assert ap.rounds_run(session)["seconds_run"].tolist() == [30.0]
    runner.next()  # the third and last prompt
    assert runner.next_button.disabled
    runner.next()
    assert "last prompt" in runner.message.value
    runner.kind_picker.value = "thanks"
    assert ap.load_appreciation().prompts("thanks")[0].text in runner.prompt_html.value
    assert len(ap.rounds_run(session)) == 1  # prompts never started are not rounds


def test_round_runner_ticks_from_an_asyncio_task_without_blocking(session):
    clock = FakeClock()

    async def scenario():
        runner = RoundRunner(session, kind="gestures", clock=clock, tick_seconds=0.01)
        runner.start()
        task = runner._task
        assert task is not None and not task.done()
        clock.now += 25
        await asyncio.sleep(0.08)  # the loop stays free while the task ticks
        assert ">0:35<" in runner.clock_html.value
        runner.pause()
        await asyncio.sleep(0)
        assert task.cancelled() and runner._task is None
        runner.start()
        clock.now += 40
        await asyncio.sleep(0.08)
        assert "Time's up" in html.unescape(runner.clock_html.value)
        assert runner._task.done()  # the task ends itself at the end of the round
        return runner

    asyncio.run(scenario())


def test_round_runner_refuses_unknown_kind(session):
    with pytest.raises(ap.InputError, match="prompt kind must be one of"):
        RoundRunner(session, kind="gifts", autotick=False)


# -- note writer ----------------------------------------------------------------------
def test_note_writer_saves_on_submit_only_and_shares_by_toggle(session):
    code = session.couple_codes()[0]
    writer = NoteWriter(session)
    writer.open_button.click()
    assert "choose your couple code" in writer.who_message.value
    writer.code_picker.value = code
    writer.partner_picker.value = "A"
    writer.open_button.click()
    assert writer.gate.box in writer.view.children  # first use: choose a secret
    writer.gate.secret.value = writer.gate.repeat.value = "tulip"
    writer.gate.ok_button.click()
    assert writer.writer_screen in writer.view.children
    writer.text_area.value = "Thank you for the tea every morning."
    assert ap.notes(session, code) == []  # typing saves nothing
    writer.save_button.click()
    [note] = ap.notes(session, code, "A")
    assert note.text == "Thank you for the tea every morning."
    assert not note.shared and note.to == "B"
    assert writer.text_area.value == "" and "stays private" in writer.who_message.value
    # the writer is closed: the next person finds no code, partner or notes on screen
    assert writer.who_screen in writer.view.children and writer.notes_box.children == ()
    assert writer.code_picker.value == CHOOSE and writer.partner_picker.value is None
    writer.open(code, "A", secret="tulip")
    toggle = next(c for c in _walk(writer.notes_box) if isinstance(c, w.ToggleButton))
    toggle.value = True
    assert ap.notes(session, code, shared_only=True)[0].id == note.id
    toggle = next(c for c in _walk(writer.notes_box) if isinstance(c, w.ToggleButton))
    assert toggle.description == "Shared with my partner"


def test_note_writer_shows_only_its_own_writer_and_hides_on_done(session):
    code = session.couple_codes()[0]
    ap.save_note(session, code, "B", "B's private thought")
    writer = NoteWriter(session, code, "A", secret="tulip")
    writer.text_area.value = "   "
    writer.save()
    assert "must not be empty" in writer.message.value and ap.notes(session, code, "A") == []
    writer.text_area.value = "A's note"
    writer.share_now.value = True
    writer.save()
    assert "on your card" in writer.who_message.value
    writer.open(code, "A", secret="tulip")
    shown = " ".join(c.value for c in _walk(writer.notes_box) if isinstance(c, w.HTML))
    assert "A&#x27;s note" in shown and "private thought" not in shown
    assert ap.notes(session, code, "A")[0].shared
    writer.done_button.click()
    assert writer.notes_box.children == () and writer.who_screen in writer.view.children
    assert writer.code_picker.value == CHOOSE


def test_note_writer_resumes_and_removes(session):
    code = session.couple_codes()[1]
    ap.save_note(session, code, "B", "first")
    session.set_partner_secret(code, "B", "tulip")
    writer = NoteWriter(session, code, "B", secret="tulip")  # a rebuilt widget shows it
    remove = next(
        c for c in _walk(writer.notes_box) if isinstance(c, w.Button) and c.description == "Remove"
    )
    remove.click()
    assert ap.notes(session, code) == []
    assert "No notes yet" in writer.notes_box.children[0].value


def test_a_wrong_secret_shows_no_note_and_changes_nothing(session):
    code = session.couple_codes()[1]
    session.set_partner_secret(code, "A", "tulip")
    note_id = ap.save_note(session, code, "A", "my private thought")
    writer = NoteWriter(session)
    writer.code_picker.value = code
    writer.partner_picker.value = "A"
    writer.open_button.click()
    writer.gate.secret.value = "rose1"
    writer.gate.ok_button.click()
    assert "does not match" in writer.gate.message.value
    assert writer.writer_screen not in writer.view.children
    assert writer.notes_box.children == ()
    shown = " ".join(c.value for c in _walk(writer.view) if isinstance(c, w.HTML))
    assert "private thought" not in shown
    writer.set_shared(note_id, True)  # a stale handler cannot act without the secret
    writer.delete(note_id)
    writer.text_area.value = "sneaky"
    assert writer.save() is None
    [note] = ap.notes(session, code, "A")
    assert not note.shared and note.text == "my private thought"
    writer.gate.secret.value = "Tulip"
    writer.gate.ok_button.click()
    shown = " ".join(c.value for c in _walk(writer.notes_box) if isinstance(c, w.HTML))
    assert "private thought" in shown


def test_a_removed_note_leaves_no_text_in_the_store_file(session):
    code = session.couple_codes()[2]
    note_id = ap.save_note(session, code, "A", "zebracrossing secret words")
    ap.set_note_shared(session, code, "A", note_id, True)  # a second row with the text
    ap.delete_note(session, code, "A", note_id)
    session.store.checkpoint()
    raw = session.path.read_bytes()
    wal = session.path.with_name(session.path.name + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    assert b"zebracrossing" not in raw
    assert ap.notes(session, code) == []


# -- words ----------------------------------------------------------------------------
def test_words_entry_saves_checks_and_resumes(session):
    code = session.couple_codes()[0]
    entry = WordsEntry(session)
    assert len(entry.word_boxes) == 3
    entry.save_button.click()
    assert "choose your couple code" in entry.message.value
    entry.code_picker.value = code
    entry.partner_picker.value = "B"
    entry.word_boxes[0].value = "Patient!"
    entry.word_boxes[1].value = "very funny"
    entry.save()
    assert "must be one single word" in entry.message.value
    assert ap.words_of(session, code, "B") == []
    entry.word_boxes[1].value = "hugs"
    assert entry.save() == ["patient", "hug"]
    assert "Saved: patient, hug" in entry.message.value
    # the next person finds an empty form, not the previous person's code and words
    assert [b.value for b in entry.word_boxes] == ["", "", ""]
    assert entry.code_picker.value == CHOOSE and entry.partner_picker.value is None
    again = WordsEntry(session, code, "B")  # whoever picks B sees none of B's words
    assert [b.value for b in again.word_boxes] == ["", "", ""]
    again.word_boxes[0].value = "kind"
    assert again.save() == ["kind"]  # new words replace the earlier ones
    assert ap.words_of(session, code, "B") == ["kind"]


def test_room_words_view_draws_only_k_words(session):
    codes = session.couple_codes()
    for code in codes[:2]:
        for partner in "AB":
            ap.save_words(session, code, partner, ["kind"])
    ap.save_words(session, codes[2], "A", ["rare"])
    view = RoomWordsView(session)
    assert view.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert view.words["word"].tolist() == ["kind"]
    assert "5 people" in view.caption.value
    view.style_picker.value = "bars"
    assert view.image.value[:4] == b"\x89PNG"
