"""Shared look of the widgets: large, high-contrast, usable from the back of the room.

Widgets get CSS classes (``wk-*``) defined once in :data:`KIT_CSS`; every view puts
:func:`kit_css` at its top so the look holds in JupyterLab and in Voilà alike.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..errors import WorkshopKitError
from ..i18n import N_, gettext_for, language_name, spoken_languages
from ..store import DatabaseError, click_wait, explain

log = logging.getLogger("workshop_kit.widgets")

KIT_CSS = """
<style>
.wk-root { font-size: 24px; line-height: 1.4; color: #1a1a1a; max-width: 100%; }
.wk-root .widget-label, .wk-root .widget-html-content, .wk-root label,
.wk-root input, .wk-root select, .wk-root textarea { font-size: 24px !important; }
.wk-root .widget-html-content { line-height: 1.4; }
.wk-root .jupyter-button, .wk-root .widget-button, .wk-root .widget-toggle-button {
  font-size: 22px !important; min-height: 52px; height: auto !important;
  padding: 6px 16px; border-radius: 10px; white-space: normal;
  line-height: 1.25 !important; text-overflow: clip; }
.wk-root .widget-dropdown select, .wk-root .widget-text input,
.wk-root .widget-textarea textarea { font-size: 24px !important; min-height: 48px; }
.wk-root .widget-toggle-buttons .widget-toggle-button { min-width: 140px; }
.wk-title { font-size: 36px; font-weight: 700; margin: 8px 0; }
.wk-question { font-size: 30px; font-weight: 600; margin: 12px 0; }
.wk-help { font-size: 24px; color: #333333; }
.wk-progress { font-size: 24px; color: #333; }
.wk-error { font-size: 24px; color: #a01c00; font-weight: 600; }
.wk-ok { font-size: 24px; color: #006b4f; font-weight: 600; }
.wk-private { border: 4px dashed #a01c00; padding: 12px; border-radius: 10px; }
.wk-root .wk-choice .jupyter-button { margin: 0; }
.wk-root .widget-hbox { gap: 12px; }
</style>
"""


def kit_css() -> w.HTML:
    """An HTML widget carrying the kit's CSS (harmless to show more than once)."""
    return w.HTML(KIT_CSS)


def text(message: str, css: str = "wk-help") -> w.HTML:
    """A block of escaped text with one of the kit's text classes."""
    return w.HTML(f'<div class="{css}">{html.escape(message)}</div>')


def set_text(widget: w.HTML, message: str, css: str = "wk-help") -> None:
    widget.value = f'<div class="{css}">{html.escape(message)}</div>'


def button(label: str, style: str = "", tooltip: str = "", width: str = "auto") -> w.Button:
    """A large button; ``style`` is one of '', 'primary', 'success', 'info', 'warning', 'danger'."""
    return w.Button(
        description=label,
        button_style=style,
        tooltip=tooltip or label,
        layout=w.Layout(min_height="52px", width=width),
    )


def root(children, css: str = "wk-root") -> w.VBox:
    """The outer box of a view, with the kit's CSS and look."""
    box = w.VBox([kit_css(), *children], layout=w.Layout(width="100%", max_width="1400px"))
    box.add_class(css)
    return box


CHOOSE = N_("Choose your couple code")


def _code_options(codes, language: str) -> list[tuple[str, str]]:
    """The dropdown's options: "choose" in ``language`` (its value stays ``CHOOSE``), codes."""
    return [(gettext_for(language)(CHOOSE), CHOOSE), *[(code, code) for code in codes]]


def code_picker(
    session, couple_code: str | None = None, layout: w.Layout | None = None, language: str = "en"
):
    """The couple-code dropdown every individual view starts with (``CHOOSE`` until picked)."""
    codes = session.couple_codes()
    value = couple_code if couple_code in codes else CHOOSE
    return w.Dropdown(
        options=_code_options(codes, language),
        value=value,
        layout=layout or w.Layout(width="420px"),
    )


def _partner_options(language: str) -> list[tuple[str, str]]:
    _ = gettext_for(language)
    return [(_("Partner A"), "A"), (_("Partner B"), "B")]


def partner_picker(language: str = "en") -> w.ToggleButtons:
    """Partner A / Partner B, nothing chosen yet."""
    return w.ToggleButtons(options=_partner_options(language), value=None)


def language_picker(language: str) -> w.ToggleButtons:
    """The languages the kit speaks, each in its own name; ``language`` chosen."""
    return w.ToggleButtons(
        options=[(language_name(lang), lang) for lang in spoken_languages()], value=language
    )


def relabel_pickers(code: w.Dropdown, partner: w.ToggleButtons, language: str) -> None:
    """The two pickers' words in ``language``; what is chosen stays chosen."""
    chosen_code, chosen_partner = code.value, partner.value
    codes = [value for _label, value in code.options if value != CHOOSE]
    code.options = _code_options(codes, language)
    code.value = chosen_code
    partner.options = _partner_options(language)
    partner.value = chosen_partner


def who_screen(
    title: str,
    intro: str,
    code: w.Dropdown,
    partner: w.ToggleButtons,
    start: w.Button,
    message: w.HTML,
    language: str = "en",
    before: list | None = None,
) -> w.VBox:
    """The "who is answering" screen: a title, a sentence, the two pickers and Start.

    ``before`` (widgets such as the language choice) comes right under the title.
    """
    return w.VBox(
        [
            text(title, "wk-title"),
            *(before or []),
            text(intro),
            w.HBox(
                [text(gettext_for(language)(N_("Couple code")), "wk-question"), code],
                layout=w.Layout(align_items="center", flex_flow="row wrap"),
            ),
            partner,
            start,
            message,
        ]
    )


ASK_WHO = N_("Please choose your couple code and which partner you are.")


def picked(code: w.Dropdown, partner: w.ToggleButtons) -> tuple[str, str] | None:
    """The (couple code, partner) chosen in the two pickers, or None while either is open."""
    if code.value == CHOOSE or partner.value is None:
        return None
    return code.value, partner.value


def clear_pickers(
    session, code: w.Dropdown, partner: w.ToggleButtons, language: str = "en"
) -> None:
    """Both pickers back to "nothing chosen", with the session's current couple codes."""
    code.options = _code_options(session.couple_codes(), language)
    code.value = CHOOSE
    partner.value = None


# -- every callback: a short wait for a busy file, and no error left unseen -------------
SOMETHING_WRONG = N_(
    "Something went wrong here, so this may not have been saved. Please try again; if it "
    "happens again, tell the facilitator."
)


def plain_words(exc: BaseException, language: str = "en") -> str:
    """What to tell the person at the laptop about ``exc``, as one plain sentence.

    >>> from workshop_kit.errors import StoreBusy
    >>> plain_words(StoreBusy("the session file is busy, so this was not saved."))
    'The session file is busy, so this was not saved.'
    >>> plain_words(KeyError("x")).startswith("Something went wrong here")
    True
    """
    if isinstance(exc, DatabaseError):
        exc = explain(exc, None)
    elif isinstance(exc, OSError) and exc.errno in (28, 30, 122):  # full, read-only, quota
        exc = explain(exc, getattr(exc, "filename", None))
    something_wrong = gettext_for(language)(SOMETHING_WRONG)
    if isinstance(exc, WorkshopKitError):
        words = str(exc).strip() or something_wrong
        return words[0].upper() + words[1:]
    return f"{something_wrong} ({type(exc).__name__}: {exc})"


def report(owner: Any, where: str, exc: BaseException) -> None:
    """Show ``exc`` in plain words in ``owner.<where>`` (an HTML widget) and log it."""
    log.warning(
        "a widget callback of %s failed: %s",
        type(owner).__name__,
        exc,
        exc_info=not isinstance(exc, WorkshopKitError),
    )
    target = getattr(owner, where, None)
    if isinstance(target, w.HTML):
        language = getattr(owner, "language", "en")  # the view's language, when it has one
        words = plain_words(exc, language if isinstance(language, str) else "en")
        set_text(target, words, "wk-error")


def guarded(handler: Callable[..., Any], owner: Any, where: str = "message") -> Callable:
    """``handler`` made safe for a widget callback, on whichever thread it runs.

    The call waits at most ``store.CLICK_WAIT_MS`` for a busy session file
    (:func:`workshop_kit.store.click_wait`), and any exception is shown in plain words in
    ``owner.<where>`` (looked up when it happens) and logged, never lost in a kernel log.

    Parameters
    ----------
    handler : callable
        The callback; called with the arguments the widget passes.
    owner : object
        The view whose HTML widget shows the error.
    where : str
        The attribute of ``owner`` holding that HTML widget ("message" by default).
    """

    @functools.wraps(handler)
    def run(*args, **kwargs):
        try:
            with click_wait():
                return handler(*args, **kwargs)
        except Exception as exc:  # every error is shown, none escapes unseen
            report(owner, where, exc)
            return None

    return run


def on_click(button: w.Button, handler: Callable[[], Any], owner: Any, where: str = "message"):
    """Call ``handler()`` on each click, guarded (see :func:`guarded`)."""
    safe = guarded(handler, owner, where)
    button.on_click(lambda _button: safe())


def on_change(
    widget: w.Widget,
    handler: Callable[[dict], Any],
    owner: Any,
    where: str = "message",
    names: str = "value",
):
    """Call ``handler(change)`` when ``widget.<names>`` changes, guarded (see :func:`guarded`)."""
    widget.observe(guarded(handler, owner, where), names=names)
