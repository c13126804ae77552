"""Shared look of the widgets: large, high-contrast, usable from the back of the room.

Widgets get CSS classes (``wk-*``) defined once in :data:`KIT_CSS`; every view puts
:func:`kit_css` at its top so the look holds in JupyterLab and in Voilà alike.
"""

from __future__ import annotations

import html

import ipywidgets as w

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


CHOOSE = "Choose your couple code"


def code_picker(session, couple_code: str | None = None, layout: w.Layout | None = None):
    """The couple-code dropdown every individual view starts with (``CHOOSE`` until picked)."""
    codes = session.couple_codes()
    value = couple_code if couple_code in codes else CHOOSE
    return w.Dropdown(
        options=[CHOOSE, *codes], value=value, layout=layout or w.Layout(width="420px")
    )


def partner_picker() -> w.ToggleButtons:
    """Partner A / Partner B, nothing chosen yet."""
    return w.ToggleButtons(options=[("Partner A", "A"), ("Partner B", "B")], value=None)


def who_screen(
    title: str,
    intro: str,
    code: w.Dropdown,
    partner: w.ToggleButtons,
    start: w.Button,
    message: w.HTML,
) -> w.VBox:
    """The "who is answering" screen: a title, a sentence, the two pickers and Start."""
    return w.VBox(
        [
            text(title, "wk-title"),
            text(intro),
            w.HBox(
                [text("Couple code", "wk-question"), code],
                layout=w.Layout(align_items="center", flex_flow="row wrap"),
            ),
            partner,
            start,
            message,
        ]
    )


ASK_WHO = "Please choose your couple code and which partner you are."


def picked(code: w.Dropdown, partner: w.ToggleButtons) -> tuple[str, str] | None:
    """The (couple code, partner) chosen in the two pickers, or None while either is open."""
    if code.value == CHOOSE or partner.value is None:
        return None
    return code.value, partner.value


def clear_pickers(session, code: w.Dropdown, partner: w.ToggleButtons) -> None:
    """Both pickers back to "nothing chosen", with the session's current couple codes."""
    code.options = [CHOOSE, *session.couple_codes()]
    code.value = CHOOSE
    partner.value = None
