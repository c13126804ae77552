"""The secret screen: a partner sets a short secret on first use, and enters it to come back.

Every view of one partner's own data (the check-in, their notes, their calm-down plan)
puts this screen between "who is answering" and that data. A wrong secret shows a kind
message and nothing else: no answer, note or plan is shown or changed.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..errors import WorkshopKitError
from ..i18n import N_, gettext_for
from ..partner_secret import MAX_LENGTH, MIN_LENGTH
from ..session import Session
from . import common

WRONG = N_(
    "That secret does not match. Please try again. "
    "If you have forgotten it, ask the facilitator to reset it."
)
MISMATCH = N_("The two secrets are not the same. Please type the same secret twice.")
SET_INTRO_WORDS = N_(
    "Choose a short secret: %(n)s or more letters or numbers, such as a word you "
    "will remember. You will need it to come back to your answers, notes and plans. "
    "Keep it to yourself; capitals do not matter."
)
SET_INTRO = SET_INTRO_WORDS % {"n": MIN_LENGTH}
ENTER_INTRO = N_("Please type your secret to go on.")


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
        language: str = "en",
    ):
        self.session = session
        self.language = language
        self.on_open = on_open
        self.on_cancel = on_cancel
        self.couple_code: str | None = None
        self.partner: str | None = None
        self.mode = "enter"  # "set" on first use
        self.heading = common.text("", "wk-title")
        self.intro = common.text("")
        self.secret = _password("")
        self.repeat = _password("")
        self.ok_button = common.button("", "primary", width="200px")
        self.back_button = common.button("", width="200px")
        common.on_click(self.ok_button, lambda: self.submit(), self)
        common.on_click(self.back_button, lambda: self.cancel(), self)
        self.message = common.text("")
        self.again_label, self.secret_label = _label(""), _label("")
        self.repeat_row = w.HBox(
            [self.again_label, self.repeat],
            layout=w.Layout(align_items="center", flex_flow="row wrap"),
        )
        self.box = w.VBox(
            [
                self.heading,
                self.intro,
                w.HBox(
                    [self.secret_label, self.secret],
                    layout=w.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self.repeat_row,
                w.HBox([self.ok_button, self.back_button], layout=w.Layout(flex_flow="row wrap")),
                self.message,
            ]
        )
        self.box.add_class("wk-secret")
        self.set_language(language)

    def set_language(self, language: str) -> None:
        """Show this screen's words in ``language`` (the partner's choice)."""
        self.language = language
        _ = gettext_for(language)
        self.secret.placeholder = _("your secret")
        self.repeat.placeholder = _("the same secret again")
        self.ok_button.description = _("Go on")
        self.back_button.description = "◀ " + _("Not me")
        common.set_text(self.again_label, _("Again"), "wk-question")
        common.set_text(self.secret_label, _("Secret"), "wk-question")

    def ask(self, couple_code: str, partner: str) -> None:
        """Show the screen for this partner: set a secret (first use) or type it."""
        self.couple_code, self.partner = self.session.check_participant(couple_code, partner)
        self.mode = (
            "enter" if self.session.partner_secret_is_set(self.couple_code, self.partner) else "set"
        )
        self.secret.value = self.repeat.value = ""
        common.set_text(self.message, "")
        _ = gettext_for(self.language)
        who = _("Partner %(partner)s · couple %(code)s") % {
            "partner": self.partner,
            "code": self.couple_code,
        }
        if self.mode == "set":
            common.set_text(
                self.heading, _("%(who)s: choose your secret") % {"who": who}, "wk-title"
            )
            common.set_text(self.intro, _(SET_INTRO_WORDS) % {"n": MIN_LENGTH})
            self.repeat_row.layout.display = ""
            self.ok_button.description = _("Save my secret")
        else:
            common.set_text(self.heading, _("%(who)s: your secret") % {"who": who}, "wk-title")
            common.set_text(self.intro, _(ENTER_INTRO))
            self.repeat_row.layout.display = "none"
            self.ok_button.description = _("Go on")

    def submit(self) -> None:
        """Check (or set) the typed secret; open on success, a kind message otherwise."""
        if self.couple_code is None:
            return
        typed, repeat = self.secret.value, self.repeat.value
        self.secret.value = self.repeat.value = ""  # never left on the screen
        if self.mode == "set":
            if typed.strip().casefold() != repeat.strip().casefold():
                common.set_text(self.message, gettext_for(self.language)(MISMATCH), "wk-error")
                return
            try:
                self.session.set_partner_secret(self.couple_code, self.partner, typed)
            except WorkshopKitError as exc:
                kind = _kind(str(exc), self.language)
                common.set_text(self.message, kind, "wk-error")
                if self.session.partner_secret_is_set(self.couple_code, self.partner):
                    self.ask(self.couple_code, self.partner)  # set meanwhile elsewhere
                    common.set_text(self.message, kind, "wk-error")
                return
        elif not self.session.check_partner_secret(self.couple_code, self.partner, typed):
            common.set_text(self.message, gettext_for(self.language)(WRONG), "wk-error")
            return
        code, partner = self.couple_code, self.partner
        self.couple_code = self.partner = None
        self.on_open(code, partner)

    def cancel(self) -> None:
        self.couple_code = self.partner = None
        self.secret.value = self.repeat.value = ""
        if self.on_cancel is not None:
            self.on_cancel()


def _kind(message: str, language: str = "en") -> str:
    """The error in words for a participant (the secret rules, without jargon)."""
    _ = gettext_for(language)
    if "letters or digits" in message:
        return _("Please use %(low)s to %(high)s letters or numbers, with no spaces or signs.") % {
            "low": MIN_LENGTH,
            "high": MAX_LENGTH,
        }
    if "already has a secret" in message:
        return _("A secret was already set for you. Please type it here.")
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
