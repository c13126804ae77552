"""Widgets for the practice exercises: the listening round, a rituals plan, a calm-down plan.

The listening round is for the projector: big role labels, a visible timer (an asyncio
task ticking once a second, so the kernel never blocks), the step cards and the turn
switch. The two plan widgets are for one couple (or one partner) at a time; a plan is
saved whole on "Save plan", and a rebuilt widget shows what the store holds.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from .. import exercises as ex
from ..charts.style import PARTNER_COLOURS
from ..disclosure import waiting_note
from ..errors import WorkshopKitError
from ..session import PARTNERS, Session
from . import common
from .common import CHOOSE
from .secret_gate import SecretGate, open_with_secret

NO_RITUAL = ("— choose a ritual —", "")
NO_DAY = ("— day —", "")
PLAN_ROWS = 3
PRIVATE_NOTE = (
    "Only the two of you see this plan: it goes in your take-home pack, never on the big screen."
)


# ipywidgets' Layout has no ``gap``: the spacing between buttons comes from this class.
ROW_CSS = "<style>.wk-ex-row { gap: 14px; } .wk-ex-row > * { margin-right: 4px; }</style>"


def _row(children, **layout) -> w.HBox:
    box = w.HBox(children, layout=w.Layout(flex_flow="row wrap", **layout))
    box.add_class("wk-ex-row")
    return box


def _big(message: str, size: int, colour: str = "#1a1a1a", weight: int = 800) -> str:
    return (
        f'<div style="font-size:{size}px;font-weight:{weight};color:{colour};'
        f'line-height:1.2;margin:4px 0">{html.escape(message)}</div>'
    )


def _clock_text(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _code_picker(session: Session, couple_code: str | None) -> w.Dropdown:
    return common.code_picker(session, couple_code, layout=w.Layout(width="320px"))


class ListeningRoundWidget:
    """The active-listening round on the projector: who speaks, which step, how long.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1, seed=1)
    >>> now = [0.0]
    >>> view = ListeningRoundWidget(s, clock=lambda: now[0], autotick=False)
    >>> view.start_pause(); now[0] = 30.0; view.tick()
    90
    >>> view.next_step(); view.switch_turn(); view.round.speaker
    'B'
    """

    def __init__(
        self,
        session: Session,
        clock: Callable[[], float] = time.monotonic,
        autotick: bool = True,
        interval: float = 1.0,
        content: ex.ListeningContent | None = None,
    ):
        self.session = session
        self.content = content or ex.load_exercises().listening
        self.clock = clock
        self.autotick = autotick
        self.interval = interval
        self.round = ex.ListeningRound(self.content, clock=clock)
        self.topic_index = 0
        self._task: asyncio.Task | None = None

        self.length_picker = w.Dropdown(
            options=[(f"{_clock_text(s)} to speak", s) for s in self.content.round_lengths],
            value=self.round.round_length,
            layout=w.Layout(width="260px"),
        )
        common.on_change(self.length_picker, lambda _c: self.new_round(), self)
        self.speaker_label = w.HTML()
        self.listener_label = w.HTML()
        self.step_label = w.HTML()
        self.timer_label = w.HTML()
        self.cards = w.HTML()
        self.topic_label = w.HTML()
        self.message = common.text("")
        self.start_button = common.button("▶ Start", "success", width="200px")
        self.next_button = common.button("Next step ▶", "info", width="300px")
        self.switch_button = common.button("⇄ Switch turns", "primary", width="260px")
        self.topic_button = common.button("New topic", width="200px")
        self.finish_button = common.button("Finish round", width="220px")
        common.on_click(self.start_button, lambda: self.start_pause(), self)
        common.on_click(self.next_button, lambda: self.next_step(), self)
        common.on_click(self.switch_button, lambda: self.switch_turn(), self)
        common.on_click(self.topic_button, lambda: self.new_topic(), self)
        common.on_click(self.finish_button, lambda: self.finish(), self)
        self.rounds_label = common.text("", "wk-progress")
        self.view = common.root(
            [
                common.text("Listening round", "wk-title"),
                common.text(self.content.intro),
                w.HTML(ROW_CSS),
                _row([self.speaker_label, self.listener_label], justify_content="space-between"),
                _row([self.timer_label, self.step_label], align_items="center"),
                _row([self.start_button, self.next_button, self.switch_button]),
                self.message,
                self.cards,
                self.topic_label,
                _row(
                    [self.topic_button, self.length_picker, self.finish_button],
                    align_items="center",
                ),
                self.rounds_label,
            ]
        )
        self.refresh()

    # -- drawing --------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the round's state: roles, step, timer, buttons, cards."""
        rnd = self.round
        self.speaker_label.value = _big(
            f"Speaker: Partner {rnd.speaker}", 56, PARTNER_COLOURS[rnd.speaker]
        )
        self.listener_label.value = _big(
            f"Listener: Partner {rnd.listener}", 40, PARTNER_COLOURS[rnd.listener], weight=600
        )
        step = rnd.step_info
        number = ex.STEP_ORDER.index(rnd.step) + 1
        self.step_label.value = (
            _big(f"Step {number} of {len(ex.STEP_ORDER)}: {step.name}", 40)
            + _big(f"Speaker: {step.speaker_does}", 28, weight=400)
            + _big(f"Listener: {step.listener_does}", 28, weight=400)
        )
        self._draw_timer()
        self.start_button.description = "❚❚ Pause" if rnd.running else "▶ Start"
        following = ex.STEP_ORDER.index(rnd.step) + 1
        self.next_button.disabled = following >= len(ex.STEP_ORDER)
        self.next_button.description = (
            f"Next: {self.content.step(ex.STEP_ORDER[following]).name} ▶"
            if following < len(ex.STEP_ORDER)
            else "Next step ▶"
        )
        self.switch_button.disabled = not rnd.can_switch
        starters = (
            self.content.speaker_starters if rnd.step == "speak" else self.content.listener_starters
        )
        who = (
            "Speaker, you could start with"
            if rnd.step == "speak"
            else "Listener, you could start with"
        )
        items = "".join(f'<li style="margin:6px 0">{html.escape(s)}</li>' for s in starters)
        self.cards.value = (
            f'<div style="border:3px solid #0072B2;border-radius:14px;padding:10px 22px;'
            f'margin:8px 0"><div style="font-size:28px;font-weight:700">{html.escape(who)}'
            f'</div><ul style="font-size:34px;line-height:1.3;margin:6px 0">{items}</ul></div>'
        )
        topic = self.content.topics[self.topic_index % len(self.content.topics)]
        self.topic_label.value = _big(f"Topic idea: {topic}", 30, weight=600)
        totals = ex.listening_totals(self.session)
        common.set_text(
            self.rounds_label,
            f"Turn {rnd.turn} · rounds run today: {totals['rounds']}",
            "wk-progress",
        )

    def _draw_timer(self) -> None:
        remaining = self.round.remaining()
        colour = "#a01c00" if remaining == 0 else "#1a1a1a"
        self.timer_label.value = _big(_clock_text(remaining), 120, colour)

    # -- moves ------------------------------------------------------------------------
    def tick(self) -> int:
        """Redraw the timer; when time is up, stop it and say so. Returns seconds left."""
        remaining = self.round.remaining()
        if remaining == 0 and self.round.running:
            self.round.pause()
            self.start_button.description = "▶ Start"
            message = (
                "Time is up. Listener, please reflect back what you heard."
                if self.round.step == "speak"
                else "Time is up. Go on when you are ready."
            )
            common.set_text(self.message, message, "wk-ok")
        self._draw_timer()
        return remaining

    async def _ticker(self) -> None:
        while self.round.running:
            self.tick()
            await asyncio.sleep(self.interval)
        self.tick()

    def _ensure_ticking(self) -> None:
        if not self.autotick or (self._task is not None and not self._task.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a plain script): redraw on each move only
            return
        self._task = loop.create_task(self._ticker())

    def start_pause(self) -> None:
        if self.round.running:
            self.round.pause()
        else:
            if self.round.time_up():
                common.set_text(
                    self.message,
                    "This step's time is up: go on to the next step or switch turns.",
                    "wk-error",
                )
                return
            self.round.start()
            common.set_text(self.message, "")
            self._ensure_ticking()
        self.refresh()

    def next_step(self) -> None:
        try:
            self.round.next_step()
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return
        common.set_text(self.message, "")
        self._ensure_ticking()
        self.refresh()

    def switch_turn(self) -> None:
        try:
            self.round.switch_turn()
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return
        common.set_text(
            self.message,
            f"Partner {self.round.speaker}, you have the floor now. "
            "Press Start when you are ready.",
            "wk-ok",
        )
        self.refresh()

    def new_topic(self) -> None:
        self.topic_index += 1
        self.refresh()

    def new_round(self) -> None:
        """Start afresh (Partner A speaks first) with the chosen length."""
        self.round.pause()
        self.round = ex.ListeningRound(self.content, self.length_picker.value, clock=self.clock)
        self.refresh()

    def finish(self) -> None:
        """Count the round in the store (session level only) and get ready for the next."""
        try:
            stored = ex.record_listening_round(self.session, self.round)
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return
        self.new_round()
        common.set_text(
            self.message, f"Well done. That round had {stored['turns']} turns.", "wk-ok"
        )

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)


class RitualsPlanWidget:
    """One couple picks two or three rituals, each with a day and a time."""

    def __init__(
        self,
        session: Session,
        couple_code: str | None = None,
        content: ex.RitualsContent | None = None,
    ):
        self.session = session
        self.on_saved: list[Callable[[], None]] = []  # called after each saved plan
        self.content = content or ex.load_exercises().rituals
        options = [
            NO_RITUAL,
            *((r.name, r.id) for r in self.content.catalogue),
            (self.content.own.name, ex.OWN),
        ]
        self.code_picker = _code_picker(session, couple_code)
        common.on_change(self.code_picker, lambda _c: self.load(), self)
        self.rows = []
        for _ in range(PLAN_ROWS):
            ritual = w.Dropdown(options=options, value="", layout=w.Layout(width="420px"))
            own = w.Text(placeholder="In your own words", layout=w.Layout(width="420px"))
            day = w.Dropdown(
                options=[NO_DAY, *((d, d) for d in self.content.days)],
                value="",
                layout=w.Layout(width="220px"),
            )
            at = w.Text(placeholder="19:30", layout=w.Layout(width="140px"))
            common.on_change(
                ritual, lambda _c, own=own, ritual=ritual: self._show_own(ritual, own), self
            )
            self._show_own(ritual, own)
            self.rows.append((ritual, own, day, at))
        self.save_button = common.button("Save plan", "primary", width="220px")
        common.on_click(self.save_button, lambda: self.save(), self)
        self.message = common.text("")
        cards = "".join(
            f'<div style="margin:6px 0"><b>{html.escape(r.name)}</b>: '
            f"{html.escape(r.description)}</div>"
            for r in (*self.content.catalogue, self.content.own)
        )
        # The own-words box comes last: on a narrow screen it wraps onto a line of its own
        # under its row, instead of pushing that row's day and time away from their ritual.
        lines = [
            _row([ritual, day, at, own], align_items="center") for ritual, own, day, at in self.rows
        ]
        self.view = common.root(
            [
                w.HTML(ROW_CSS),
                common.text("Our rituals plan", "wk-title"),
                w.HTML(f'<div class="wk-help">{cards}</div>'),
                _row(
                    [common.text("Couple code", "wk-question"), self.code_picker],
                    align_items="center",
                ),
                common.text(
                    f"Pick {self.content.min_chosen} or {self.content.max_chosen} rituals. "
                    "For each, choose a day and write a time such as 19:30."
                ),
                *lines,
                self.save_button,
                self.message,
                common.text(PRIVATE_NOTE),
            ]
        )
        self.load()

    @staticmethod
    def _show_own(ritual: w.Dropdown, own: w.Text) -> None:
        own.layout.display = "" if ritual.value == ex.OWN else "none"

    def load(self) -> None:
        """Fill the rows from the store for the chosen couple (empty when no plan yet)."""
        plan = (
            ()
            if self.code_picker.value == CHOOSE
            else (ex.rituals_plan(self.session, self.code_picker.value) or ())
        )
        for i, (ritual, own, day, at) in enumerate(self.rows):
            planned = plan[i] if i < len(plan) else None
            known = {value for _label, value in ritual.options}
            ritual.value = planned.ritual if planned and planned.ritual in known else ""
            own.value = planned.text if planned else ""
            day.value = planned.day if planned and planned.day in self.content.days else ""
            at.value = planned.time if planned else ""
        common.set_text(
            self.message, "This is your saved plan; change it and save again." if plan else ""
        )

    def choices(self) -> list[dict[str, str]]:
        """The rows that have a ritual chosen, as plain dicts."""
        return [
            {
                "ritual": ritual.value,
                "day": day.value,
                "time": at.value,
                "text": own.value if ritual.value == ex.OWN else "",
            }
            for ritual, own, day, at in self.rows
            if ritual.value
        ]

    def save(self) -> None:
        if self.code_picker.value == CHOOSE:
            common.set_text(self.message, "Please choose your couple code first.", "wk-error")
            return
        try:
            plan = ex.save_rituals_plan(
                self.session, self.code_picker.value, self.choices(), self.content
            )
        except WorkshopKitError as exc:
            common.set_text(self.message, f"Not saved yet: {exc}", "wk-error")
            return
        names = "; ".join(f"{ex.ritual_label(p, self.content)} ({p.day}, {p.time})" for p in plan)
        # the next couple starts from an empty form (and sees a walk-in couple's code)
        self.code_picker.options = [CHOOSE, *self.session.couple_codes()]
        self.code_picker.value = CHOOSE
        common.set_text(self.message, f"Saved: {names}", "wk-ok")
        for listener in self.on_saved:
            listener()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)


class CalmDownPlanWidget:
    """One partner's plan for heated moments: signal, break length, how to come back.

    The plan is that partner's own: once a couple code and partner are chosen, the
    partner's secret (set on first use) is asked before their saved plan is shown or a
    plan is saved.
    """

    def __init__(
        self,
        session: Session,
        couple_code: str | None = None,
        partner: str | None = None,
        content: ex.CalmDownContent | None = None,
        secret: str | None = None,
    ):
        self.session = session
        self.unlocked: tuple[str, str] | None = None  # who typed their secret
        self.gate = SecretGate(session, self._unlocked, self._not_me)
        self.gate.box.layout.display = "none"
        self.on_saved: list[Callable[[], None]] = []  # called after each saved plan
        self.content = content or ex.load_exercises().calm_down
        self.code_picker = _code_picker(session, couple_code)
        self.partner_picker = w.ToggleButtons(
            options=[(f"Partner {p}", p) for p in PARTNERS],
            value=partner if partner in PARTNERS else None,
        )
        common.on_change(self.code_picker, lambda _c: self.load(), self)
        common.on_change(self.partner_picker, lambda _c: self.load(), self)
        self.signal = w.Dropdown(
            options=[("— choose —", ""), *((c.text, c.id) for c in self.content.signals)],
            value="",
            layout=w.Layout(width="100%"),
        )
        self.signal_text = w.Text(placeholder="My own signal", layout=w.Layout(width="100%"))
        self.break_minutes = w.ToggleButtons(
            options=[(f"{m} min", m) for m in self.content.break_minutes], value=None
        )
        self.come_back = w.Dropdown(
            options=[("— choose —", ""), *((c.text, c.id) for c in self.content.come_back)],
            value="",
            layout=w.Layout(width="100%"),
        )
        self.come_back_text = w.Text(
            placeholder="My own way to come back", layout=w.Layout(width="100%")
        )
        for picker, own in ((self.signal, self.signal_text), (self.come_back, self.come_back_text)):
            common.on_change(picker, lambda _c, p=picker, o=own: self._show_own(p, o), self)
            self._show_own(picker, own)
        self.save_button = common.button("Save plan", "primary", width="220px")
        common.on_click(self.save_button, lambda: self.save(), self)
        self.message = common.text("")
        self.form = w.VBox(
            [
                common.text("My signal for a break", "wk-question"),
                self.signal,
                self.signal_text,
                common.text("How long my break lasts", "wk-question"),
                self.break_minutes,
                common.text(
                    f"The body often needs {self.content.recommended_minimum} minutes or "
                    "more to settle."
                ),
                common.text("How I come back", "wk-question"),
                self.come_back,
                self.come_back_text,
                self.save_button,
            ]
        )
        self.view = common.root(
            [
                common.text("My calm-down plan", "wk-title"),
                common.text(self.content.intro),
                _row(
                    [common.text("Couple code", "wk-question"), self.code_picker],
                    align_items="center",
                ),
                self.partner_picker,
                self.gate.box,
                self.form,
                self.message,
                common.text(PRIVATE_NOTE),
            ]
        )
        self.load()
        if secret is not None and self._who() is not None:
            open_with_secret(self.session, self.gate, *self._who(), secret)

    @staticmethod
    def _show_own(picker: w.Dropdown, own: w.Text) -> None:
        own.layout.display = "" if picker.value == ex.OWN else "none"

    def _who(self) -> tuple[str, str] | None:
        if self.code_picker.value == CHOOSE or self.partner_picker.value is None:
            return None
        return self.code_picker.value, self.partner_picker.value

    def load(self) -> None:
        """A partner was chosen: ask their secret (their plan shows once it matches)."""
        self.unlocked = None
        self._fill(None)
        common.set_text(self.message, "")
        who = self._who()
        if who is None:
            self.gate.box.layout.display = "none"
            self.form.layout.display = ""
            return
        self.gate.ask(*who)
        self.gate.box.layout.display = ""
        self.form.layout.display = "none"

    def _unlocked(self, couple_code: str, partner: str) -> None:
        """The secret matched: show this partner's saved plan (or an empty form)."""
        self.unlocked = (couple_code, partner)
        self.gate.box.layout.display = "none"
        self.form.layout.display = ""
        plan = ex.calm_down_plan(self.session, couple_code, partner)
        self._fill(plan)
        common.set_text(
            self.message, "This is your saved plan; change it and save again." if plan else ""
        )

    def _not_me(self) -> None:
        common.clear_pickers(self.session, self.code_picker, self.partner_picker)

    def _fill(self, plan) -> None:
        self.signal.value = plan.signal if plan else ""
        self.signal_text.value = plan.signal_text if plan else ""
        self.break_minutes.value = (
            plan.break_minutes
            if plan and plan.break_minutes in self.content.break_minutes
            else None
        )
        self.come_back.value = plan.come_back if plan else ""
        self.come_back_text.value = plan.come_back_text if plan else ""

    def save(self) -> None:
        who = self._who()
        if who is None:
            common.set_text(
                self.message,
                "Please choose your couple code and which partner you are.",
                "wk-error",
            )
            return
        if self.unlocked != who:  # a stale click: the partner has not typed their secret
            common.set_text(self.message, "Please type your secret first.", "wk-error")
            return
        missing = [
            name
            for name, value in (
                ("a signal", self.signal.value),
                ("how long your break lasts", self.break_minutes.value),
                ("how you come back", self.come_back.value),
            )
            if not value
        ]
        if missing:
            common.set_text(self.message, f"Please choose {', '.join(missing)}.", "wk-error")
            return
        try:
            plan = ex.check_calm_down_plan(
                self.signal.value or None,
                self.break_minutes.value,
                self.come_back.value or None,
                self.signal_text.value if self.signal.value == ex.OWN else "",
                self.come_back_text.value if self.come_back.value == ex.OWN else "",
                self.content,
            )
            ex.save_calm_down_plan(self.session, *who, plan, self.content)
        except WorkshopKitError as exc:
            common.set_text(self.message, f"Not saved yet: {exc}", "wk-error")
            return
        # the next person starts from an empty form, as after the check-in's "Next person"
        common.clear_pickers(self.session, self.code_picker, self.partner_picker)
        common.set_text(self.message, f"Saved, partner {who[1]}. Thank you.", "wk-ok")
        for listener in self.on_saved:
            listener()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)


class PlansMadeView:
    """How many plans the room has made, in words for the projector (k-suppressed).

    Refreshed by its button, and at once when a plan widget it follows saves a plan.

    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=2, seed=1)
    >>> PlansMadeView(s).sentence()
    'Rituals plans: fewer than 3 couples so far. Calm-down plans: fewer than 3 partners so far.'
    """

    def __init__(
        self,
        session: Session,
        follow: RitualsPlanWidget | CalmDownPlanWidget | Sequence[Any] = (),
    ):
        self.session = session
        self.text = common.text("", "wk-progress")
        self.refresh_button = common.button("Refresh")
        common.on_click(self.refresh_button, lambda: self.refresh(), self, "text")
        for widget in follow if isinstance(follow, Sequence) else (follow,):
            widget.on_saved.append(self.refresh)
        self.view = common.root([_row([self.text, self.refresh_button])])
        self.refresh()

    def sentence(self) -> str:
        _counts, made, waiting = ex.published_room_plans(self.session)
        k = self.session.k

        def count(n: int | None, who: str) -> str:
            if n is None:
                return f"fewer than {k} {who}s so far"
            return f"{n} {who}" if n == 1 else f"{n} {who}s"

        return (
            f"Rituals plans: {count(made['rituals_plans'], 'couple')}. "
            f"Calm-down plans: {count(made['calm_down_plans'], 'partner')}. "
            + waiting_note(waiting, k)
        ).strip()

    def refresh(self) -> None:
        common.set_text(self.text, self.sentence(), "wk-progress")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)
