"""A row of large answer buttons where every click answers, the chosen one included.

ipywidgets' ToggleButtons send nothing when the button already chosen is clicked again.
In a check-in that meant an answer shown as chosen (after going back, or consent given
in the morning and asked again in the afternoon) could not be confirmed by clicking it:
the person had to find "Next". :class:`AnswerButtons` is one plain button per answer; any
click calls back with that answer, and the answer given before is marked (``wk-chosen``).

The buttons are kept and relabelled from one question to the next rather than rebuilt,
so a long check-in does not create hundreds of widgets in the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from ..errors import one_of
from . import common

CHOSEN = "wk-chosen"


def _same(a: Any, b: Any) -> bool:
    # True == 1 in Python; a "Yes" (True) must not mark the answer 1 as chosen, or back
    return type(a) is type(b) and a == b


class AnswerButtons:
    """One button per ``(label, value)`` option; a click calls ``on_choose(value)``.

    >>> picked = []
    >>> row = AnswerButtons(picked.append)
    >>> row.show([("Yes", True), ("No", False)], value=True)
    >>> [b.description for b in row.buttons], row.chosen_label
    (['Yes', 'No'], 'Yes')
    >>> row.buttons[0].click()     # the answer already chosen, clicked again, still answers
    >>> picked
    [True]
    """

    def __init__(self, on_choose: Callable[[Any], None], owner: Any = None, where: str = "message"):
        self._on_choose = on_choose
        # a failed click is shown in ``owner.<where>`` (see widgets.common.guarded)
        self._owner, self._where = (owner if owner is not None else self), where
        self._pool: list[w.Button] = []
        self.options: list[tuple[str, Any]] = []
        self.value: Any = None
        self.box = w.HBox(layout=w.Layout(width="100%", flex_flow="row wrap"))
        self.box.add_class("wk-choice")

    @property
    def buttons(self) -> list[w.Button]:
        """The buttons on show, in the options' order."""
        return list(self.box.children)

    @property
    def chosen_label(self) -> str | None:
        """The label of the answer marked as given before, if any."""
        for label, value in self.options:
            if self.value is not None and _same(value, self.value):
                return label
        return None

    def show(self, options: Sequence[tuple[str, Any]], value: Any = None) -> None:
        """Show ``options`` as buttons, marking ``value`` (the answer given before) as chosen."""
        self.options, self.value = list(options), value
        while len(self._pool) < len(self.options):
            index = len(self._pool)
            button = w.Button(layout=w.Layout(min_height="52px", flex="1 1 0", min_width="0"))
            common.on_click(button, lambda i=index: self._clicked(i), self._owner, self._where)
            self._pool.append(button)
        for (label, option), button in zip(self.options, self._pool, strict=False):
            chosen = value is not None and _same(option, value)
            button.description = button.tooltip = label
            button.button_style = "info" if chosen else ""
            if chosen:
                button.add_class(CHOSEN)
            else:
                button.remove_class(CHOSEN)
        self.box.children = tuple(self._pool[: len(self.options)])

    def _clicked(self, index: int) -> None:
        if index < len(self.options):
            self._on_choose(self.options[index][1])

    def choose(self, value: Any) -> None:
        """Answer ``value`` as a click on its button would (for tests and keyboard helpers)."""
        for index, (_label, option) in enumerate(self.options):
            if _same(option, value):
                self._pool[index].click()
                return
        raise one_of("the answer", value, [option for _label, option in self.options])
