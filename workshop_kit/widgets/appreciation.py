"""Appreciation widgets: the round runner (projector), a note writer and the room words.

The round runner's countdown never blocks the kernel: while a round runs, an asyncio task
on the kernel's own event loop calls :meth:`RoundRunner.tick` once a second, and pausing
or moving on cancels it. Tests inject a fake clock and call ``tick()`` themselves.
"""

from __future__ import annotations

import asyncio
import html
import io
import math
import struct
import time
import wave
from functools import lru_cache

import ipywidgets as w

from .. import appreciation as ap
from ..disclosure import waiting_note
from ..errors import WorkshopKitError
from ..session import Session
from . import common
from .common import CHOOSE  # noqa: F401  (re-exported: tests and notebooks import it here)
from .secret_gate import SecretGate, open_with_secret

PROMPT_PX = 56
CLOCK_PX = 150
RUNNING, WARNING, ENDED = "#1a1a1a", "#b35900", "#ffffff"
ENDED_BACKGROUND = "#0072B2"


@lru_cache(maxsize=1)
def chime_wav() -> bytes:
    """A soft two-note chime (WAV), played at the end of a round when sound is on."""
    rate, out = 22050, io.BytesIO()
    samples = []
    for freq, length in ((660.0, 0.25), (880.0, 0.45)):
        n = int(rate * length)
        for i in range(n):
            fade = min(1.0, i / 400, (n - i) / (n * 0.6))
            samples.append(int(9000 * fade * math.sin(2 * math.pi * freq * i / rate)))
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return out.getvalue()


def _spaced(*items: w.DOMWidget) -> list[w.DOMWidget]:
    """Items with room between them (a margin on each; Layout has no gap)."""
    for item in items:
        item.layout.margin = "0 12px 8px 0"
    return list(items)


def _who_pickers(session: Session) -> tuple[w.Dropdown, w.ToggleButtons]:
    return common.code_picker(session, layout=w.Layout(width="320px")), common.partner_picker()


class RoundRunner:
    """Run timed appreciation rounds on the projector: a prompt, a big countdown, buttons.

    Parameters
    ----------
    session
        Rounds run are recorded in it (counts for the facilitator).
    kind
        Only prompts of this kind (default: every prompt, in order).
    clock
        Seconds as a float; tests pass a fake clock.
    autotick
        Tick from an asyncio task on the running event loop (off in tests).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", seed=1)
    >>> now = [0.0]
    >>> runner = RoundRunner(s, kind="gestures", clock=lambda: now[0], autotick=False)
    >>> runner.start(); now[0] = 15.0; runner.tick()
    True
    >>> runner.clock_text()
    '0:45'
    """

    def __init__(
        self,
        session: Session,
        kind: str | None = None,
        clock: ap.Clock = time.monotonic,
        autotick: bool = True,
        tick_seconds: float = 1.0,
    ):
        self.session = session
        self.content = ap.load_appreciation()
        self.clock = clock
        self.autotick = autotick
        self.tick_seconds = tick_seconds
        self._task: asyncio.Task | None = None
        self.round_id: str | None = None
        self._ended = False
        self.plan = ap.RoundPlan(self.content.prompts(kind), clock)  # checks ``kind``

        self.kind_picker = w.Dropdown(
            # "all" rather than None: a Dropdown shows a None value as an empty box
            options=[("Every kind, in order", "all")]
            + [(k.name, k.id) for k in self.content.kinds],
            value=kind or "all",
            description="Prompts",
            layout=w.Layout(width="520px"),
        )
        common.on_change(
            self.kind_picker,
            lambda change: self.choose_kind(None if change["new"] == "all" else change["new"]),
            self,
        )
        self.heading = w.HTML()
        self.prompt_html = w.HTML(layout=w.Layout(width="100%"))
        self.clock_html = w.HTML(layout=w.Layout(width="100%"))
        self.start_button = common.button("▶ Start", "success", width="180px")
        self.pause_button = common.button("❚❚ Pause", width="180px")
        self.add_button = common.button(
            "+30 s", "info", width="140px", tooltip="Give this round 30 more seconds"
        )
        self.next_button = common.button("Next prompt ▶", "primary", width="240px")
        common.on_click(self.start_button, lambda: self.start(), self)
        common.on_click(self.pause_button, lambda: self.pause(), self)
        common.on_click(self.add_button, lambda: self.add_time(), self)
        common.on_click(self.next_button, lambda: self.next(), self)
        self.sound = w.Checkbox(value=False, description="Chime when the time is up", indent=False)
        self.audio = w.Audio(
            format="wav", autoplay=True, loop=False, controls=False, layout=w.Layout(display="none")
        )
        self.message = common.text("")
        self.view = common.root(
            [
                w.HBox(
                    [self.kind_picker, self.sound],
                    layout=w.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self.heading,
                self.prompt_html,
                self.clock_html,
                w.HBox(
                    _spaced(
                        self.start_button, self.pause_button, self.add_button, self.next_button
                    ),
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                self.message,
                self.audio,
            ]
        )
        self.render()

    # -- moves ----------------------------------------------------------------------
    @property
    def countdown(self) -> ap.Countdown:
        return self.plan.countdown

    def choose_kind(self, kind: str | None) -> None:
        """Start over with the prompts of one kind (or all)."""
        self._close_round()
        self.plan = ap.RoundPlan(self.content.prompts(kind), self.clock)
        self.render()

    def start(self) -> None:
        """Start (or resume) the countdown; the first start records the round."""
        if self.countdown.finished:
            self._close_round()
        self.countdown.start()
        self._ended = False
        if self.round_id is None:
            self.round_id = ap.record_round(self.session, self.plan.current)
        self._ensure_task()
        self.render()

    def pause(self) -> None:
        self.countdown.pause()
        self._cancel_task()
        self._save_round()
        self.render()

    def add_time(self, seconds: float = ap.ADD_SECONDS) -> None:
        """Give the round more time; a round whose time was up runs on."""
        was_over = self.countdown.finished
        self.countdown.add(seconds)
        if was_over:
            self._ended = False
            self._ensure_task()
        self.render()

    def next(self) -> None:
        """Move to the next prompt (its countdown waits for Start)."""
        if not self.plan.has_next:
            common.set_text(self.message, "That was the last prompt. Well done, everyone.", "wk-ok")
            return
        self._close_round()
        self.plan.next()
        self.render()

    def tick(self) -> bool:
        """Redraw the countdown; at the end show the signal. Returns whether it still runs."""
        if self.countdown.finished and not self._ended:
            self._ended = True
            self._save_round()
            if self.sound.value:
                self.audio.value = chime_wav()
        self.render()
        return self.countdown.running

    # -- the ticking task -------------------------------------------------------------
    def _ensure_task(self) -> None:
        if not self.autotick or (self._task is not None and not self._task.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop running here: tick() is called by hand
            return
        self._task = loop.create_task(self._ticker())

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(self.tick_seconds)
            if not self.tick():
                break

    def _cancel_task(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _save_round(self) -> None:
        if self.round_id is not None:
            ap.record_round(
                self.session, self.plan.current, self.countdown.elapsed(), round_id=self.round_id
            )

    def _close_round(self) -> None:
        self._cancel_task()
        self.countdown.pause()
        self._save_round()
        self.round_id = None
        self.countdown.reset()
        self._ended = False
        common.set_text(self.message, "")

    # -- drawing ----------------------------------------------------------------------
    def clock_text(self) -> str:
        return (
            "Time's up" if self.countdown.finished else ap.format_clock(self.countdown.remaining())
        )

    def render(self) -> None:
        prompt = self.plan.current
        number, total = self.plan.position
        self.heading.value = (
            f'<div class="wk-progress">{html.escape(prompt.kind_name)} · prompt {number} of '
            f"{total} · {ap.format_clock(prompt.seconds)} suggested</div>"
        )
        self.prompt_html.value = (
            f'<div class="wk-appreciation-prompt" style="font-size:{PROMPT_PX}px; '
            f'font-weight:600; line-height:1.25; margin:16px 0;">{html.escape(prompt.text)}</div>'
        )
        state = self.countdown.state
        colour, background = RUNNING, "transparent"
        if state == "finished":
            colour, background = ENDED, ENDED_BACKGROUND
        elif self.countdown.remaining() <= 10:
            colour = WARNING
        elif state in ("ready", "paused"):
            colour = "#6b6b6b"
        self.clock_html.value = (
            f'<div class="wk-countdown wk-countdown-{state}" style="font-size:{CLOCK_PX}px; '
            f"font-weight:700; font-variant-numeric:tabular-nums; text-align:center; "
            f"color:{colour}; background:{background}; border-radius:24px; "
            f'line-height:1.2; padding:8px 0;">{html.escape(self.clock_text())}</div>'
        )
        self.start_button.disabled = state == "running"
        self.start_button.description = (
            "▶ Resume" if state == "paused" else ("▶ Again" if state == "finished" else "▶ Start")
        )
        self.pause_button.disabled = state != "running"
        self.next_button.disabled = not self.plan.has_next


class NoteWriter:
    """One partner writes appreciation notes to the other, and chooses which to share.

    A note is saved when "Save note" is pressed (not while typing). It stays private to
    its writer until the writer switches it to shared; shared notes go on the couple's
    card. "Done" hides this partner's notes before the laptop is passed on. The writer's
    secret (set on first use) is asked before their notes are listed.
    """

    def __init__(
        self,
        session: Session,
        couple_code: str | None = None,
        partner: str | None = None,
        secret: str | None = None,
    ):
        self.session = session
        self.couple_code: str | None = None
        self.partner: str | None = None
        self.code_picker, self.partner_picker = _who_pickers(session)
        self.open_button = common.button("Open my notes", "primary", width="240px")
        common.on_click(self.open_button, lambda: self._open_clicked(), self)
        self.who_message = common.text("")
        self.who_screen = w.VBox(
            [
                common.text("Notes to your partner", "wk-title"),
                common.text(
                    "Write a few words of thanks to your partner. Your notes stay private "
                    "until you choose to share them; shared notes go on your card to "
                    "take home. They are never shown on the screen."
                ),
                w.HBox(
                    [common.text("Couple code", "wk-question"), self.code_picker],
                    layout=w.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self.partner_picker,
                self.open_button,
                self.who_message,
            ]
        )
        self.heading = common.text("", "wk-question")
        self.text_area = w.Textarea(
            placeholder="Dear ..., thank you for ...", layout=w.Layout(width="100%", height="180px")
        )
        self.share_now = w.Checkbox(
            value=False, description="Share this note with my partner", indent=False
        )
        self.save_button = common.button("Save note", "success", width="220px")
        common.on_click(self.save_button, lambda: self.save(), self)
        self.message = common.text("")
        self.notes_box = w.VBox()
        self.done_button = common.button("Done: hide my notes", width="300px")
        common.on_click(self.done_button, lambda: self.close(), self)
        self.writer_screen = w.VBox(
            [
                self.heading,
                self.text_area,
                self.share_now,
                w.HBox(_spaced(self.save_button, self.done_button)),
                self.message,
                common.text("Your notes", "wk-question"),
                self.notes_box,
            ]
        )
        self.writer_screen.add_class("wk-private")
        self.gate = SecretGate(session, self._unlocked, self.close)
        self.view = common.root([self.who_screen])
        if couple_code is not None and partner is not None:
            self.open(couple_code, partner, secret)

    def _open_clicked(self) -> None:
        who = common.picked(self.code_picker, self.partner_picker)
        if who is None:
            common.set_text(self.who_message, common.ASK_WHO, "wk-error")
            return
        self.open(*who)

    def open(self, couple_code: str, partner: str, secret: str | None = None) -> None:
        """Ask for this partner's secret, then show their writing screen and own notes."""
        try:
            self.session.check_participant(couple_code, partner)
        except WorkshopKitError as exc:
            common.set_text(self.who_message, str(exc), "wk-error")
            return
        self.view.children = (self.view.children[0], self.gate.box)
        open_with_secret(self.session, self.gate, couple_code, partner, secret)

    def _unlocked(self, couple_code: str, partner: str) -> None:
        self.couple_code, self.partner = couple_code, partner
        common.set_text(
            self.heading,
            f"Couple {self.couple_code} · partner {self.partner}, "
            f"writing to partner {ap.other_partner(self.partner)}",
            "wk-question",
        )
        common.set_text(self.message, "")
        self.text_area.value = ""
        self.refresh()
        self.view.children = (self.view.children[0], self.writer_screen)

    def close(self) -> None:
        """Hide this partner's notes and go back to choosing who writes."""
        self.couple_code = self.partner = None
        self.text_area.value = ""
        self.notes_box.children = ()
        common.clear_pickers(self.session, self.code_picker, self.partner_picker)
        common.set_text(self.who_message, "")
        self.view.children = (self.view.children[0], self.who_screen)

    def save(self) -> str | None:
        """Save the note in the box; return its id (None when it was refused)."""
        if self.couple_code is None:
            return None
        try:
            note_id = ap.save_note(
                self.session,
                self.couple_code,
                self.partner,
                self.text_area.value,
                shared=self.share_now.value,
            )
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return None
        saved = "Saved. " + (
            "It will be on your card."
            if self.share_now.value
            else "It stays private until you share it."
        )
        self.share_now.value = False
        # the next person must not find this writer's code, partner and notes on screen
        self.close()
        common.set_text(
            self.who_message,
            f"{saved} To write another note or share one, open your notes again. "
            "Next person: choose your couple code.",
            "wk-ok",
        )
        return note_id

    def set_shared(self, note_id: str, shared: bool) -> None:
        if self.couple_code is None:
            return
        ap.set_note_shared(self.session, self.couple_code, self.partner, note_id, shared)
        self.refresh()

    def delete(self, note_id: str) -> None:
        if self.couple_code is None:
            return
        ap.delete_note(self.session, self.couple_code, self.partner, note_id)
        common.set_text(self.message, "Note removed.", "wk-ok")
        self.refresh()

    def refresh(self) -> None:
        """List this writer's own notes, each with its share switch."""
        if self.couple_code is None:
            self.notes_box.children = ()
            return
        rows = []
        for note in ap.notes(self.session, self.couple_code, self.partner):
            toggle = w.ToggleButton(
                value=note.shared,
                description="Shared with my partner" if note.shared else "Private",
                icon="heart" if note.shared else "lock",
                button_style="success" if note.shared else "",
                tooltip="Share with my partner (it goes on your card)",
                layout=w.Layout(min_height="52px", width="300px"),
            )
            common.on_change(
                toggle, lambda change, nid=note.id: self.set_shared(nid, change["new"]), self
            )
            remove = common.button("Remove", width="140px")
            common.on_click(remove, lambda nid=note.id: self.delete(nid), self)
            preview = note.text if len(note.text) <= 160 else note.text[:157] + "..."
            rows.append(
                w.HBox(
                    [common.text(preview, "wk-help"), *_spaced(toggle, remove)],
                    layout=w.Layout(align_items="center", border_bottom="1px solid #d9d9d9"),
                )
            )
        if not rows:
            rows = [common.text("No notes yet.")]
        self.notes_box.children = tuple(rows)


class WordsEntry:
    """One participant gives one to three words for the room board."""

    def __init__(
        self, session: Session, couple_code: str | None = None, partner: str | None = None
    ):
        self.session = session
        rules = ap.load_appreciation().words
        self.code_picker, self.partner_picker = _who_pickers(session)
        self.word_boxes = [
            w.Text(placeholder=f"word {i + 1}", layout=w.Layout(width="300px"))
            for i in range(rules.max)
        ]
        self.save_button = common.button("Save my words", "success", width="240px")
        common.on_click(self.save_button, lambda: self.save(), self)
        common.on_change(self.code_picker, lambda _c: self._load(), self)
        common.on_change(self.partner_picker, lambda _c: self._load(), self)
        self.message = common.text("")
        self.view = common.root(
            [
                common.text(rules.question, "wk-question"),
                common.text(
                    "Your words are counted with everyone's; a word shows on the screen "
                    "only when several people give it, never with your name."
                ),
                w.HBox(
                    [common.text("Couple code", "wk-question"), self.code_picker],
                    layout=w.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self.partner_picker,
                w.HBox(_spaced(*self.word_boxes), layout=w.Layout(flex_flow="row wrap")),
                self.save_button,
                self.message,
            ]
        )
        if couple_code is not None:
            self.code_picker.value = self.session.check_participant(couple_code, "A")[0]
        if partner is not None:
            self.partner_picker.value = str(partner).strip().upper()

    def _who(self) -> tuple[str, str] | None:
        return common.picked(self.code_picker, self.partner_picker)

    def _load(self) -> None:
        """A new person: empty boxes. Earlier words are never shown to whoever picks a
        code (a room word is anonymous); saving new words replaces them."""
        for box in self.word_boxes:
            box.value = ""
        common.set_text(self.message, "")

    def save(self) -> list[str] | None:
        who = self._who()
        if who is None:
            common.set_text(
                self.message,
                "Please choose your couple code and which partner you are.",
                "wk-error",
            )
            return None
        try:
            words = ap.save_words(self.session, *who, [b.value for b in self.word_boxes])
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return None
        # the next person starts from an empty form, as after the check-in's "Next person"
        common.clear_pickers(self.session, self.code_picker, self.partner_picker)
        for box in self.word_boxes:
            box.value = ""
        common.set_text(
            self.message,
            "Thank you. Saved: " + ", ".join(words) + ". Next person: choose your couple code.",
            "wk-ok",
        )
        return words


class RoomWordsView:
    """The room's words on the projector (only words at least k people gave)."""

    def __init__(self, session: Session, style: str = "cloud"):
        self.session = session
        self.style_picker = w.ToggleButtons(
            options=[("Cloud", "cloud"), ("Bars", "bars")], value=style
        )
        common.on_change(self.style_picker, lambda _c: self.refresh(), self, "caption")
        self.refresh_button = common.button("↻ Refresh", "info", width="200px")
        common.on_click(self.refresh_button, lambda: self.refresh(), self, "caption")
        self.image = w.Image(format="png", layout=w.Layout(width="100%", max_width="1280px"))
        self.caption = common.text("")
        self.view = common.root(
            [w.HBox(_spaced(self.style_picker, self.refresh_button)), self.image, self.caption]
        )
        self.refresh()

    def refresh(self) -> None:
        from matplotlib.figure import Figure

        from ..charts.appreciation import room_words_bars, room_words_cloud, unprintable_words
        from ..charts.style import chart_style

        words, waiting = ap.published_room_words(self.session)
        self.words = words
        draw = room_words_cloud if self.style_picker.value == "cloud" else room_words_bars
        with chart_style("projector"):
            fig = Figure()
            draw(words, self.session.k, ax=fig.add_subplot())
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png")
        self.image.value = buffer.getvalue()
        given = int(ap.notes_per_couple(self.session)["partners_with_words"].sum())
        note = waiting_note(waiting, self.session.k)
        text = f"{given} people have given words so far. {note}".strip()
        problems = unprintable_words(words)  # a word some characters of cannot be shown
        if problems:
            common.set_text(self.caption, " ".join([text, *problems]), "wk-error")
        else:
            common.set_text(self.caption, text)
