"""The secret screen: a partner sets a short secret on first use, and enters it to come back.

Every view of one partner's own data (the check-in, their notes, their calm-down plan)
puts this screen between "who is answering" and that data. A wrong secret shows a kind
message and nothing else: no answer, note or plan is shown or changed.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..errors import WorkshopKitError
from ..partner_secret import MAX_LENGTH, MIN_LENGTH
from ..session import Session
from . import common

WRONG = (
    "That secret does not match. Please try again. "
    "If you have forgotten it, ask the facilitator to reset it."
)
MISMATCH = "The two secrets are not the same. Please type the same secret twice."
SET_INTRO = (
    f"Choose a short secret: {MIN_LENGTH} or more letters or numbers, such as a word you "
    "will remember. You will need it to come back to your answers, notes and plans. "
    "Keep it to yourself; capitals do not matter."
)
ENTER_INTRO = "Please type your secret to go on."


def _label(words: str) -> w.HTML:
    label = common.text(words, "wk-question")
    label.layout.width = "120px"  # both fields start at one edge
    return label


def _password(placeholder: str) -> w.Password:
    return w.Password(placeholder=placeholder, layout=w.Layout(width="360px"))


class SecretGate:
    """Ask one partner for their secret, or to set one; call ``on_open`` when it matches.

    Parameters
    ----------
    session
        Where the secret's hash is kept.
    on_open
        Called with (couple_code, partner) once the partner set or typed their secret.
    on_cancel
        Called when the partner goes back to "who is answering".

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1, seed=1)
    >>> opened = []
    >>> gate = SecretGate(s, lambda code, partner: opened.append(partner))
    >>> gate.ask(s.couple_codes()[0], "A")
    >>> gate.mode
    'set'
    >>> gate.secret.value = gate.repeat.value = "tulip"
    >>> gate.submit()
    >>> opened
    ['A']
    """

    def __init__(
        self,
        session: Session,
        on_open: Callable[[str, str], None],
        on_cancel: Callable[[], None] | None = None,
    ):
        self.session = session
        self.on_open = on_open
        self.on_cancel = on_cancel
        self.couple_code: str | None = None
        self.partner: str | None = None
        self.mode = "enter"  # "set" on first use
        self.heading = common.text("", "wk-title")
        self.intro = common.text("")
        self.secret = _password("your secret")
        self.repeat = _password("the same secret again")
        self.ok_button = common.button("Go on", "primary", width="200px")
        self.back_button = common.button("◀ Not me", width="200px")
        common.on_click(self.ok_button, lambda: self.submit(), self)
        common.on_click(self.back_button, lambda: self.cancel(), self)
        self.message = common.text("")
        self.repeat_row = w.HBox(
            [_label("Again"), self.repeat],
            layout=w.Layout(align_items="center", flex_flow="row wrap"),
        )
        self.box = w.VBox(
            [
                self.heading,
                self.intro,
                w.HBox(
                    [_label("Secret"), self.secret],
                    layout=w.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self.repeat_row,
                w.HBox([self.ok_button, self.back_button], layout=w.Layout(flex_flow="row wrap")),
                self.message,
            ]
        )
        self.box.add_class("wk-secret")

    def ask(self, couple_code: str, partner: str) -> None:
        """Show the screen for this partner: set a secret (first use) or type it."""
        self.couple_code, self.partner = self.session.check_participant(couple_code, partner)
        self.mode = (
            "enter" if self.session.partner_secret_is_set(self.couple_code, self.partner) else "set"
        )
        self.secret.value = self.repeat.value = ""
        common.set_text(self.message, "")
        who = f"Partner {self.partner} · couple {self.couple_code}"
        if self.mode == "set":
            common.set_text(self.heading, f"{who}: choose your secret", "wk-title")
            common.set_text(self.intro, SET_INTRO)
            self.repeat_row.layout.display = ""
            self.ok_button.description = "Save my secret"
        else:
            common.set_text(self.heading, f"{who}: your secret", "wk-title")
            common.set_text(self.intro, ENTER_INTRO)
            self.repeat_row.layout.display = "none"
            self.ok_button.description = "Go on"

    def submit(self) -> None:
        """Check (or set) the typed secret; open on success, a kind message otherwise."""
        if self.couple_code is None:
            return
        typed, repeat = self.secret.value, self.repeat.value
        self.secret.value = self.repeat.value = ""  # never left on the screen
        if self.mode == "set":
            if typed.strip().casefold() != repeat.strip().casefold():
                common.set_text(self.message, MISMATCH, "wk-error")
                return
            try:
                self.session.set_partner_secret(self.couple_code, self.partner, typed)
            except WorkshopKitError as exc:
                common.set_text(self.message, _kind(str(exc)), "wk-error")
                if self.session.partner_secret_is_set(self.couple_code, self.partner):
                    self.ask(self.couple_code, self.partner)  # set meanwhile elsewhere
                    common.set_text(self.message, _kind(str(exc)), "wk-error")
                return
        elif not self.session.check_partner_secret(self.couple_code, self.partner, typed):
            common.set_text(self.message, WRONG, "wk-error")
            return
        code, partner = self.couple_code, self.partner
        self.couple_code = self.partner = None
        self.on_open(code, partner)

    def cancel(self) -> None:
        self.couple_code = self.partner = None
        self.secret.value = self.repeat.value = ""
        if self.on_cancel is not None:
            self.on_cancel()


def _kind(message: str) -> str:
    """The error in words for a participant (the secret rules, without jargon)."""
    if "letters or digits" in message:
        return (
            f"Please use {MIN_LENGTH} to {MAX_LENGTH} letters or numbers, with no spaces or signs."
        )
    if "already has a secret" in message:
        return "A secret was already set for you. Please type it here."
    return message


def open_with_secret(
    session: Session, gate: SecretGate, couple_code: str, partner: str, secret: str | None
) -> bool:
    """Open straight away when ``secret`` is given (set it on first use); else show the gate.

    Returns True when opened (``gate.on_open`` was called). A wrong secret shows the
    gate's kind message and opens nothing.
    """
    gate.ask(couple_code, partner)
    if secret is None:
        return False
    gate.secret.value = gate.repeat.value = secret
    opened: list[bool] = []
    on_open = gate.on_open
    gate.on_open = lambda code, who: (opened.append(True), on_open(code, who))
    try:
        gate.submit()
    finally:
        gate.on_open = on_open
    return bool(opened)
