"""The connection check-in widget: one partner at a time, one question at a time.

Every click is saved at once. Reopening (a new widget, a restarted kernel, a reloaded
page) resumes at that partner's first unanswered question for the phase, after the
partner typed their secret (set on first use; :mod:`.secret_gate`). Back shows the answers
given in this sitting only: a resumed sitting starts with no answer shown.
"""

from __future__ import annotations

import io
from functools import lru_cache

import ipywidgets as w

from ..checkin_flow import Step, checkin_steps, resume_index
from ..errors import StoreError, WorkshopKitError
from ..i18n import N_, gettext_for
from ..session import PARTNERS, PHASES, Session
from . import common
from .choices import AnswerButtons
from .secret_gate import SecretGate, open_with_secret

TITLES = {
    "before": N_("Connection check-in: start of the day"),
    "after": N_("Connection check-in: end of the day"),
}
WHO_INTRO = N_(
    "Find your couple code on your card, then choose which partner you are. "
    "Each of you answers on your own; your partner will not see your answers."
)


@lru_cache(maxsize=1)
def ios_png() -> bytes:
    """The seven circle pairs as a PNG, drawn once."""
    from matplotlib.figure import Figure

    from ..charts.ios import ios_scale
    from ..charts.style import chart_style

    with chart_style("projector"):
        fig = Figure(figsize=(12, 2.6))
        ios_scale(fig.add_subplot(), chosen=None)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight", dpi=80)
    return buffer.getvalue()


class CheckinWidget:
    """Take the check-in for one phase ("before" or "after").

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1, seed=1)
    >>> widget = CheckinWidget(s, "before")
    >>> widget.start(s.couple_codes()[0], "A", secret="tulip")  # set on first use
    >>> widget.choice.choose(4)          # a click on "4" is saved at once
    >>> s.answers()["value"].tolist()
    [4.0]
    """

    def __init__(self, session: Session, phase: str):
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {list(PHASES)}; not {phase!r}")
        self.session = session
        self.phase = phase
        self.language = session.language
        self.steps = checkin_steps(session, session.content_in(self.language))
        self.couple_code: str | None = None
        self.partner: str | None = None
        self.index = 0
        self.pending: tuple[int, object] | None = None  # (step, answer) not saved yet
        # step keys answered in this sitting: only these show their answer again
        self.sitting: set[tuple[str, str]] = set()

        # who is answering
        self.code_picker = common.code_picker(session, language=self.language)
        self.partner_picker = common.partner_picker(self.language)
        self.start_button = common.button("", "primary", width="200px")
        common.on_click(self.start_button, lambda: self._start_clicked(), self)
        self.message = common.text("")
        # each partner picks a language first; the screen changes language at once
        self.language_picker = common.language_picker(self.language)
        common.on_change(
            self.language_picker, lambda change: self.set_language(change["new"]), self
        )
        self.who_screen = common.who_screen(
            "",
            "",
            self.code_picker,
            self.partner_picker,
            self.start_button,
            self.message,
            before=[self.language_picker],
        )

        # the partner's secret, between "who" and the questions
        self.gate = SecretGate(session, self._open, self.reset, language=self.language)

        # one question at a time
        self.progress = common.text("", "wk-progress")
        self.progress_bar = w.IntProgress(
            min=0, max=len(self.steps), value=0, layout=w.Layout(width="100%")
        )
        self.question = common.text("", "wk-question")
        self.help = common.text("", "wk-help")
        self.picture = w.Image(format="png", layout=w.Layout(max_width="100%", width="100%"))
        self.choice = AnswerButtons(self.answer, self, "help")
        self.back_button = common.button("")
        self.skip_button = common.button("")
        self.next_button = common.button("", "info")
        common.on_click(self.back_button, lambda: self.go(self.index - 1), self, "help")
        common.on_click(self.skip_button, lambda: self.skip(), self, "help")
        common.on_click(self.next_button, self.next, self, "help")
        self.question_screen = w.VBox(
            [
                self.progress,
                self.progress_bar,
                self.question,
                self.picture,
                self.choice.box,
                self.help,
                w.HBox(
                    [self.back_button, self.skip_button, self.next_button],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
            ]
        )

        # done
        self.done_text = common.text("", "wk-ok")
        self.again_button = common.button("", "primary", width="240px")
        common.on_click(self.again_button, lambda: self.reset(), self)
        self.done_screen = w.VBox([self.done_text, self.again_button])

        self.view = common.root([self.who_screen])
        self.set_language(self.language)

    # -- language -------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Show every word of this widget in ``language``; answers so far are untouched.

        The questions come from the session's content in that language: the same ids in
        the same order, so a partner's answers are stored and scored the same way.
        """
        self.language = language
        if self.language_picker.value != language:
            self.language_picker.value = language
        _ = gettext_for(language)
        self.steps = checkin_steps(self.session, self.session.content_in(language))
        title, _picker, intro, code_row, *_rest = self.who_screen.children
        common.set_text(title, _(TITLES[self.phase]), "wk-title")
        common.set_text(intro, _(WHO_INTRO))
        common.set_text(code_row.children[0], _("Couple code"), "wk-question")
        common.relabel_pickers(self.code_picker, self.partner_picker, language)
        self.start_button.description = _("Start")
        self.back_button.description = "◀ " + _("Back")
        self.skip_button.description = _("Skip this one")
        self.skip_button.tooltip = _("Skipping is fine: it is not counted as a low answer.")
        self.next_button.description = _("Next") + " ▶"
        self.again_button.description = _("Next person")
        self.gate.set_language(language)

    # -- flow ---------------------------------------------------------------------
    def _start_clicked(self) -> None:
        who = common.picked(self.code_picker, self.partner_picker)
        if who is None:
            common.set_text(self.message, gettext_for(self.language)(common.ASK_WHO), "wk-error")
            return
        self.start(*who)

    def start(self, couple_code: str, partner: str, secret: str | None = None) -> None:
        """Ask for this partner's secret, then begin (or resume) their check-in.

        With ``secret`` given (tests, a form that asked already) it is checked, or set on
        first use, at once; otherwise the secret screen is shown.
        """
        try:
            self.session.check_participant(couple_code, partner)
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return
        self.view.children = (self.view.children[0], self.gate.box)
        open_with_secret(self.session, self.gate, couple_code, partner, secret)

    def _open(self, couple_code: str, partner: str) -> None:
        """The secret matched: a new sitting starts at the first unanswered question.

        The language chosen on the first screen is kept as this partner's language (their
        pack and phone pages use it too).
        """
        self.couple_code, self.partner = couple_code, partner
        if self.session.partner_language(couple_code, partner) != self.language:
            self.session.set_partner_language(couple_code, partner, self.language)
        self.sitting = set()
        self.go(self.resume_index())

    def resume_index(self) -> int:
        """The first step this partner has not answered (or skipped) yet in this phase."""
        return resume_index(self.session, self.steps, self.couple_code, self.partner, self.phase)

    def go(self, index: int) -> None:
        """Show step ``index`` (or the thank-you screen past the last)."""
        self.pending = None
        self.index = max(0, min(index, len(self.steps)))
        if self.index == len(self.steps):
            self._show_done()
            return
        step = self.steps[self.index]
        _ = gettext_for(self.language)
        common.set_text(
            self.progress,
            _("Partner %(partner)s · couple %(code)s · question %(n)s of %(total)s")
            % {
                "partner": self.partner,
                "code": self.couple_code,
                "n": self.index + 1,
                "total": len(self.steps),
            },
            "wk-progress",
        )
        self.progress_bar.value = self.index
        if step.kind == "flag":
            common.set_text(self.question, step.flag.text, "wk-question")
            common.set_text(self.help, step.flag.help)
            given = (
                self.session.flag(self.couple_code, self.partner, step.flag.id)
                if step.key in self.sitting
                else None
            )
            self.choice.show([(_("Yes"), True), (_("No"), False)], given)
            self.picture.layout.display = "none"
        elif step.kind == "picture":
            inst = step.instrument
            common.set_text(self.question, " ".join(inst.intro.split()), "wk-question")
            common.set_text(
                self.help, _("1 = the circles only touch · 7 = they almost completely overlap")
            )
            self.picture.value = ios_png()
            self.picture.layout.display = ""
            options = [(str(v), v) for v in range(inst.min, inst.max + 1)]
            self.choice.show(options, self._given(step))
        else:
            item, inst = step.item, step.instrument
            common.set_text(self.question, item.text, "wk-question")
            anchors = inst.anchors
            lo, hi = item.min, item.max
            common.set_text(
                self.help,
                f"{lo} = {anchors.get(lo, '')} · {hi} = {anchors.get(hi, '')}" if anchors else "",
            )
            options = [
                (f"{v} · {anchors[v]}" if v in anchors else str(v), v) for v in range(lo, hi + 1)
            ]
            self.choice.show(options, self._given(step))
            self.picture.layout.display = "none"
        self.back_button.disabled = self.index == 0
        self.view.children = (self.view.children[0], self.question_screen)

    def _given(self, step: Step) -> int | None:
        """The answer given to ``step`` in this sitting (None before, or from earlier)."""
        if step.key not in self.sitting:
            return None
        given = self.session.answered_items(self.couple_code, self.partner, self.phase)
        value = given.get(step.key)
        return int(value) if value is not None else None

    def answer(self, value) -> None:
        """Save ``value`` for the current step at once, then move on."""
        step = self.steps[self.index]
        try:
            if step.kind == "flag":
                self.session.set_flag(
                    self.couple_code, self.partner, step.flag.id, bool(value), phase=self.phase
                )
            else:
                inst_id, item_id = step.key
                self.session.record_answer(
                    self.couple_code,
                    self.partner,
                    self.phase,
                    inst_id,
                    item_id,
                    value,
                    source="widget",
                )
        except StoreError as exc:
            # the file could not take it (busy, full, read-only, gone): say so, keep the
            # answer, and let a click on it again, or on Next, try again
            self.pending = (self.index, value)
            common.set_text(self.help, common.plain_words(exc, self.language), "wk-error")
            return
        except WorkshopKitError as exc:
            _ = gettext_for(self.language)
            words = _("Not saved: %(why)s") % {"why": exc}
            common.set_text(self.help, words, "wk-error")
            return
        self.pending = None
        self.sitting.add(step.key)
        self.go(self.index + 1)

    def next(self) -> None:
        """Move on; an answer clicked here that could not be saved is saved first.

        A person who clicked an answer and then "Next" believes they answered: when that
        click met a busy or missing file, Next tries to save it again and moves on only
        once it is saved.
        """
        if self.pending is not None and self.pending[0] == self.index:
            self.answer(self.pending[1])
            return
        self.go(self.index + 1)

    def skip(self) -> None:
        """Record the current item as skipped (never counted as zero) and move on."""
        step = self.steps[self.index]
        # a skipped yes/no question records nothing: consent stays "no", no follow-up asked
        if step.kind != "flag":
            inst_id, item_id = step.key
            self.session.record_answer(
                self.couple_code, self.partner, self.phase, inst_id, item_id, None, source="widget"
            )
            self.sitting.add(step.key)
        self.go(self.index + 1)

    def _show_done(self) -> None:
        other = "B" if self.partner == "A" else "A"
        _ = gettext_for(self.language)
        common.set_text(
            self.done_text,
            _(
                "Thank you, partner %(partner)s. Your answers are saved. "
                "Please pass the laptop to partner %(other)s, or to the next couple."
            )
            % {"partner": self.partner, "other": other},
            "wk-ok",
        )
        self.progress_bar.value = len(self.steps)
        self.view.children = (self.view.children[0], self.done_screen)

    def reset(self) -> None:
        """Back to the "who is answering" screen for the next person."""
        self.couple_code = self.partner = None
        self.sitting = set()
        common.clear_pickers(self.session, self.code_picker, self.partner_picker, self.language)
        common.set_text(self.message, "")
        self.set_language(self.session.language)  # the next person starts in the room's
        self.view.children = (self.view.children[0], self.who_screen)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)


__all__ = ["PARTNERS", "CheckinWidget", "Step", "checkin_steps"]
